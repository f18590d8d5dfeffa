"""Entity representations: normalized, simplified (keyValues), concise, system attributes and
attribute-level content (ETSI GS CIM 009 V1.8.1 clauses 4.5.1, 4.5.2.2, 4.5.2.3, 4.5.3, 4.5.4,
4.5.5, 4.8; HTTP binding 6.3.7 and 6.3.11).

Projections (attrs/pick/omit) and the language filter live in :mod:`representation_filters`,
GeoJSON in :mod:`representation_geojson`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from mim_suite.checks.base import CheckContext, CheckFunc, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, retrieve
from mim_suite.model import NGSI_LD, Strength

AREA = "representation"

#: The NGSI-LD attribute type of each attribute of ``_support.sample_entity``.
SAMPLE_KINDS = {
    "speed": "Property",
    "brandName": "Property",
    "isParked": "Relationship",
    "location": "GeoProperty",
}
#: DateTime as 4.6.3 has it: all components, optional fraction, UTC designator ``Z``.
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([.,]\d+)?Z")


def representation_check(
    check_id: str, requirement: str, clause: str
) -> Callable[[CheckFunc], CheckFunc]:
    return check(
        check_id,
        mim=MIM,
        area=AREA,
        requirement=requirement,
        source=NGSI_LD(clause),
        strength=Strength.SHALL,
        writes=True,
    )


def show(value: Any, limit: int = 300) -> str:
    """``value`` as compact JSON for evidence, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


async def fetch_entity(
    ctx: CheckContext, entity_id: str, params: dict[str, str] | None = None
) -> dict[str, Any]:
    """Retrieve ``entity_id`` (200 expected) and return the body, which must be an object."""
    response = await retrieve(ctx, entity_id, params=params)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(isinstance(body, dict), "the entity as a JSON object", show(body))
    assert isinstance(body, dict)
    return body


def member(ctx: CheckContext, body: dict[str, Any], name: str) -> Any:
    """``body[name]``, failing with the members present when it is missing."""
    ctx.expect(name in body, f"member {name!r} in the entity", f"members {sorted(body)}")
    return body[name]


def simplified_values(entity: dict[str, Any]) -> dict[str, Any]:
    """The simplified (keyValues) value of each sample attribute (4.5.4)."""
    return {
        "speed": entity["speed"]["value"],
        "brandName": entity["brandName"]["value"],
        "isParked": entity["isParked"]["object"],
        "location": entity["location"]["value"],
    }


def expect_simplified(ctx: CheckContext, body: dict[str, Any], entity: dict[str, Any]) -> None:
    for name, value in simplified_values(entity).items():
        got = member(ctx, body, name)
        ctx.expect(got == value, f"{name}: {show(value)} (simplified)", f"{name}: {show(got)}")


def expect_normalized(ctx: CheckContext, body: dict[str, Any], entity: dict[str, Any]) -> None:
    for name, kind in SAMPLE_KINDS.items():
        got = member(ctx, body, name)
        ctx.expect(
            isinstance(got, dict) and got.get("type") == kind,
            f"{name} as an object with type {kind!r}",
            f"{name}: {show(got)}",
        )
        key = "object" if kind == "Relationship" else "value"
        ctx.expect(
            got.get(key) == entity[name][key],
            f"{name}.{key} = {show(entity[name][key])}",
            f"{name}: {show(got)}",
        )


@representation_check(
    "MIM1.REPR.NORMALIZED.DEFAULT",
    "Without format or options, attributes come back normalized: objects with their type.",
    "4.5.2.2",
)
async def normalized_by_default(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    expect_normalized(ctx, await fetch_entity(ctx, entity["id"]), entity)


@representation_check(
    "MIM1.REPR.NORMALIZED.FORMAT",
    "format=normalized returns every attribute as an object with its type and value or object.",
    "6.3.7",
)
async def normalized_on_request(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"format": "normalized"})
    expect_normalized(ctx, body, entity)


@representation_check(
    "MIM1.REPR.KEYVALUES.OPTIONS",
    "options=keyValues returns each Property as its value, each Relationship as its object and"
    " each GeoProperty as its geometry.",
    "4.5.4",
)
async def key_values_option(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"options": "keyValues"})
    expect_simplified(ctx, body, entity)


