"""Replace Attribute (ETSI GS CIM 009 V1.8.1 clause 5.6.19, HTTP binding 6.7.3.3) and Delete
Attribute (5.6.5, 6.7.3.2) including the ``datasetId`` and ``deleteAll`` parameters and
multi-attribute instances (4.5.5).

Left out as unsettled (docs/spec-notes.md section 10 item 15): Delete Attribute naming a
datasetId the attribute does not have.
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, sample_entity
from mim_suite.checks.mim1.attributes import (
    AREA,
    attrs_path,
    dataset_instance,
    default_instance,
    expect_absent,
    expect_value,
    fetch,
    instances,
)
from mim_suite.model import NGSI_LD, Strength

NEW_SPEED = {"type": "Property", "value": 30, "observedAt": "2024-01-02T03:04:05Z"}

# -- Replace Attribute -------------------------------------------------------------------------


@check(
    "MIM1.ATTR.REPLACE.204",
    mim=MIM,
    area=AREA,
    requirement="Replacing an existing attribute answers 204 No Content.",
    source=NGSI_LD("6.7.3.3"),
    strength=Strength.SHALL,
    writes=True,
)
async def replace_answers_204(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.put(attrs_path(entity["id"], "speed"), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)


@check(
    "MIM1.ATTR.REPLACE.WHOLE",
    mim=MIM,
    area=AREA,
    requirement=(
        "Replace Attribute replaces the whole attribute: the new content is there and"
        " sub-attributes of the old one (unitCode) are gone."
    ),
    source=NGSI_LD("5.6.19.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def replace_is_complete(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.put(attrs_path(entity["id"], "speed"), json_body=NEW_SPEED)
    ctx.expect_status(response, 204)
    found = expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 30)
    ctx.expect(
        "unitCode" not in found and found.get("observedAt") == NEW_SPEED["observedAt"],
        f"speed without unitCode and with observedAt {NEW_SPEED['observedAt']}",
        f"speed = {found!r}",
    )


@check(
    "MIM1.ATTR.REPLACE.404",
    mim=MIM,
    area=AREA,
    requirement="Replacing an attribute the entity lacks fails with 404 ResourceNotFound.",
    source=NGSI_LD("5.6.19.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def replace_missing_attribute_is_404(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.put(attrs_path(entity["id"], "colour"), json_body=NEW_SPEED)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.REPLACE.404ENTITY",
    mim=MIM,
    area=AREA,
    requirement="Replacing an attribute of an entity that does not exist fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.19.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def replace_missing_entity_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.put(attrs_path(missing, "speed"), json_body=NEW_SPEED)
    ctx.expect_problem(response, 404, "ResourceNotFound")


# -- Delete Attribute --------------------------------------------------------------------------


def _dataset(ctx: CheckContext) -> str:
    return f"urn:ngsi-ld:Dataset:mimtest-{ctx.run_id}-{ctx.fixtures.next()}"


async def _create_multi(ctx: CheckContext, dataset: str) -> dict[str, Any]:
    """An entity whose speed has a default instance (80) and one with ``dataset`` (81)."""
    speed = [
        {"type": "Property", "value": 80},
        {"type": "Property", "value": 81, "datasetId": dataset},
    ]
    entity = sample_entity(ctx, speed=speed)
    await ctx.create(entity)
    return entity


@check(
    "MIM1.ATTR.DELETE.204",
    mim=MIM,
    area=AREA,
    requirement="Deleting an existing attribute answers 204 No Content.",
    source=NGSI_LD("6.7.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_answers_204(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.delete(attrs_path(entity["id"], "brandName"))
    ctx.expect_status(response, 204)


@check(
    "MIM1.ATTR.DELETE.GONE",
    mim=MIM,
    area=AREA,
    requirement="A deleted attribute is no longer part of the entity; the others remain.",
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_removes_attribute(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.delete(attrs_path(entity["id"], "brandName"))
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    expect_absent(ctx, body, "brandName", "it was deleted")
    expect_value(ctx, body, "speed", 80)


@check(
    "MIM1.ATTR.DELETE.404",
    mim=MIM,
    area=AREA,
    requirement="Deleting an attribute the entity lacks fails with 404 ResourceNotFound.",
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_missing_attribute_is_404(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.delete(attrs_path(entity["id"], "colour"))
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.DELETE.404ENTITY",
    mim=MIM,
    area=AREA,
    requirement="Deleting an attribute of an entity that does not exist fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_missing_entity_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.delete(attrs_path(missing, "speed"))
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.DELETE.DATASET",
    mim=MIM,
    area=AREA,
    requirement=(
        "Delete Attribute with a datasetId parameter removes only the instance with that"
        " datasetId; the default instance remains."
    ),
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_dataset_instance(ctx: CheckContext) -> None:
    dataset = _dataset(ctx)
    entity = await _create_multi(ctx, dataset)
    response = await ctx.delete(attrs_path(entity["id"], "speed"), params={"datasetId": dataset})
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    ctx.expect(
        dataset_instance(body, "speed", dataset) is None,
        f"no speed instance with datasetId {dataset}",
        f"speed = {body.get('speed')!r}",
    )
    expect_value(ctx, body, "speed", 80)


@check(
    "MIM1.ATTR.DELETE.DEFAULT",
    mim=MIM,
    area=AREA,
    requirement=(
        "Delete Attribute without datasetId or deleteAll removes only the default instance;"
        " instances with a datasetId remain."
    ),
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_default_instance(ctx: CheckContext) -> None:
    dataset = _dataset(ctx)
    entity = await _create_multi(ctx, dataset)
    response = await ctx.delete(attrs_path(entity["id"], "speed"))
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    kept = dataset_instance(body, "speed", dataset)
    ctx.expect(
        kept is not None and kept.get("value") == 81,
        f"the speed instance with datasetId {dataset} kept",
        f"speed = {body.get('speed')!r}",
    )
    ctx.expect(
        default_instance(body, "speed") is None,
        "no default speed instance (it was deleted)",
        f"speed = {body.get('speed')!r}",
    )


@check(
    "MIM1.ATTR.DELETE.ALL",
    mim=MIM,
    area=AREA,
    requirement="Delete Attribute with deleteAll=true removes every instance of the attribute.",
    source=NGSI_LD("5.6.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_all_instances(ctx: CheckContext) -> None:
    entity = await _create_multi(ctx, _dataset(ctx))
    response = await ctx.delete(attrs_path(entity["id"], "speed"), params={"deleteAll": "true"})
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    ctx.expect(
        not instances(body, "speed") and "speed" not in body,
        "no speed instance at all",
        f"speed = {body.get('speed')!r}",
    )
