"""Update Entity Attributes (ETSI GS CIM 009 V1.8.1 clause 5.6.2, HTTP binding 6.6.3.2) with
the partial update patch of 5.5.8, Partial Attribute Update (5.6.4, 6.7.3.1) and the
``application/merge-patch+json`` request media type (6.3.4).

Unsettled (docs/spec-notes.md section 10 item 2): whether Update Entity Attributes appends an
attribute the entity does not have (V1.9.1) or reports it under notUpdated with 207 (V1.7.1 OAS
and older); MIM1.ATTR.UPDATE.NEWATTR accepts either, as long as answer and effect agree.
"""

from __future__ import annotations

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, sample_entity
from mim_suite.checks.mim1.attributes import (
    AREA,
    NGSI_LD_NULL,
    attrs_path,
    dataset_instance,
    expect_absent,
    expect_not_updated,
    expect_value,
    fetch,
    same_name,
    update_result,
)
from mim_suite.model import NGSI_LD, Strength

NEW_SPEED = {"speed": {"type": "Property", "value": 55}}
SPEED_PATCH = {"type": "Property", "value": 55}

# -- Update Entity Attributes ------------------------------------------------------------------


@check(
    "MIM1.ATTR.UPDATE.204",
    mim=MIM,
    area=AREA,
    requirement="Updating existing attributes of an entity answers 204 No Content.",
    source=NGSI_LD("6.6.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_answers_204(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"]), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)


@check(
    "MIM1.ATTR.UPDATE.VISIBLE",
    mim=MIM,
    area=AREA,
    requirement="After Update Entity Attributes the entity carries the new attribute value.",
    source=NGSI_LD("5.6.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_is_visible(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"]), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)
    expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 55)


@check(
    "MIM1.ATTR.UPDATE.REPLACES",
    mim=MIM,
    area=AREA,
    requirement=(
        "Update Entity Attributes replaces the whole attribute: a sub-attribute absent from"
        " the fragment (unitCode) is gone afterwards."
    ),
    source=NGSI_LD("5.6.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_replaces_attribute(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"]), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)
    found = expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 55)
    ctx.expect(
        "unitCode" not in found,
        "speed without unitCode (the attribute is replaced, clause 5.5.8 example 2)",
        f"speed = {found!r}",
    )


@check(
    "MIM1.ATTR.UPDATE.OTHERS",
    mim=MIM,
    area=AREA,
    requirement="Update Entity Attributes leaves the attributes absent from the fragment"
    " untouched.",
    source=NGSI_LD("5.5.8"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_keeps_others(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"]), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "brandName", "Mercedes")
    expect_value(ctx, body, "isParked", entity["isParked"]["object"], member="object")


@check(
    "MIM1.ATTR.UPDATE.404",
    mim=MIM,
    area=AREA,
    requirement="Updating attributes of an entity that does not exist fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_unknown_entity_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.patch(attrs_path(missing), json_body=NEW_SPEED)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.UPDATE.NEWATTR",
    mim=MIM,
    area=AREA,
    requirement=(
        "Update Entity Attributes with an attribute the entity lacks either appends it (204)"
        " or reports it under notUpdated (207) and leaves the entity without it."
    ),
    source=NGSI_LD("5.6.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def update_new_attribute_is_consistent(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {**NEW_SPEED, "colour": {"type": "Property", "value": "blue"}}
    response = await ctx.patch(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_status(response, 204, 207)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "speed", 55)
    if response.status == 204:
        expect_value(ctx, body, "colour", "blue")
        return
    updated, not_updated = update_result(ctx, response)
    expect_not_updated(ctx, not_updated, "colour")
    ctx.expect(
        any(same_name(u, "speed") for u in updated),
        "updated to list speed (it was updated)",
        f"updated = {updated!r}",
    )
    expect_absent(ctx, body, "colour", "reported as not updated")


@check(
    "MIM1.ATTR.UPDATE.NULL",
    mim=MIM,
    area=AREA,
    requirement="Update Entity Attributes with an NGSI-LD Null as attribute value deletes that"
    " attribute.",
    source=NGSI_LD("5.6.2.4"),
    strength=Strength.SHOULD,
    writes=True,
)
async def update_null_deletes(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"brandName": {"type": "Property", "value": NGSI_LD_NULL}}
    response = await ctx.patch(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    expect_absent(ctx, body, "brandName", "deleted by an NGSI-LD Null, clause 5.5.8")
    expect_value(ctx, body, "speed", 80)


# -- Partial Attribute Update ------------------------------------------------------------------


@check(
    "MIM1.ATTR.PATCH.204",
    mim=MIM,
    area=AREA,
    requirement="A Partial Attribute Update of an existing attribute answers 204 No Content.",
    source=NGSI_LD("6.7.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_answers_204(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"], "speed"), json_body=SPEED_PATCH)
    ctx.expect_status(response, 204)


@check(
    "MIM1.ATTR.PATCH.PARTIAL",
    mim=MIM,
    area=AREA,
    requirement=(
        "A Partial Attribute Update changes only the members given: the value changes, a"
        " sub-attribute absent from the fragment (unitCode) is kept."
    ),
    source=NGSI_LD("5.5.8"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_is_partial(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"], "speed"), json_body=SPEED_PATCH)
    ctx.expect_status(response, 204)
    found = expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 55)
    ctx.expect(
        found.get("unitCode") == "KMH",
        "speed.unitCode KMH kept (clause 5.5.8 example 1)",
        f"speed = {found!r}",
    )


@check(
    "MIM1.ATTR.PATCH.DATASET",
    mim=MIM,
    area=AREA,
    requirement=(
        "A Partial Attribute Update whose fragment names a datasetId changes only that"
        " instance, not the default instance."
    ),
    source=NGSI_LD("5.6.4.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_targets_dataset(ctx: CheckContext) -> None:
    dataset = f"urn:ngsi-ld:Dataset:mimtest-{ctx.run_id}-radar"
    speed = [
        {"type": "Property", "value": 80},
        {"type": "Property", "value": 81, "datasetId": dataset},
    ]
    entity = sample_entity(ctx, speed=speed)
    await ctx.create(entity)
    fragment = {"type": "Property", "value": 99, "datasetId": dataset}
    response = await ctx.patch(attrs_path(entity["id"], "speed"), json_body=fragment)
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "speed", 80)
    found = dataset_instance(body, "speed", dataset)
    ctx.expect(
        found is not None and found.get("value") == 99,
        f"the speed instance with datasetId {dataset} to hold 99",
        f"speed = {body.get('speed')!r}",
    )


@check(
    "MIM1.ATTR.PATCH.404",
    mim=MIM,
    area=AREA,
    requirement="A Partial Attribute Update of an attribute the entity lacks fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.4.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_missing_attribute_is_404(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(attrs_path(entity["id"], "colour"), json_body=SPEED_PATCH)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.PATCH.404ENTITY",
    mim=MIM,
    area=AREA,
    requirement="A Partial Attribute Update on an entity that does not exist fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.4.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_missing_entity_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.patch(attrs_path(missing, "speed"), json_body=SPEED_PATCH)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.PATCH.MERGEPATCH",
    mim=MIM,
    area=AREA,
    requirement=(
        "A Partial Attribute Update sent as application/merge-patch+json is accepted like"
        " application/json."
    ),
    source=NGSI_LD("6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def patch_accepts_merge_patch(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.patch(
        attrs_path(entity["id"], "speed"),
        json_body=SPEED_PATCH,
        headers={"Content-Type": "application/merge-patch+json"},
    )
    ctx.expect_status(response, 204)
    expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 55)