@representation_check(
    "MIM1.REPR.SIMPLIFIED.FORMAT",
    "format=simplified returns the simplified representation (attribute name to value).",
    "6.3.7",
)
async def simplified_format(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"format": "simplified"})
    expect_simplified(ctx, body, entity)


@representation_check(
    "MIM1.REPR.KEYVALUES.QUERY",
    "Query Entities with options=keyValues returns the matching entities simplified.",
    "6.3.7",
)
async def key_values_query(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    params = {"type": entity["type"], "options": "keyValues"}
    response = await ctx.get("/entities", params=params)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    found = [e for e in body if isinstance(e, dict) and e.get("id") == entity["id"]]
    ctx.expect(len(found) == 1, f"entity {entity['id']} in the answer", show(body))
    expect_simplified(ctx, found[0], entity)


@representation_check(
    "MIM1.REPR.CONCISE.PROPERTY",
    "format=concise returns a Property without sub-attributes as its bare value.",
    "4.5.2.3",
)
async def concise_bare_property(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"format": "concise"})
    got = member(ctx, body, "brandName")
    ctx.expect(got == "Mercedes", 'brandName: "Mercedes" (concise)', f"brandName: {show(got)}")


@representation_check(
    "MIM1.REPR.CONCISE.OPTIONS",
    "options=concise selects the concise representation as format=concise does.",
    "6.3.7",
)
async def concise_option(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"options": "concise"})
    got = member(ctx, body, "brandName")
    ctx.expect(got == "Mercedes", 'brandName: "Mercedes" (concise)', f"brandName: {show(got)}")


def _concise_holds(got: Any, key: str, expected: Any) -> bool:
    """Whether a concise attribute carries ``expected`` under ``key`` (or bare, for values)."""
    if key == "value" and got == expected:
        return True
    return isinstance(got, dict) and got.get(key) == expected


@representation_check(
    "MIM1.REPR.CONCISE.LOSSLESS",
    "The concise representation is lossless: values, objects, unitCode and sub-attributes are"
    " all kept.",
    "4.5.2.3",
)
async def concise_is_lossless(ctx: CheckContext) -> None:
    speed = {"type": "Property", "value": 80, "unitCode": "KMH"}
    speed["accuracy"] = {"type": "Property", "value": 0.5}
    entity = await create_sample(ctx, speed=speed)
    body = await fetch_entity(ctx, entity["id"], {"format": "concise"})
    got = member(ctx, body, "speed")
    ctx.expect(
        isinstance(got, dict) and got.get("value") == 80 and got.get("unitCode") == "KMH",
        'speed as an object with "value": 80 and "unitCode": "KMH"',
        f"speed: {show(got)}",
    )
    accuracy = got.get("accuracy")
    ctx.expect(
        _concise_holds(accuracy, "value", 0.5),
        "speed.accuracy with value 0.5",
        f"speed.accuracy: {show(accuracy)}",
    )
    for name, key in (("isParked", "object"), ("location", "value")):
        got = member(ctx, body, name)
        expected = entity[name][key]
        ctx.expect(
            _concise_holds(got, key, expected),
            f"{name} carrying {show(expected)}",
            f"{name}: {show(got)}",
        )


def _expect_timestamps(ctx: CheckContext, where: str, node: dict[str, Any]) -> None:
    for name in ("createdAt", "modifiedAt"):
        value = node.get(name)
        ctx.expect(
            isinstance(value, str) and DATETIME.fullmatch(value) is not None,
            f"{where}.{name} as a UTC DateTime ending in Z",
            f"{where}.{name} = {show(value)}",
        )


@representation_check(
    "MIM1.REPR.SYSATTRS.ENTITY",
    "options=sysAttrs adds createdAt and modifiedAt, UTC DateTimes, to the entity.",
    "6.3.11",
)
async def sys_attrs_on_entity(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"options": "sysAttrs"})
    _expect_timestamps(ctx, "entity", body)


@representation_check(
    "MIM1.REPR.SYSATTRS.ATTRIBUTE",
    "options=sysAttrs adds createdAt and modifiedAt, UTC DateTimes, to every attribute.",
    "6.3.11",
)
async def sys_attrs_on_attributes(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"options": "sysAttrs"})
    for name in SAMPLE_KINDS:
        got = member(ctx, body, name)
        ctx.expect(isinstance(got, dict), f"{name} as an object", f"{name}: {show(got)}")
        _expect_timestamps(ctx, name, got)


