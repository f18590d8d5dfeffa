"""Batch Entity Creation or Update, "upsert" (ETSI GS CIM 009 V1.8.1 clause 5.6.8, HTTP
binding 6.15): the 201 / 204 answers and the ``replace`` (default) and ``update`` modes.

Left out as unsettled (docs/spec-notes.md section 10 item 16): upsert on a tenant that does not
exist yet.
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, sample_entity
from mim_suite.checks.mim1.attributes import expect_absent, expect_value, fetch
from mim_suite.checks.mim1.batch import AREA, batch, pair, register_empty
from mim_suite.model import NGSI_LD, Strength


def _new_content(entity: dict[str, Any]) -> dict[str, Any]:
    """Upsert content for an existing sample entity: speed changed, colour new."""
    return {
        "id": entity["id"],
        "type": entity["type"],
        "speed": {"type": "Property", "value": 20},
        "colour": {"type": "Property", "value": "blue"},
    }


def _ids(ctx: CheckContext, body: Any) -> list[str]:
    ctx.expect(
        isinstance(body, list) and all(isinstance(i, str) for i in body),
        "a JSON array of entity ids",
        f"{body!r}"[:300],
    )
    return sorted(body)


@check(
    "MIM1.BATCH.UPSERT.201",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch upsert of entities that do not exist answers 201 with a JSON array of the"
        " created entity ids."
    ),
    source=NGSI_LD("6.15.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def upsert_new_answers_201(ctx: CheckContext) -> None:
    entities = pair(ctx)
    response = await batch(ctx, "upsert", entities)
    ctx.expect_status(response, 201)
    wanted = sorted(e["id"] for e in entities)
    ids = _ids(ctx, ctx.json(response))
    ctx.expect(ids == wanted, f"the ids {wanted} (any order)", f"{ids!r}")


@check(
    "MIM1.BATCH.UPSERT.204",
    mim=MIM,
    area=AREA,
    requirement="A batch upsert of entities that all exist answers 204 No Content.",
    source=NGSI_LD("6.15.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def upsert_existing_answers_204(ctx: CheckContext) -> None:
    first = await create_sample(ctx)
    second = sample_entity(ctx, first["type"])
    await ctx.create(second)
    response = await batch(ctx, "upsert", [_new_content(first), _new_content(second)])
    ctx.expect_status(response, 204)


@check(
    "MIM1.BATCH.UPSERT.MIXED",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch upsert creating some entities and updating others answers 201 listing only"
        " the created ids."
    ),
    source=NGSI_LD("6.15.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def upsert_mixed_lists_created(ctx: CheckContext) -> None:
    existing = await create_sample(ctx)
    fresh = sample_entity(ctx, existing["type"])
    response = await batch(ctx, "upsert", [_new_content(existing), fresh])
    ctx.expect_status(response, 201)
    ids = _ids(ctx, ctx.json(response))
    ctx.expect(ids == [fresh["id"]], f"only the created id [{fresh['id']}]", f"{ids!r}")


@check(
    "MIM1.BATCH.UPSERT.REPLACE",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch upsert in the default (replace) mode replaces an existing entity completely:"
        " attributes absent from the new content are gone."
    ),
    source=NGSI_LD("5.6.8.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def upsert_replaces_by_default(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await batch(ctx, "upsert", [_new_content(entity)])
    ctx.expect_status(response, 201, 204)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "speed", 20)
    expect_value(ctx, body, "colour", "blue")
    for name in ("brandName", "isParked"):
        expect_absent(ctx, body, name, "replaced by content without it")


@check(
    "MIM1.BATCH.UPSERT.UPDATE",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch upsert with options=update updates an existing entity: given attributes"
        " change, new ones are added, the others are kept."
    ),
    source=NGSI_LD("5.6.8.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def upsert_update_mode_keeps_others(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await batch(ctx, "upsert", [_new_content(entity)], params={"options": "update"})
    ctx.expect_status(response, 201, 204)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "speed", 20)
    expect_value(ctx, body, "colour", "blue")
    expect_value(ctx, body, "brandName", "Mercedes")
    expect_value(ctx, body, "isParked", entity["isParked"]["object"], member="object")


register_empty("upsert", "5.6.8.4")
