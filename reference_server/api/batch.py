"""Batch entity operations under ``/entityOperations`` (clauses 5.6.7-5.6.10, 5.6.20, 5.7.2,
6.14-6.18, 6.23, 6.24).

Each entity in a batch succeeds or fails on its own; a failing entity never leaves a partial
write behind, because every entity is one store transaction. All succeeded: 201 (create,
upsert with creations) or 204; otherwise 207 with a BatchOperationResult (clause 5.2.16).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from reference_server.api.entities import ENTITY_MEDIA, is_uri, render_selection
from reference_server.api.http import (
    JSONLD,
    Body,
    accepted_media,
    json_response,
    read_body,
    refuse_other_methods,
    request_context,
    tenant_of,
)
from reference_server.api.params import (
    PAGE_PARAMS,
    REPRESENTATION_PARAMS,
    check_params,
    flag,
    options_of,
    render_options,
)
from reference_server.api.querying import EntityFilter, build_filter
from reference_server.api.state import AppState, now_iso, state_of
from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import (
    AlreadyExists,
    BadRequestData,
    NgsiLdError,
    ResourceNotFound,
)
from reference_server.ngsild.geoquery import GeoQuery, parse_geoq_member
from reference_server.ngsild.payload import (
    append_attributes,
    apply_merge,
    parse_attributes,
    parse_entity,
    parse_merge_patch,
)
from reference_server.store.base import Entity

__all__ = ["router"]

router = APIRouter()

_MAX_BATCH = 1000

Outcome = tuple[str, bool]  # (entity id, created?)
Operation = Callable[[AppState, str, Any, ActiveContext, set[str]], Awaitable[Outcome]]


async def _items(request: Request, state: AppState) -> tuple[Body, list[Any]]:
    body = await read_body(request, state.settings.max_body_bytes)
    if not isinstance(body.data, list):
        raise BadRequestData("a batch operation needs a JSON array")
    if not body.data:
        raise BadRequestData("the batch is empty")
    if len(body.data) > _MAX_BATCH:
        raise BadRequestData(f"a batch holds at most {_MAX_BATCH} items, got {len(body.data)}")
    if any(item is None for item in body.data):
        raise BadRequestData("a batch must not contain null items")
    return body, body.data


async def _item_context(request: Request, state: AppState, body: Body, item: Any) -> ActiveContext:
    if body.media == JSONLD and isinstance(item, dict):
        return await request_context(request, state.resolver, item.get("@context"))
    return await request_context(request, state.resolver)


def _item_id(item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    return str(item) if isinstance(item, str) else ""


async def _run(request: Request, operation: Operation, *, creates: bool) -> Response:
    state = state_of(request)
    body, items = await _items(request, state)
    check_params(request.query_params, frozenset({"options", "local"}))
    tenant = tenant_of(request)
    options = options_of(request.query_params)
    if not creates:
        # Only creating operations may create a tenant (clause 5.5.10): for the others an
        # unknown tenant fails the whole request rather than every item.
        await state.require_tenant(tenant)
    success: list[str] = []
    created: list[str] = []
    errors: list[dict[str, Any]] = []
    for item in items:
        try:
            ctx = await _item_context(request, state, body, item)
            entity_id, was_created = await operation(state, tenant, item, ctx, options)
        except NgsiLdError as exc:
            errors.append({"entityId": _item_id(item), "error": exc.problem()})
            continue
        if entity_id not in success:
            success.append(entity_id)
        if was_created:
            created.append(entity_id)
    return _batch_response(state, success, created, errors, creates=creates)


def _batch_response(
    state: AppState,
    success: list[str],
    created: list[str],
    errors: list[dict[str, Any]],
    *,
    creates: bool,
) -> Response:
    if errors:
        result = {"success": success, "errors": errors}
        return json_response(
            result, media="application/json", ctx=None, core_url=state.core_url, status=207
        )
    if creates and created:
        return json_response(
            created, media="application/json", ctx=None, core_url=state.core_url, status=201
        )
    return Response(status_code=204)


def _need_object(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise BadRequestData("each batch item must be a JSON object")
    return item


async def _create(
    state: AppState, tenant: str, item: Any, ctx: ActiveContext, _: set[str]
) -> Outcome:
    entity = parse_entity(_need_object(item), ctx, now=now_iso())
    if not await state.store.create(tenant, entity):
        raise AlreadyExists(f"entity {entity['id']!r} already exists", instance=entity["id"])
    return entity["id"], True


async def _upsert(
    state: AppState, tenant: str, item: Any, ctx: ActiveContext, options: set[str]
) -> Outcome:
    now = now_iso()
    entity = parse_entity(_need_object(item), ctx, now=now)
    if await state.store.create(tenant, entity):
        return entity["id"], True
    attrs = _attributes_of(entity)
    if "update" in options:

        def change(old: Entity) -> Entity:
            return append_attributes(old, attrs, overwrite=True, now=now)[0]

    else:

        def change(old: Entity) -> Entity:
            return {**entity, "createdAt": old.get("createdAt", now)}

    await state.modify_entity(tenant, entity["id"], change)
    return entity["id"], False


async def _update(
    state: AppState, tenant: str, item: Any, ctx: ActiveContext, options: set[str]
) -> Outcome:
    data = _need_object(item)
    entity_id = _required_id(data)
    now = now_iso()
    attrs = parse_attributes(_without_id_type(data), ctx, now=now)
    overwrite = "noOverwrite" not in options
    await state.modify_entity(
        tenant,
        entity_id,
        lambda old: append_attributes(old, attrs, overwrite=overwrite, now=now)[0],
    )
    return entity_id, False


async def _merge(
    state: AppState, tenant: str, item: Any, ctx: ActiveContext, _: set[str]
) -> Outcome:
    data = _need_object(item)
    entity_id = _required_id(data)
    now = now_iso()
    patch = parse_merge_patch(_without_id_type(data), ctx, now=now)
    await state.modify_entity(tenant, entity_id, lambda old: apply_merge(old, patch, now=now))
    return entity_id, False


async def _delete(
    state: AppState, tenant: str, item: Any, ctx: ActiveContext, _: set[str]
) -> Outcome:
    if not isinstance(item, str) or not is_uri(item):
        raise BadRequestData(f"{item!r} is not an entity id (a URI)")
    await state.require_tenant(tenant)
    if not await state.store.delete(tenant, item):
        raise ResourceNotFound(f"entity {item!r} not found", instance=item)
    return item, False


def _required_id(data: dict[str, Any]) -> str:
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not is_uri(entity_id):
        raise BadRequestData(f"each item needs an id that is a URI, got {entity_id!r}")
    return entity_id


def _without_id_type(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("id", "type", "@context")}


def _attributes_of(entity: Entity) -> dict[str, Any]:
    """The fragment an upsert with ``options=update`` appends (5.6.8.4 -> 5.6.3.4): the
    attributes, plus the types to add and the scope/expiresAt to replace."""
    return {k: v for k, v in entity.items() if ":" in k or k in ("type", "scope", "expiresAt")}


@router.post("/entityOperations/create")
async def batch_create(request: Request) -> Response:
    """Batch Entity Creation (5.6.7, 6.14)."""
    return await _run(request, _create, creates=True)


@router.post("/entityOperations/upsert")
async def batch_upsert(request: Request) -> Response:
    """Batch Entity Upsert (5.6.8, 6.15): options=replace (default) or update."""
    return await _run(request, _upsert, creates=True)


@router.post("/entityOperations/update")
async def batch_update(request: Request) -> Response:
    """Batch Entity Update (5.6.9, 6.16): options=noOverwrite."""
    return await _run(request, _update, creates=False)


@router.post("/entityOperations/delete")
async def batch_delete(request: Request) -> Response:
    """Batch Entity Delete (5.6.10, 6.17): body is an array of entity ids."""
    return await _run(request, _delete, creates=False)


@router.post("/entityOperations/merge")
async def batch_merge(request: Request) -> Response:
    """Batch Entity Merge (5.6.20, 6.31)."""
    return await _run(request, _merge, creates=False)


@router.post("/entityOperations/query")
async def batch_query(request: Request) -> Response:
    """Query Entities via POST (5.7.2, 6.23) with a Query body (clause 5.2.23)."""
    state = state_of(request)
    media = accepted_media(request, ENTITY_MEDIA)
    body = await read_body(request, state.settings.max_body_bytes)
    check_params(request.query_params, PAGE_PARAMS | REPRESENTATION_PARAMS)
    query = body.data
    if not isinstance(query, dict) or query.get("type") != "Query":
        raise BadRequestData('the body must be a Query object with "type": "Query"')
    ctx = await request_context(request, state.resolver, body.context)
    geo = _geo(ctx, query)
    attrs = _query_attrs(ctx, query)
    selections = [_selection(ctx, e, query, geo, attrs) for e in _entity_selectors(query)]
    if not selections:
        selections = [
            build_filter(
                ctx,
                attrs=attrs,
                q=_text(query, "q"),
                scope_q=_text(query, "scopeQ"),
                geo=geo,
            )
        ]
    if any(s.is_empty for s in selections) and not flag(request.query_params, "local"):
        raise BadRequestData(
            "a Query needs at least one of entities (with id, idPattern or type), attrs, q,"
            " scopeQ or geoQ (or local=true) (clause 5.7.2.4)"
        )
    options = render_options(request.query_params, ctx)
    if attrs is not None:  # a Query body's attrs projects like the attrs URL parameter
        options = dataclasses.replace(options, attrs=attrs)
    return await render_selection(request, state, ctx, selections, media=media, options=options)


def _entity_selectors(query: dict[str, Any]) -> list[dict[str, Any]]:
    entities = query.get("entities", [])
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise BadRequestData("Query.entities must be an array of EntitySelector objects")
    return entities


def _query_attrs(ctx: ActiveContext, query: dict[str, Any]) -> frozenset[str] | None:
    attrs = query.get("attrs")
    if attrs is None:
        return None
    if not isinstance(attrs, list) or not all(isinstance(a, str) for a in attrs):
        raise BadRequestData("Query.attrs must be an array of attribute names")
    return frozenset(ctx.expand_term(a) for a in attrs)


def _text(obj: dict[str, Any], member: str) -> str | None:
    value = obj.get(member)
    if value is not None and not isinstance(value, str):
        raise BadRequestData(f"{member} must be a string, got {type(value).__name__}")
    return value


def _geo(ctx: ActiveContext, query: dict[str, Any]) -> GeoQuery | None:
    geoq = query.get("geoQ")
    if geoq is None:
        return None
    if not isinstance(geoq, dict):
        raise BadRequestData("Query.geoQ must be a GeoQuery object")
    return parse_geoq_member(geoq, ctx.expand_term)


def _selection(
    ctx: ActiveContext,
    selector: dict[str, Any],
    query: dict[str, Any],
    geo: GeoQuery | None,
    attrs: frozenset[str] | None,
) -> EntityFilter:
    return build_filter(
        ctx,
        ids=_text(selector, "id"),
        id_pattern=_text(selector, "idPattern"),
        types=_text(selector, "type"),
        attrs=attrs,
        q=_text(query, "q"),
        scope_q=_text(query, "scopeQ"),
        geo=geo,
    )


for _operation in ("create", "upsert", "update", "delete", "merge", "query"):
    refuse_other_methods(
        router, f"/entityOperations/{_operation}", ("POST",), f"batch {_operation}"
    )
