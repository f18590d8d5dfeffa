"""Discovery of entity types and attributes (clauses 5.7.5-5.7.10, 6.25-6.28).

Everything here is computed from the tenant's current entities; the data structures are
EntityTypeList, EntityType, EntityTypeInfo, AttributeList and Attribute (clauses 5.2.24-5.2.29).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from reference_server.api.http import (
    JSON,
    JSONLD,
    accepted_media,
    json_response,
    refuse_other_methods,
    request_context,
    tenant_of,
)
from reference_server.api.params import DISCOVERY_PARAMS, check_params, flag, int_param
from reference_server.api.state import AppState, state_of
from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import ResourceNotFound
from reference_server.store.base import Candidates, Entity

__all__ = ["router"]

router = APIRouter()


@dataclass
class _AttributeStats:
    count: int = 0
    attribute_types: set[str] = field(default_factory=set)
    type_names: set[str] = field(default_factory=set)


@dataclass
class _TypeStats:
    count: int = 0
    attributes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _attributes(entity: Entity) -> dict[str, set[str]]:
    return {
        name: {instance["type"] for instance in instances}
        for name, instances in entity.items()
        if ":" in name and isinstance(instances, list)
    }


async def _entities(state: AppState, tenant: str) -> list[Entity]:
    await state.require_tenant(tenant)
    return await state.store.scan(tenant, Candidates())


def _type_stats(entities: list[Entity]) -> dict[str, _TypeStats]:
    stats: dict[str, _TypeStats] = defaultdict(_TypeStats)
    for entity in entities:
        attrs = _attributes(entity)
        for type_iri in entity["type"]:
            entry = stats[type_iri]
            entry.count += 1
            for name, kinds in attrs.items():
                entry.attributes[name] |= kinds
    return stats


def _attribute_stats(entities: list[Entity]) -> dict[str, _AttributeStats]:
    stats: dict[str, _AttributeStats] = defaultdict(_AttributeStats)
    for entity in entities:
        for name, kinds in _attributes(entity).items():
            entry = stats[name]
            entry.count += 1
            entry.attribute_types |= kinds
            entry.type_names.update(entity["type"])
    return stats


async def _prepare(request: Request) -> tuple[AppState, ActiveContext, str]:
    """Headers and parameters first (406, 400), then the @context."""
    media = accepted_media(request, (JSON, JSONLD))
    params = request.query_params
    check_params(params, DISCOVERY_PARAMS)
    # limit/offset/count are accepted (unsettled, spec-notes 10.19) and validated, not applied.
    int_param(params, "limit", 0)
    int_param(params, "offset", 0)
    flag(params, "count")
    flag(params, "local")
    state = state_of(request)
    return state, await request_context(request, state.resolver), media


@router.get("/types")
async def list_types(request: Request) -> Response:
    """Retrieve Available Entity Types (5.7.5) or, with details=true, their details (5.7.6)."""
    state, ctx, media = await _prepare(request)
    stats = _type_stats(await _entities(state, tenant_of(request)))
    names = sorted(stats)
    body: Any
    if flag(request.query_params, "details"):
        body = [
            {
                "id": t,
                "type": "EntityType",
                "typeName": ctx.compact_iri(t),
                "attributeNames": sorted(ctx.compact_iri(a) for a in stats[t].attributes),
            }
            for t in names
        ]
    else:
        body = {
            "id": f"urn:ngsi-ld:EntityTypeList:{uuid.uuid4()}",
            "type": "EntityTypeList",
            "typeList": [ctx.compact_iri(t) for t in names],
        }
    return json_response(body, media=media, ctx=ctx, core_url=state.core_url)


@router.get("/types/{type_name:path}")
async def type_info(request: Request, type_name: str) -> Response:
    """Retrieve Available Entity Type Information (5.7.7): EntityTypeInfo."""
    state, ctx, media = await _prepare(request)
    iri = ctx.expand_term(type_name)
    stats = _type_stats(await _entities(state, tenant_of(request))).get(iri)
    if stats is None:
        raise ResourceNotFound(f"no entity has type {type_name!r}", instance=iri)
    body = {
        "id": iri,
        "type": "EntityTypeInfo",
        "typeName": ctx.compact_iri(iri),
        "entityCount": stats.count,
        "attributeDetails": [
            {
                "id": name,
                "type": "Attribute",
                "attributeName": ctx.compact_iri(name),
                "attributeTypes": sorted(kinds),
            }
            for name, kinds in sorted(stats.attributes.items())
        ],
    }
    return json_response(body, media=media, ctx=ctx, core_url=state.core_url)


def _attribute_body(ctx: ActiveContext, name: str, stats: _AttributeStats) -> dict[str, Any]:
    return {
        "id": name,
        "type": "Attribute",
        "attributeName": ctx.compact_iri(name),
        "attributeCount": stats.count,
        "attributeTypes": sorted(stats.attribute_types),
        "typeNames": sorted(ctx.compact_iri(t) for t in stats.type_names),
    }


@router.get("/attributes")
async def list_attributes(request: Request) -> Response:
    """Retrieve Available Attributes (5.7.8) or, with details=true, their details (5.7.9)."""
    state, ctx, media = await _prepare(request)
    stats = _attribute_stats(await _entities(state, tenant_of(request)))
    body: Any
    if flag(request.query_params, "details"):
        body = [_attribute_body(ctx, name, stats[name]) for name in sorted(stats)]
    else:
        body = {
            "id": f"urn:ngsi-ld:AttributeList:{uuid.uuid4()}",
            "type": "AttributeList",
            "attributeList": [ctx.compact_iri(name) for name in sorted(stats)],
        }
    return json_response(body, media=media, ctx=ctx, core_url=state.core_url)


@router.get("/attributes/{attr_name:path}")
async def attribute_info(request: Request, attr_name: str) -> Response:
    """Retrieve Available Attribute Information (5.7.10): Attribute."""
    state, ctx, media = await _prepare(request)
    iri = ctx.expand_term(attr_name)
    stats = _attribute_stats(await _entities(state, tenant_of(request))).get(iri)
    if stats is None:
        raise ResourceNotFound(f"no entity has attribute {attr_name!r}", instance=iri)
    body = _attribute_body(ctx, iri, stats)
    return json_response(body, media=media, ctx=ctx, core_url=state.core_url)


for _path in ("/types", "/types/{type_name:path}", "/attributes", "/attributes/{attr_name:path}"):
    refuse_other_methods(router, _path, ("GET",), "discovery resources")
