"""Discovery of entity types and attributes (ETSI GS CIM 009 V1.8.1 clauses 5.7.5-5.7.10; data
types EntityTypeList, EntityType, EntityTypeInfo, AttributeList, Attribute of 5.2.24-5.2.28;
HTTP binding 6.25-6.28).

Each check creates entities of its own type with attributes whose names carry the run id, so
that counts and lists are its own whatever else the platform holds. Names may come back short
(compacted with the core @context) or expanded (default vocabulary): both are accepted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import entity_path
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "discovery"


# -- helpers -----------------------------------------------------------------------------------


def same_name(reported: Any, short: str) -> bool:
    """``reported`` is ``short`` or an expansion of it (``.../short``, ``...#short``)."""
    return isinstance(reported, str) and (
        reported == short or reported.endswith(("/" + short, "#" + short, ":" + short))
    )


def is_uri(value: Any) -> bool:
    """A URI has a scheme (RFC 3986): letters first, then ``:`` and something."""
    if not isinstance(value, str) or ":" not in value:
        return False
    scheme, _, rest = value.partition(":")
    return bool(rest) and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)


class Fixture:
    """Entities of one fresh type: ``count`` of them, each with a Property and a Relationship
    whose names are unique to this check."""

    def __init__(self, ctx: CheckContext, count: int = 2) -> None:
        tag = f"{ctx.run_id}n{ctx.fixtures.next()}"
        self.kind = ctx.type_name("Discovered")
        self.prop = f"level{tag}"
        self.rel = f"feeds{tag}"
        self.ids = [ctx.entity_id(self.kind) for _ in range(count)]
        self.entities: list[dict[str, Any]] = [
            {
                "id": entity_id,
                "type": self.kind,
                self.prop: {"type": "Property", "value": n},
                self.rel: {"type": "Relationship", "object": "urn:ngsi-ld:Thing:elsewhere"},
            }
            for n, entity_id in enumerate(self.ids)
        ]

    async def create(self, ctx: CheckContext) -> Fixture:
        for entity in self.entities:
            await ctx.create(entity)
        return self


async def _body(ctx: CheckContext, path: str, **params: str) -> Any:
    response = await ctx.get(path, params=params or None)
    ctx.expect_status(response, 200)
    return ctx.json(response)


Kinds = type | tuple[type, ...]


def _kind_name(kinds: Kinds) -> str:
    return kinds.__name__ if isinstance(kinds, type) else " or ".join(k.__name__ for k in kinds)


def _expect_shape(ctx: CheckContext, body: Any, kind: str, required: dict[str, Kinds]) -> None:
    """``body`` is an object of JSON-LD type ``kind`` with the required members."""
    ctx.expect(isinstance(body, dict), f"a {kind} object", f"{body!r}"[:200])
    ctx.expect(body.get("type") == kind, f'type "{kind}"', f"type {body.get('type')!r}")
    ctx.expect(is_uri(body.get("id")), f"a URI id in the {kind}", f"id {body.get('id')!r}")
    for member, kind_of in required.items():
        ctx.expect(
            isinstance(body.get(member), kind_of),
            f"member {member} ({_kind_name(kind_of)}) in the {kind}",
            f"{member} = {body.get(member)!r}"[:200],
        )


def _find(items: Any, member: str, short: str) -> dict[str, Any] | None:
    if not isinstance(items, list):
        return None
    return next((i for i in items if isinstance(i, dict) and same_name(i.get(member), short)), None)


def _expect_listed(ctx: CheckContext, names: Any, short: str, where: str) -> None:
    listed = names if isinstance(names, list) else []
    ctx.expect(
        any(same_name(n, short) for n in listed),
        f"{short} in {where}",
        f"{len(listed)} names, not including it: {listed[:10]!r}"[:300],
    )


def _expect_not_found(ctx: CheckContext, response: ProbeResponse) -> None:
    ctx.expect_problem(response, 404, "ResourceNotFound")


# -- entity types (5.7.5-5.7.7) ----------------------------------------------------------------


