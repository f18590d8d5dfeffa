"""Entity and attribute operations: ``/entities`` and below (clauses 5.6, 5.7, 6.4-6.7).

Entity ids are URIs and may contain ``/`` (percent-encoded as ``%2F`` in the path), so the
path below ``/entities/`` is split on the raw, still-encoded path before decoding.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from reference_server.api import attributes
from reference_server.api.http import (
    GEOJSON,
    JSON,
    JSONLD,
    MERGE_PATCH,
    accepted_media,
    json_response,
    method_not_allowed,
    prefers_link,
    read_body,
    refuse_other_methods,
    request_context,
    tenant_of,
)
from reference_server.api.params import (
    QUERY_PARAMS,
    RETRIEVE_PARAMS,
    WRITE_PARAMS,
    Page,
    check_params,
    flag,
    options_of,
    page_of,
    render_options,
    require_type,
    type_selection,
)
from reference_server.api.querying import EntityFilter, build_filter, select, select_page
from reference_server.api.state import AppState, now_iso, state_of
from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import (
    AlreadyExists,
    BadRequestData,
    HttpProblem,
    ResourceNotFound,
)
from reference_server.ngsild.geoquery import parse_geo_query
from reference_server.ngsild.payload import apply_merge, parse_entity, parse_merge_patch
from reference_server.ngsild.payload_checks import check_uri
from reference_server.ngsild.payload_common import SYSTEM_MEMBERS
from reference_server.ngsild.representation import (
    RenderOptions,
    render_entity,
    render_geojson,
    render_geojson_feature,
)
from reference_server.store.base import Entity

__all__ = ["ENTITY_MEDIA", "render_selection", "router"]

router = APIRouter()

ENTITY_MEDIA = (JSON, JSONLD, GEOJSON)


def entity_location(api_root: str, entity_id: str) -> str:
    return f"{api_root}/entities/{quote(entity_id, safe=':')}"


def check_entity_id(entity_id: str) -> str:
    """The entity id of a path; BadRequestData unless it is a URI (clauses 4.5.1, 5.6.x.4)."""
    if not is_uri(entity_id):
        raise BadRequestData(f"entity id {entity_id!r} is not a URI")
    return entity_id


def is_uri(value: object) -> bool:
    """Whether ``value`` is an absolute URI as entity ids must be (RFC 3986/3987, clause 4.5.1)."""
    try:
        check_uri(value, "", "entity id")
    except BadRequestData:
        return False
    return True


@router.post("/entities")
async def create_entity(request: Request) -> Response:
    """Create Entity (5.6.1, 6.4.3.1): 201 with Location, 409 if the id exists."""
    state = state_of(request)
    body = await read_body(request, state.settings.max_body_bytes)
    check_params(request.query_params, WRITE_PARAMS)
    options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the entity must be a JSON object")
    ctx = await request_context(request, state.resolver, body.context)
    entity = parse_entity(body.data, ctx, now=now_iso())
    if not await state.store.create(tenant_of(request), entity):
        raise AlreadyExists(f"entity {entity['id']!r} already exists", instance=entity["id"])
    location = entity_location(state.settings.api_root, entity["id"])
    return Response(status_code=201, headers={"Location": location})


@router.get("/entities")
async def query_entities(request: Request) -> Response:
    """Query Entities (5.7.2, 6.4.3.2) with pagination and counting (5.5.9)."""
    state = state_of(request)
    params = request.query_params
    media = accepted_media(request, ENTITY_MEDIA)
    check_params(params, QUERY_PARAMS)
    _reject_unsupported(params)
    ctx = await request_context(request, state.resolver)
    options = render_options(params, ctx)
    attrs = options.attrs
    selection = build_filter(
        ctx,
        ids=params.get("id"),
        id_pattern=params.get("idPattern"),
        types=params.get("type"),
        attrs=attrs,
        q=params.get("q"),
        scope_q=params.get("scopeQ"),
        geo=parse_geo_query(
            params.get("georel"),
            params.get("geometry"),
            params.get("coordinates"),
            params.get("geoproperty"),
            ctx.expand_term,
        ),
    )
    local = flag(params, "local")
    if selection.all_types and "local" in params and not local:
        raise BadRequestData("type=* selects local entities only; it excludes local=false")
    system = frozenset(ctx.expand_term(name) for name in SYSTEM_MEMBERS)
    if not selection.narrows(system) and not local:
        raise BadRequestData(
            "the query is too wide: it needs type, attrs or q naming a non-system attribute,"
            " id, idPattern, scopeQ or a geo-query (or local=true); clause 5.7.2.4"
        )
    return await render_selection(request, state, ctx, [selection], media=media, options=options)


async def render_selection(
    request: Request,
    state: AppState,
    ctx: ActiveContext,
    selections: list[EntityFilter],
    *,
    media: str,
    options: RenderOptions,
) -> Response:
    """Select (union of ``selections``), paginate and render a query's answer in ``media``."""
    params = request.query_params
    _check_geometry_property(params, media)
    page = page_of(params, state.settings.default_limit, state.settings.max_limit)
    window, total = await _select_page(state, tenant_of(request), selections, page)
    headers = _page_headers(request, page.offset, page.limit, total, page.count, media)
    body = _render_many(window, ctx, options, media)
    return json_response(
        body,
        media=media,
        ctx=ctx,
        core_url=state.core_url,
        headers=headers,
        prefer_link=prefers_link(request),
    )


