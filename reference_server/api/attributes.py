"""Attribute operations under ``/entities/{id}/attrs`` (clauses 5.6.2-5.6.5, 5.6.19, 6.6, 6.7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reference_server.api.http import (
    JSON,
    JSONLD,
    MERGE_PATCH,
    json_response,
    method_not_allowed,
    read_body,
    request_context,
    tenant_of,
)
from reference_server.api.params import (
    WRITE_PARAMS,
    check_params,
    options_of,
    require_type,
    type_selection,
)
from reference_server.api.state import now_iso, state_of
from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import BadRequestData, ResourceNotFound
from reference_server.ngsild.payload import (
    append_attributes,
    delete_attribute,
    parse_attribute_instance,
    parse_attribute_value,
    parse_attributes,
    partial_update_attribute,
    replace_attribute,
    update_attributes,
)
from reference_server.ngsild.payload_checks import check_name, check_uri
from reference_server.ngsild.payload_common import RESERVED_ATTRIBUTE_NAMES
from reference_server.store.base import Entity

__all__ = ["attribute_resource", "attrs_collection", "update_result"]

NotUpdated = list[tuple[str, str]]

#: Names an attrId can never be: entity members and reserved core terms (4.5.1, 5.6.4.4).
NOT_ATTRIBUTES = RESERVED_ATTRIBUTE_NAMES | {"scope", "expiresAt", "@context"}


def update_result(updated: list[str], not_updated: NotUpdated) -> Any:
    """The UpdateResult body (clause 5.2.18); 207 bodies carry full IRIs (clause 6.3.6)."""
    return {
        "updated": updated,
        "notUpdated": [{"attributeName": i, "reason": reason} for i, reason in not_updated],
    }


async def attrs_collection(request: Request, method: str, entity_id: str) -> Response:
    """POST = Append Entity Attributes, PATCH = Update Entity Attributes."""
    if method not in ("POST", "PATCH"):
        raise method_not_allowed(method, ("POST", "PATCH"), "an entity's attrs")
    state = state_of(request)
    # PATCH accepts application/merge-patch+json as JSON (clause 6.3.4).
    media = (JSON, JSONLD, MERGE_PATCH) if method == "PATCH" else (JSON, JSONLD)
    body = await read_body(request, state.settings.max_body_bytes, allowed=media)
    check_params(request.query_params, WRITE_PARAMS)
    overwrite = "noOverwrite" not in options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the attributes fragment must be a JSON object")
    ctx = await request_context(request, state.resolver, body.context)
    selection = type_selection(request.query_params, ctx)
    now = now_iso()
    attrs = parse_attributes(
        body.data, ctx, now=now, entity_id=entity_id, allow_null=method == "PATCH"
    )
    outcome: dict[str, tuple[list[str], NotUpdated]] = {}

    def change(entity: Entity) -> Entity:
        require_type(entity, selection)
        if method == "POST":
            new, updated, not_updated = append_attributes(
                entity, attrs, overwrite=overwrite, now=now
            )
        else:
            new, updated, not_updated = update_attributes(entity, attrs, now=now)
        outcome["result"] = (updated, not_updated)
        return new

    await state.modify_entity(tenant_of(request), entity_id, change)
    updated, not_updated = outcome["result"]
    if not not_updated:
        return Response(status_code=204)
    return json_response(
        update_result(updated, not_updated),
        media="application/json",
        ctx=None,
        core_url=state.core_url,
        status=207,
    )


async def attribute_resource(
    request: Request, method: str, entity_id: str, attr_name: str
) -> Response:
    """PATCH = Partial Attribute Update, PUT = Replace Attribute, DELETE = Delete Attribute."""
    handlers = {"PATCH": _partial_update, "PUT": _replace, "DELETE": _delete}
    handler = handlers.get(method)
    if handler is None:
        raise method_not_allowed(method, ("PATCH", "PUT", "DELETE"), "an attribute")
    check_name(attr_name, "attrId", "attribute name")
    if attr_name in NOT_ATTRIBUTES and not (method == "DELETE" and attr_name == "scope"):
        raise BadRequestData(f"{attr_name!r} is not an attribute (clauses 4.5.1, 5.6.4.4)")
    return await handler(request, entity_id, attr_name)


async def _modify(
    request: Request, ctx: ActiveContext, entity_id: str, change: Callable[[Entity], Entity]
) -> None:
    """Apply ``change`` to the entity, which must match the ``type`` parameter if given."""
    selection = type_selection(request.query_params, ctx)

    def checked(entity: Entity) -> Entity:
        require_type(entity, selection)
        return change(entity)

    await state_of(request).modify_entity(tenant_of(request), entity_id, checked)


async def _partial_update(request: Request, entity_id: str, attr_name: str) -> Response:
    state = state_of(request)
    body = await read_body(
        request, state.settings.max_body_bytes, allowed=(JSON, JSONLD, MERGE_PATCH)
    )
    check_params(request.query_params, WRITE_PARAMS)
    options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the attribute fragment must be a JSON object")
    ctx = await request_context(request, state.resolver, body.context)
    iri = ctx.expand_term(attr_name)
    now = now_iso()
    patch = parse_attribute_instance(body.data, ctx, now=now)

    def change(entity: Entity) -> Entity:
        _keep_type(entity, iri, patch)
        return partial_update_attribute(entity, iri, patch, now=now)

    await _modify(request, ctx, entity_id, change)
    return Response(status_code=204)


def _keep_type(entity: Entity, iri: str, patch: dict[str, Any]) -> None:
    """Partial Attribute Update cannot change the attribute type (clause 5.6.4.4)."""
    wanted = patch.get("type")
    if wanted is None:
        return
    for instance in entity.get(iri) or []:
        if instance.get("datasetId") == patch.get("datasetId") and instance["type"] != wanted:
            raise BadRequestData(
                f"the attribute is a {instance['type']}; a partial update cannot make it"
                f" a {wanted} (clause 5.6.4.4)"
            )


async def _replace(request: Request, entity_id: str, attr_name: str) -> Response:
    state = state_of(request)
    body = await read_body(request, state.settings.max_body_bytes)
    check_params(request.query_params, WRITE_PARAMS)
    options_of(request.query_params)
    if not isinstance(body.data, dict):
        raise BadRequestData("the attribute must be a JSON object")
    ctx = await request_context(request, state.resolver, body.context)
    iri = ctx.expand_term(attr_name)
    now = now_iso()
    instances = parse_attribute_value(body.data, ctx, now=now, iri=iri)
    await _modify(request, ctx, entity_id, lambda e: replace_attribute(e, iri, instances, now=now))
    return Response(status_code=204)


async def _delete(request: Request, entity_id: str, attr_name: str) -> Response:
    state = state_of(request)
    params = request.query_params
    check_params(params, frozenset({"datasetId", "deleteAll", "type", "local"}))
    ctx = await request_context(request, state.resolver)
    dataset_id = params.get("datasetId")
    if dataset_id is not None and dataset_id != "@none":
        check_uri(dataset_id, "datasetId", "datasetId")
    delete_all = params.get("deleteAll") == "true"
    if params.get("deleteAll") not in (None, "true", "false"):
        raise BadRequestData("deleteAll must be true or false")
    if attr_name == "scope":
        await _modify(request, ctx, entity_id, _delete_scope)
        return Response(status_code=204)
    iri = ctx.expand_term(attr_name)
    await _modify(
        request,
        ctx,
        entity_id,
        lambda e: delete_attribute(
            e, iri, dataset_id=dataset_id, delete_all=delete_all, now=now_iso()
        ),
    )
    return Response(status_code=204)


def _delete_scope(entity: Entity) -> Entity:
    """Delete Attribute with attrId ``scope`` removes the entity's scope (clause 5.6.5)."""
    if "scope" not in entity:
        raise ResourceNotFound(f"entity {entity['id']!r} has no scope", instance=entity["id"])
    return {k: v for k, v in entity.items() if k != "scope"} | {"modifiedAt": now_iso()}
