"""Read-only checks on the data a platform already holds (ETSI GS CIM 009 V1.8.1 clauses 5.7.1,
5.7.2, 5.7.5, 5.7.7, 5.7.8; pagination and counts 5.5.9, 6.3.13).

These send GET only, so they run on a production platform under the read-only profile. They
sample up to three existing entity types (types that look made by this harness last, since
other checks may be deleting them) and skip when the platform holds no entity at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import entity_path
from mim_suite.checks.mim1.discovery import is_uri, same_name
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "readonly"
NO_DATA = "no existing entities to read"
PAGE = 5
SAMPLED_TYPES = 3
MAX_TYPES_TRIED = 10
HARNESS_TYPE = re.compile(r"Mt[0-9A-Za-z]+N[0-9]+$")


@dataclass(frozen=True, slots=True)
class Sample:
    """An existing type and the first page of its entities (never empty)."""

    type_name: str
    entities: list[dict[str, Any]]


# -- helpers -----------------------------------------------------------------------------------


def _parsed(response: ProbeResponse) -> Any:
    """The JSON body of a 200 answer, else None (no verdict: the caller decides)."""
    if response.status != 200:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _types_of(entity: dict[str, Any]) -> list[str]:
    raw = entity.get("type")
    values = raw if isinstance(raw, list) else [raw]
    return [v for v in values if isinstance(v, str)]


async def existing_types(ctx: CheckContext) -> list[str]:
    """The typeList of GET /types, types not made by this harness first; skip if refused."""
    response = await ctx.get("/types")
    body = _parsed(response)
    names = body.get("typeList") if isinstance(body, dict) else None
    if not isinstance(names, list):
        ctx.skip(
            f"precondition failed: GET /types answered {response.status} without a typeList"
            " (see MIM1.RO.TYPES)"
        )
    found = [n for n in names if isinstance(n, str) and n]
    return sorted(found, key=lambda n: HARNESS_TYPE.search(n) is not None)


async def _page(ctx: CheckContext, type_name: str, **params: str) -> ProbeResponse:
    return await ctx.get("/entities", params={"type": type_name, "limit": str(PAGE), **params})


def _entities(
    ctx: CheckContext, response: ProbeResponse, type_name: str, judge: bool
) -> list[dict[str, Any]]:
    """The entities of a query answer; a bad answer fails the check if it ``judge``s queries,
    else skips it (MIM1.RO.QUERY.TYPE owns that verdict)."""
    body = _parsed(response)
    if not isinstance(body, list) and not judge:
        ctx.skip(
            f"precondition failed: querying type {type_name} answered {response.status}"
            " without an array (see MIM1.RO.QUERY.TYPE)"
        )
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, list),
        f"a JSON array for type={type_name}",
        f"{type(body).__name__}: {body!r}"[:200],
    )
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []


async def samples(
    ctx: CheckContext, *, judge: bool = False, **params: str
) -> list[tuple[Sample, ProbeResponse]]:
    """Up to three types with entities, each with the answer to its query; skip if none."""
    found: list[tuple[Sample, ProbeResponse]] = []
    for type_name in (await existing_types(ctx))[:MAX_TYPES_TRIED]:
        response = await _page(ctx, type_name, **params)
        entities = _entities(ctx, response, type_name, judge)
        if entities:
            found.append((Sample(type_name, entities), response))
        if len(found) == SAMPLED_TYPES:
            break
    if not found:
        ctx.skip(NO_DATA)
    return found


async def _still_there(ctx: CheckContext, entity_id: str, type_name: str) -> bool:
    """Whether a query still finds ``entity_id`` (it may have been deleted meanwhile)."""
    response = await ctx.get("/entities", params={"id": entity_id, "type": type_name})
    body = _parsed(response)
    return isinstance(body, list) and any(
        isinstance(e, dict) and e.get("id") == entity_id for e in body
    )


# -- checks ------------------------------------------------------------------------------------


@check(
    "MIM1.RO.TYPES",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types answers 200 with an EntityTypeList: a URI id, type EntityTypeList and a"
        " typeList of strings."
    ),
    source=NGSI_LD("5.7.5"),
    strength=Strength.SHALL,
)
async def types_answer(ctx: CheckContext) -> None:
    response = await ctx.get("/types")
    ctx.expect_status(response, 200)
    _expect_list_shape(ctx, ctx.json(response), "EntityTypeList", "typeList")


@check(
    "MIM1.RO.ATTRIBUTES",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /attributes answers 200 with an AttributeList: a URI id, type AttributeList and an"
        " attributeList of strings."
    ),
    source=NGSI_LD("5.7.8"),
    strength=Strength.SHALL,
)
async def attributes_answer(ctx: CheckContext) -> None:
    response = await ctx.get("/attributes")
    ctx.expect_status(response, 200)
    _expect_list_shape(ctx, ctx.json(response), "AttributeList", "attributeList")


def _expect_list_shape(ctx: CheckContext, body: Any, kind: str, member: str) -> None:
    ctx.expect(isinstance(body, dict), f"an {kind} object", f"{body!r}"[:200])
    ctx.expect(body.get("type") == kind, f'type "{kind}"', f"type {body.get('type')!r}")
    ctx.expect(is_uri(body.get("id")), f"a URI id in the {kind}", f"id {body.get('id')!r}")
    names = body.get(member)
    ctx.expect(
        isinstance(names, list) and all(isinstance(n, str) for n in names),
        f"{member} as an array of strings",
        f"{member} = {names!r}"[:200],
    )


@check(
    "MIM1.RO.QUERY.TYPE",
    mim=MIM,
    area=AREA,
    requirement=(
        "Querying an existing type answers 200 with an array of entities, each with a URI id"
        " and that type."
    ),
    source=NGSI_LD("5.7.2"),
    strength=Strength.SHALL,
)
async def query_by_existing_type(ctx: CheckContext) -> None:
    for sample, _ in await samples(ctx, judge=True):
        for entity in sample.entities:
            ctx.expect(is_uri(entity.get("id")), "a URI id", f"id {entity.get('id')!r}")
            types = _types_of(entity)
            ctx.expect(
                any(same_name(t, sample.type_name) for t in types),
                f"type {sample.type_name} on {entity.get('id')}",
                f"type {entity.get('type')!r}",
            )


@check(
    "MIM1.RO.QUERY.LIMIT",
    mim=MIM,
    area=AREA,
    requirement="A query with limit=5 answers at most 5 entities.",
    source=NGSI_LD("5.5.9.1"),
    strength=Strength.SHALL,
)
async def query_honours_limit(ctx: CheckContext) -> None:
    for sample, _ in await samples(ctx):
        ctx.expect(
            len(sample.entities) <= PAGE,
            f"at most {PAGE} entities of type {sample.type_name}",
            f"{len(sample.entities)} entities",
        )


@check(
    "MIM1.RO.RETRIEVE.SAME",
    mim=MIM,
    area=AREA,
    requirement=(
        "Retrieving by id an entity a query returned answers 200 with the same id and type."
    ),
    source=NGSI_LD("5.7.1"),
    strength=Strength.SHALL,
)
async def retrieve_what_query_returned(ctx: CheckContext) -> None:
    judged = 0
    for sample, _ in await samples(ctx):
        entity_id = sample.entities[0].get("id")
        if not isinstance(entity_id, str):
            continue
        response = await ctx.get(entity_path(entity_id))
        if response.status == 404 and not await _still_there(ctx, entity_id, sample.type_name):
            continue  # deleted since the query: not the platform's fault
        ctx.expect_status(response, 200)
        body = ctx.json(response)
        ctx.expect(
            isinstance(body, dict) and body.get("id") == entity_id,
            f"entity {entity_id}",
            f"{body!r}"[:200],
        )
        ctx.expect(
            any(same_name(t, sample.type_name) for t in _types_of(body)),
            f"type {sample.type_name}",
            f"type {body.get('type')!r}",
        )
        judged += 1
    if not judged:
        ctx.skip("every sampled entity was deleted while the check ran")


@check(
    "MIM1.RO.TYPE.INFO",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types/{type} for an existing type answers 200 with an EntityTypeInfo whose"
        " entityCount is at least 1."
    ),
    source=NGSI_LD("5.7.7"),
    strength=Strength.SHALL,
)
async def existing_type_info(ctx: CheckContext) -> None:
    judged = 0
    for sample, _ in await samples(ctx):
        response = await ctx.get(f"/types/{quote(sample.type_name, safe='')}")
        vanished = not await _still_there(ctx, str(sample.entities[0].get("id")), sample.type_name)
        if response.status == 404 and vanished:
            continue  # its entities were deleted since the query
        ctx.expect_status(response, 200)
        body = ctx.json(response)
        kind = body.get("type") if isinstance(body, dict) else None
        ctx.expect(kind == "EntityTypeInfo", 'type "EntityTypeInfo"', f"type {kind!r}")
        count = body.get("entityCount")
        ctx.expect(
            isinstance(count, int | float) and (count >= 1 or vanished),
            f"entityCount >= 1 for {sample.type_name}",
            f"entityCount {count!r}",
        )
        judged += 1
    if not judged:
        ctx.skip("every sampled type vanished while the check ran")


@check(
    "MIM1.RO.COUNT",
    mim=MIM,
    area=AREA,
    requirement=(
        "A query with count=true answers an NGSILD-Results-Count header: a whole number at least"
        " the number of entities returned."
    ),
    source=NGSI_LD("6.3.13"),
    strength=Strength.SHALL,
)
async def count_header(ctx: CheckContext) -> None:
    for sample, response in await samples(ctx, count="true"):
        raw = response.header("ngsild-results-count")
        ctx.expect(raw is not None, "an NGSILD-Results-Count header", "no such header")
        assert raw is not None
        ctx.expect(
            raw.strip().isdigit() and int(raw) >= len(sample.entities),
            f"a count >= {len(sample.entities)} (entities returned) for {sample.type_name}",
            f"NGSILD-Results-Count: {raw}",
        )