async def _select_page(
    state: AppState, tenant: str, selections: list[EntityFilter], page: Page
) -> tuple[list[Entity], int]:
    if len(selections) == 1:
        return await select_page(
            state,
            tenant,
            selections[0],
            limit=page.limit,
            offset=page.offset,
            need_total=page.count,
        )
    found = await _select_union(state, tenant, selections)
    return found[page.offset : page.offset + page.limit], len(found)


async def _select_union(
    state: AppState, tenant: str, selections: list[EntityFilter]
) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for selection in selections:
        for entity in await select(state, tenant, selection):
            seen.setdefault(entity["id"], entity)
    return list(seen.values())


def _check_geometry_property(params: Any, media: str) -> None:
    if "geometryProperty" in params and media != GEOJSON:
        raise BadRequestData("geometryProperty is only allowed with Accept: application/geo+json")


def _reject_unsupported(params: Any) -> None:
    """Context source filters need registrations, which this platform does not implement."""
    if "csf" in params:
        raise HttpProblem(
            501,
            "Not Implemented",
            "the csf parameter is not supported by this platform"
            " (see docs/reference-server.md, known gaps)",
        )


def _render_many(
    entities: list[Entity], ctx: ActiveContext, options: RenderOptions, media: str
) -> Any:
    if media == GEOJSON:
        return render_geojson(entities, ctx, options)
    return [render_entity(e, ctx, options=options) for e in entities]


def _page_headers(
    request: Request, offset: int, limit: int, total: int, count: bool, media: str
) -> dict[str, str]:
    headers: dict[str, str] = {}
    if count:
        headers["NGSILD-Results-Count"] = str(total)
    links: list[str] = []
    if limit > 0 and offset + limit < total:
        links.append(_page_link(request, offset + limit, limit, "next", media))
    if limit > 0 and offset > 0:
        links.append(_page_link(request, max(offset - limit, 0), limit, "prev", media))
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def _page_link(request: Request, offset: int, limit: int, rel: str, media: str) -> str:
    """A pagination link (clause 6.3.10): same resource, parameters sorted by name."""
    params = dict(request.query_params)
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    query = "&".join(f"{quote(k)}={quote(v, safe=',:')}" for k, v in sorted(params.items()))
    return f'<{request.url.path}?{query}>;rel="{rel}";type="{media}"'


@router.api_route("/entities/{rest:path}", methods=["GET", "DELETE", "PATCH", "PUT", "POST"])
async def entity_resource(request: Request, rest: str) -> Response:
    """Dispatch ``/entities/{id}``, ``/entities/{id}/attrs`` and ``.../attrs/{attrId}``."""
    raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
    tail = raw.split("/entities/", 1)[1] if "/entities/" in raw else rest
    parts = [unquote(p) for p in tail.split("/")]
    entity_id = check_entity_id(parts[0])
    method = request.method
    if len(parts) == 1:
        return await _entity_methods(request, method, entity_id)
    if parts[1:] == ["attrs"] or parts[1:] == ["attrs", ""]:
        return await attributes.attrs_collection(request, method, entity_id)
    if len(parts) == 3 and parts[1] == "attrs" and parts[2]:
        return await attributes.attribute_resource(request, method, entity_id, parts[2])
    raise ResourceNotFound(f"no resource at {request.url.path}")