@representation_check(
    "MIM1.REPR.SYSATTRS.ABSENT",
    "Without options=sysAttrs, createdAt and modifiedAt appear neither on the entity nor on"
    " its attributes.",
    "6.3.11",
)
async def sys_attrs_absent_by_default(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"])
    nodes = {"entity": body} | {n: body.get(n) for n in SAMPLE_KINDS}
    for where, node in nodes.items():
        present = [k for k in ("createdAt", "modifiedAt") if isinstance(node, dict) and k in node]
        ctx.expect(not present, f"no system attributes on {where}", f"{where}: {show(node)}")


@representation_check(
    "MIM1.REPR.UNITCODE",
    "A Property's unitCode is returned as it was created.",
    "4.5.2.2",
)
async def unit_code_round_trip(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "speed")
    unit = got.get("unitCode") if isinstance(got, dict) else None
    ctx.expect(unit == "KMH", 'speed.unitCode = "KMH"', f"speed: {show(got)}")


@representation_check(
    "MIM1.REPR.OBSERVEDAT",
    "A Property's observedAt is returned as the same instant it was created with.",
    "4.5.2.2",
)
async def observed_at_round_trip(ctx: CheckContext) -> None:
    stamp = "2024-03-01T10:20:30Z"
    speed = {"type": "Property", "value": 80, "observedAt": stamp}
    entity = await create_sample(ctx, speed=speed)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "speed")
    value = got.get("observedAt") if isinstance(got, dict) else None
    same = isinstance(value, str) and re.fullmatch(r"2024-03-01T10:20:30([.,]0+)?Z", value)
    ctx.expect(bool(same), f"speed.observedAt = {stamp}", f"speed: {show(got)}")


@representation_check(
    "MIM1.REPR.SUBATTR.PROPERTY",
    "A Property of a Property is returned with its type and value.",
    "4.5.2.2",
)
async def property_of_property(ctx: CheckContext) -> None:
    speed = {"type": "Property", "value": 80, "accuracy": {"type": "Property", "value": 0.5}}
    entity = await create_sample(ctx, speed=speed)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "speed")
    sub = got.get("accuracy") if isinstance(got, dict) else None
    ctx.expect(
        isinstance(sub, dict) and sub.get("type") == "Property" and sub.get("value") == 0.5,
        'speed.accuracy = {"type": "Property", "value": 0.5}',
        f"speed: {show(got)}",
    )


@representation_check(
    "MIM1.REPR.SUBATTR.RELATIONSHIP",
    "A Relationship of a Property is returned with its type and object.",
    "4.5.2.2",
)
async def relationship_of_property(ctx: CheckContext) -> None:
    device = "urn:ngsi-ld:Device:mimtest-gps"
    speed = {"type": "Property", "value": 80}
    speed["measuredBy"] = {"type": "Relationship", "object": device}
    entity = await create_sample(ctx, speed=speed)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "speed")
    sub = got.get("measuredBy") if isinstance(got, dict) else None
    ctx.expect(
        isinstance(sub, dict) and sub.get("type") == "Relationship" and sub.get("object") == device,
        f'speed.measuredBy = {{"type": "Relationship", "object": "{device}"}}',
        f"speed: {show(got)}",
    )


@representation_check(
    "MIM1.REPR.MULTI.ARRAY",
    "An attribute with several instances (datasetId) is returned as an array of its instances.",
    "4.5.5",
)
async def multi_attribute_array(ctx: CheckContext) -> None:
    dataset = "urn:ngsi-ld:Dataset:mimtest-gps"
    speed = [
        {"type": "Property", "value": 80},
        {"type": "Property", "value": 75, "datasetId": dataset},
    ]
    entity = await create_sample(ctx, speed=speed)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "speed")
    ctx.expect(
        isinstance(got, list) and len(got) == 2,
        "speed as an array of 2 instances",
        f"speed: {show(got)}",
    )
    pairs = {(i.get("datasetId"), i.get("value")) for i in got if isinstance(i, dict)}
    ctx.expect(
        pairs == {(None, 80), (dataset, 75)},
        f"instances (default, 80) and ({dataset}, 75)",
        f"speed: {show(got)}",
    )
