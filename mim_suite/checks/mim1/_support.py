"""Helpers shared by the MIM1 check modules: entity builders and request shorthands."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from mim_suite.checks.base import CORE_CONTEXT, CheckContext
from mim_suite.probe import ProbeResponse

__all__ = [
    "JSON",
    "JSONLD",
    "create_sample",
    "entity_path",
    "link_header",
    "retrieve",
    "sample_entity",
]

JSON = {"Content-Type": "application/json"}
JSONLD = {"Content-Type": "application/ld+json"}


def entity_path(entity_id: str, *rest: str) -> str:
    """``/entities/{id}[/...]`` with the id percent-encoded as a path segment."""
    tail = "".join("/" + quote(part, safe=":") for part in rest)
    return f"/entities/{quote(entity_id, safe=':')}{tail}"


def link_header(url: str = CORE_CONTEXT) -> str:
    return f'<{url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


def sample_entity(ctx: CheckContext, type_name: str | None = None, **attrs: Any) -> dict[str, Any]:
    """A normalized entity of a fresh type, with a Property, a Relationship and a location."""
    kind = type_name or ctx.type_name("Vehicle")
    entity: dict[str, Any] = {
        "id": ctx.entity_id(kind),
        "type": kind,
        "speed": {"type": "Property", "value": 80, "unitCode": "KMH"},
        "brandName": {"type": "Property", "value": "Mercedes"},
        "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:OffStreetParking:Downtown1"},
        "location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [-8.5, 41.2]},
        },
    }
    entity.update(attrs)
    return entity


async def create_sample(ctx: CheckContext, **attrs: Any) -> dict[str, Any]:
    """Create :func:`sample_entity` as a precondition (skip the check if refused)."""
    entity = sample_entity(ctx, **attrs)
    await ctx.create(entity)
    return entity


async def retrieve(ctx: CheckContext, entity_id: str, **kwargs: Any) -> ProbeResponse:
    return await ctx.get(entity_path(entity_id), **kwargs)