async def _entity_methods(request: Request, method: str, entity_id: str) -> Response:
    handlers = {
        "GET": retrieve_entity,
        "DELETE": delete_entity,
        "PATCH": merge_entity,
        "PUT": replace_entity,
    }
    handler = handlers.get(method)
    if handler is None:
        raise method_not_allowed(method, ("GET", "DELETE", "PATCH", "PUT"), "an entity")
    return await handler(request, entity_id)


async def retrieve_entity(request: Request, entity_id: str) -> Response:
    """Retrieve Entity (5.7.1, 6.5.3.1)."""
    state = state_of(request)
    media = accepted_media(request, ENTITY_MEDIA)
    check_params(request.query_params, RETRIEVE_PARAMS)
    _check_geometry_property(request.query_params, media)
    ctx = await request_context(request, state.resolver)
    options = render_options(request.query_params, ctx)
    entity = await state.load_entity(tenant_of(request), entity_id)
    _check_type(request, ctx, entity)
    if options.attrs is not None and not any(a in entity for a in options.attrs):
        raise ResourceNotFound(
            f"entity {entity_id!r} has none of the requested attributes", instance=entity_id
        )
    if media == GEOJSON:
        body = render_geojson_feature(entity, ctx, options)
    else:
        body = render_entity(entity, ctx, options=options)
    return json_response(
        body, media=media, ctx=ctx, core_url=state.core_url, prefer_link=prefers_link(request)
    )


async def delete_entity(request: Request, entity_id: str) -> Response:
    """Delete Entity (5.6.6, 6.5.3.2): 204, or 404 if unknown."""
    state = state_of(request)
    check_params(request.query_params, frozenset({"type", "local"}))
    ctx = await request_context(request, state.resolver)
    selection = type_selection(request.query_params, ctx)
    tenant = tenant_of(request)
    if selection is not None:
        require_type(await state.load_entity(tenant, entity_id), selection)
    await state.require_tenant(tenant)
    if not await state.store.delete(tenant, entity_id):
        raise ResourceNotFound(f"entity {entity_id!r} not found", instance=entity_id)
    return Response(status_code=204)


async def merge_entity(request: Request, entity_id: str) -> Response:
    """Merge Entity (5.6.17, 6.5.3.4): PATCH the whole entity; 204."""
    state = state_of(request)
    body = await read_body(
        request, state.settings.max_body_bytes, allowed=(JSON, JSONLD, MERGE_PATCH)
    )
    check_params(request.query_params, WRITE_PARAMS)
    options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the merge fragment must be a JSON object")
    _check_body_id(body.data, entity_id)
    ctx = await request_context(request, state.resolver, body.context)
    selection = type_selection(request.query_params, ctx)
    now = now_iso()
    patch = parse_merge_patch(body.data, ctx, now=now, entity_id=entity_id)

    def merge(old: Entity) -> Entity:
        require_type(old, selection)
        return apply_merge(old, patch, now=now)

    await state.modify_entity(tenant_of(request), entity_id, merge)
    return Response(status_code=204)


async def replace_entity(request: Request, entity_id: str) -> Response:
    """Replace Entity (5.6.18, 6.5.3.3): PUT a whole new entity content; 204."""
    state = state_of(request)
    body = await read_body(request, state.settings.max_body_bytes)
    check_params(request.query_params, WRITE_PARAMS)
    options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the entity must be a JSON object")
    _check_body_id(body.data, entity_id)
    ctx = await request_context(request, state.resolver, body.context)
    selection = type_selection(request.query_params, ctx)
    now = now_iso()
    fresh = parse_entity({**body.data, "id": entity_id}, ctx, now=now)

    def replace(old: Entity) -> Entity:
        require_type(old, selection)
        return {**fresh, "createdAt": old.get("createdAt", now)}

    await state.modify_entity(tenant_of(request), entity_id, replace)
    return Response(status_code=204)


def _check_type(request: Request, ctx: ActiveContext, entity: Entity) -> None:
    """With ``type``, an entity of another type is not found (clause 5.7.1.4)."""
    selection = request.query_params.get("type")
    if selection is None:
        return
    if not build_filter(ctx, types=selection).matches(entity):
        raise ResourceNotFound(
            f"entity {entity['id']!r} is not of type {selection!r}", instance=entity["id"]
        )


def _check_body_id(data: dict[str, Any], entity_id: str) -> None:
    body_id = data.get("id")
    if body_id is not None and body_id != entity_id:
        raise BadRequestData(
            f"the body's id {body_id!r} differs from the entity id {entity_id!r} in the path"
        )


refuse_other_methods(router, "/entities", ("GET", "POST"), "the entities collection")
