"""Batch Entity Update (ETSI GS CIM 009 V1.8.1 clause 5.6.9, HTTP binding 6.16), Batch Entity
Delete (5.6.10, 6.17) and Batch Entity Merge (5.6.20, 6.31).

Not checked: an empty batch merge (V1.9.1 5.6.20.4 does not list the empty-array rule that the
other batch operations have).
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1.attributes import expect_value, fetch
from mim_suite.checks.mim1.batch import (
    AREA,
    batch,
    batch_result,
    expect_error_for,
    expect_listed,
    expect_missing,
    pair,
    register_empty,
)
from mim_suite.model import NGSI_LD, Strength


async def _created_pair(ctx: CheckContext) -> list[dict[str, Any]]:
    entities = pair(ctx)
    for entity in entities:
        await ctx.create(entity)
    return entities


def _fragment(entity: dict[str, Any]) -> dict[str, Any]:
    """A batch update / merge item: speed changed, colour new."""
    return {
        "id": entity["id"],
        "type": entity["type"],
        "speed": {"type": "Property", "value": 20},
        "colour": {"type": "Property", "value": "blue"},
    }


# -- Batch Entity Update -----------------------------------------------------------------------


@check(
    "MIM1.BATCH.UPDATE.204",
    mim=MIM,
    area=AREA,
    requirement="A batch update of existing entities answers 204 No Content.",
    source=NGSI_LD("6.16.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_answers_204(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    response = await batch(ctx, "update", [_fragment(e) for e in entities])
    ctx.expect_status(response, 204)


@check(
    "MIM1.BATCH.UPDATE.APPLIED",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch update changes the given attributes and adds the new ones of every entity,"
        " keeping the others."
    ),
    source=NGSI_LD("5.6.9.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_is_applied(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    response = await batch(ctx, "update", [_fragment(e) for e in entities])
    ctx.expect_status(response, 204)
    for entity in entities:
        body = await fetch(ctx, entity["id"])
        expect_value(ctx, body, "speed", 20)
        expect_value(ctx, body, "colour", "blue")
        expect_value(ctx, body, "brandName", "Mercedes")


@check(
    "MIM1.BATCH.UPDATE.207",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch update naming an entity that does not exist answers 207: ResourceNotFound for"
        " it under errors, the existing one updated and under success."
    ),
    source=NGSI_LD("6.16.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_unknown_is_207(ctx: CheckContext) -> None:
    known, unknown = pair(ctx)
    await ctx.create(known)
    response = await batch(ctx, "update", [_fragment(known), _fragment(unknown)])
    ctx.expect_status(response, 207)
    success, errors = batch_result(ctx, response)
    expect_error_for(ctx, errors, unknown["id"], "ResourceNotFound")
    expect_listed(ctx, success, known["id"], "success")
    expect_value(ctx, await fetch(ctx, known["id"]), "speed", 20)
    await expect_missing(ctx, unknown["id"], "a batch update does not create entities")


@check(
    "MIM1.BATCH.UPDATE.NOOVERWRITE",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch update with options=noOverwrite keeps existing attributes and adds the new ones."
    ),
    source=NGSI_LD("5.6.9.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_no_overwrite(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    items = [_fragment(e) for e in entities]
    response = await batch(ctx, "update", items, params={"options": "noOverwrite"})
    ctx.expect_status(response, 204, 207)
    for entity in entities:
        body = await fetch(ctx, entity["id"])
        expect_value(ctx, body, "speed", 80)
        expect_value(ctx, body, "colour", "blue")


register_empty("update", "5.6.9.4")

# -- Batch Entity Delete -----------------------------------------------------------------------


@check(
    "MIM1.BATCH.DELETE.204",
    mim=MIM,
    area=AREA,
    requirement="A batch delete of existing entities answers 204 and the entities are gone.",
    source=NGSI_LD("6.17.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_answers_204(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    response = await batch(ctx, "delete", [e["id"] for e in entities])
    ctx.expect_status(response, 204)
    for entity in entities:
        await expect_missing(ctx, entity["id"], "it was deleted by the batch")


@check(
    "MIM1.BATCH.DELETE.207",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch delete naming an entity that does not exist answers 207: ResourceNotFound for"
        " it under errors, the existing one deleted and under success."
    ),
    source=NGSI_LD("6.17.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_unknown_is_207(ctx: CheckContext) -> None:
    known, unknown = pair(ctx)
    await ctx.create(known)
    response = await batch(ctx, "delete", [known["id"], unknown["id"]])
    ctx.expect_status(response, 207)
    success, errors = batch_result(ctx, response)
    expect_error_for(ctx, errors, unknown["id"], "ResourceNotFound")
    expect_listed(ctx, success, known["id"], "success")
    await expect_missing(ctx, known["id"], "it was deleted by the batch")


register_empty("delete", "5.6.10.4")

# -- Batch Entity Merge ------------------------------------------------------------------------


@check(
    "MIM1.BATCH.MERGE.204",
    mim=MIM,
    area=AREA,
    requirement="A batch merge into existing entities answers 204 No Content.",
    source=NGSI_LD("6.31.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def merge_answers_204(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    response = await batch(ctx, "merge", [_fragment(e) for e in entities])
    ctx.expect_status(response, 204)


@check(
    "MIM1.BATCH.MERGE.APPLIED",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch merge merges every fragment: given attributes change (keeping sub-attributes"
        " absent from the fragment), new ones are added, others are kept."
    ),
    source=NGSI_LD("5.6.20.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def merge_is_applied(ctx: CheckContext) -> None:
    entities = await _created_pair(ctx)
    response = await batch(ctx, "merge", [_fragment(e) for e in entities])
    ctx.expect_status(response, 204)
    for entity in entities:
        body = await fetch(ctx, entity["id"])
        speed = expect_value(ctx, body, "speed", 20)
        ctx.expect(
            speed.get("unitCode") == "KMH",
            "speed.unitCode KMH kept (merge, clause 5.5.12)",
            f"speed = {speed!r}",
        )
        expect_value(ctx, body, "colour", "blue")
        expect_value(ctx, body, "brandName", "Mercedes")


@check(
    "MIM1.BATCH.MERGE.207",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch merge naming an entity that does not exist answers 207: ResourceNotFound for"
        " it under errors, the existing one merged and under success."
    ),
    source=NGSI_LD("6.31.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def merge_unknown_is_207(ctx: CheckContext) -> None:
    known, unknown = pair(ctx)
    await ctx.create(known)
    response = await batch(ctx, "merge", [_fragment(known), _fragment(unknown)])
    ctx.expect_status(response, 207)
    success, errors = batch_result(ctx, response)
    expect_error_for(ctx, errors, unknown["id"], "ResourceNotFound")
    expect_listed(ctx, success, known["id"], "success")
    expect_value(ctx, await fetch(ctx, known["id"]), "speed", 20)
    await expect_missing(ctx, unknown["id"], "a batch merge does not create entities")