@check(
    "MIM1.DISC.TYPES.LIST",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types answers an EntityTypeList (URI id, type EntityTypeList, typeList) that"
        " lists the type of existing entities."
    ),
    source=NGSI_LD("5.7.5"),
    strength=Strength.SHALL,
    writes=True,
)
async def types_list_has_type(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    body = await _body(ctx, "/types")
    _expect_shape(ctx, body, "EntityTypeList", {"typeList": list})
    _expect_listed(ctx, body["typeList"], fixture.kind, "typeList")


@check(
    "MIM1.DISC.TYPES.DETAILS",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types?details=true answers EntityType objects (id, type EntityType, typeName,"
        " attributeNames) naming the attributes of the type's entities."
    ),
    source=NGSI_LD("5.7.6"),
    strength=Strength.SHALL,
    writes=True,
)
async def types_details(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    body = await _body(ctx, "/types", details="true")
    ctx.expect(isinstance(body, list), "a JSON array of EntityType", f"{body!r}"[:200])
    found = _find(body, "typeName", fixture.kind)
    ctx.expect(found is not None, f"an EntityType with typeName {fixture.kind}", f"{body!r}"[:300])
    assert found is not None
    _expect_shape(ctx, found, "EntityType", {"typeName": str, "attributeNames": list})
    for name in (fixture.prop, fixture.rel):
        _expect_listed(ctx, found["attributeNames"], name, "attributeNames")


@check(
    "MIM1.DISC.TYPE.INFO",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types/{type} answers an EntityTypeInfo (id, type EntityTypeInfo, typeName,"
        " entityCount, attributeDetails) whose entityCount is the number of entities of the type."
    ),
    source=NGSI_LD("5.7.7"),
    strength=Strength.SHALL,
    writes=True,
)
async def type_info_counts(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 2).create(ctx)
    body = await _body(ctx, f"/types/{fixture.kind}")
    required: dict[str, Kinds] = {
        "typeName": str,
        "entityCount": (int, float),
        "attributeDetails": list,
    }
    _expect_shape(ctx, body, "EntityTypeInfo", required)
    ctx.expect(
        same_name(body["typeName"], fixture.kind),
        f"typeName {fixture.kind}",
        f"typeName {body['typeName']!r}",
    )
    ctx.expect(
        body["entityCount"] == 2,
        "entityCount 2 (two entities of the type)",
        f"entityCount {body['entityCount']!r}",
    )


@check(
    "MIM1.DISC.TYPE.ATTRIBUTE_DETAILS",
    mim=MIM,
    area=AREA,
    requirement=(
        "The attributeDetails of an EntityTypeInfo describe each attribute of the type as an"
        " Attribute with id, type Attribute, attributeName and attributeTypes."
    ),
    source=NGSI_LD("5.2.26"),
    strength=Strength.SHALL,
    writes=True,
)
async def type_info_attribute_details(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    body = await _body(ctx, f"/types/{fixture.kind}")
    details = body.get("attributeDetails") if isinstance(body, dict) else None
    for name, kind in ((fixture.prop, "Property"), (fixture.rel, "Relationship")):
        found = _find(details, "attributeName", name)
        ctx.expect(found is not None, f"attributeDetails for {name}", f"{details!r}"[:300])
        assert found is not None
        _expect_shape(ctx, found, "Attribute", {"attributeName": str, "attributeTypes": list})
        _expect_listed(ctx, found["attributeTypes"], kind, f"attributeTypes of {name}")


@check(
    "MIM1.DISC.TYPE.404",
    mim=MIM,
    area=AREA,
    requirement="GET /types/{type} for a type no entity has fails with 404 ResourceNotFound.",
    source=NGSI_LD("6.26.3.1"),
    strength=Strength.SHALL,
)
async def unknown_type_is_404(ctx: CheckContext) -> None:
    _expect_not_found(ctx, await ctx.get(f"/types/{ctx.type_name('Unheard')}"))


@check(
    "MIM1.DISC.TYPE.GONE",
    mim=MIM,
    area=AREA,
    requirement=(
        "Once the last entity of a type is deleted, GET /types/{type} fails with 404: types are"
        " those for which entity instances exist."
    ),
    source=NGSI_LD("5.7.7.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def deleted_type_is_gone(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    deleted = await ctx.delete(entity_path(fixture.ids[0]))
    if deleted.status != 204:
        ctx.skip(f"precondition failed: delete answered {deleted.status} (MIM1.ENT.DELETE.204)")
    _expect_not_found(ctx, await ctx.get(f"/types/{fixture.kind}"))


# -- attributes (5.7.8-5.7.10) -----------------------------------------------------------------


@check(
    "MIM1.DISC.ATTRS.LIST",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /attributes answers an AttributeList (URI id, type AttributeList, attributeList)"
        " that lists the attributes of existing entities."
    ),
    source=NGSI_LD("5.7.8"),
    strength=Strength.SHALL,
    writes=True,
)
async def attributes_list(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    body = await _body(ctx, "/attributes")
    _expect_shape(ctx, body, "AttributeList", {"attributeList": list})
    for name in (fixture.prop, fixture.rel):
        _expect_listed(ctx, body["attributeList"], name, "attributeList")


@check(
    "MIM1.DISC.ATTRS.DETAILS",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /attributes?details=true answers Attribute objects (id, type Attribute,"
        " attributeName) including the attributes of existing entities."
    ),
    source=NGSI_LD("5.7.9"),
    strength=Strength.SHALL,
    writes=True,
)
async def attributes_details(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 1).create(ctx)
    body = await _body(ctx, "/attributes", details="true")
    ctx.expect(isinstance(body, list), "a JSON array of Attribute", f"{body!r}"[:200])
    for name in (fixture.prop, fixture.rel):
        found = _find(body, "attributeName", name)
        ctx.expect(found is not None, f"an Attribute named {name}", f"{len(body)} Attributes")
        assert found is not None
        _expect_shape(ctx, found, "Attribute", {"attributeName": str})


@check(
    "MIM1.DISC.ATTR.INFO",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /attributes/{attrId} answers an Attribute (id, type Attribute, attributeName) whose"
        " optional attributeCount, attributeTypes and typeNames, when present, are accurate."
    ),
    source=NGSI_LD("5.7.10"),
    strength=Strength.SHALL,
    writes=True,
)
async def attribute_info(ctx: CheckContext) -> None:
    fixture = await Fixture(ctx, 2).create(ctx)
    body = await _body(ctx, f"/attributes/{quote(fixture.prop, safe='')}")
    _expect_shape(ctx, body, "Attribute", {"attributeName": str})
    ctx.expect(
        same_name(body["attributeName"], fixture.prop),
        f"attributeName {fixture.prop}",
        f"attributeName {body['attributeName']!r}",
    )
    if "attributeCount" in body:
        count = body["attributeCount"]
        ctx.expect(count == 2, "attributeCount 2 (two instances)", f"attributeCount {count!r}")
    if "attributeTypes" in body:
        _expect_listed(ctx, body["attributeTypes"], "Property", "attributeTypes")
    if "typeNames" in body:
        _expect_listed(ctx, body["typeNames"], fixture.kind, "typeNames")
    missing = [m for m in ("attributeCount", "attributeTypes", "typeNames") if m not in body]
    if missing:
        ctx.note(f"optional members absent (5.2.28): {', '.join(missing)}")


@check(
    "MIM1.DISC.ATTR.404",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /attributes/{attrId} for an attribute no entity has fails with 404 ResourceNotFound."
    ),
    source=NGSI_LD("6.28.3.1"),
    strength=Strength.SHALL,
)
async def unknown_attribute_is_404(ctx: CheckContext) -> None:
    response = await ctx.get(f"/attributes/unheardOf{ctx.run_id}n{ctx.fixtures.next()}")
    _expect_not_found(ctx, response)
