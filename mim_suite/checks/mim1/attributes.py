"""Append Entity Attributes (ETSI GS CIM 009 V1.8.1 clause 5.6.3, HTTP binding 6.6.3.1), the
UpdateResult structure (5.2.18, 5.2.19) and the validation rules of 5.5.4 / 4.6.2 applied to
appended fragments; multi-attribute instances (4.5.5).

Also the helpers shared by the ``attributes_*`` modules: reading attributes back from a
retrieved (normalized) entity and judging an UpdateResult.
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, entity_path, retrieve
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "attributes"
DEFAULT_VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/"
NGSI_LD_NULL = "urn:ngsi-ld:null"

# -- helpers shared by the attributes_* modules ------------------------------------------------


def same_name(reported: Any, short: str) -> bool:
    """An attribute name as a response reports it: the short name or its expansion by the
    core @context (207 bodies carry expanded names, clause 6.3.6)."""
    return reported in (short, DEFAULT_VOCAB + short)


async def fetch(ctx: CheckContext, entity_id: str, *, sys_attrs: bool = False) -> dict[str, Any]:
    """The entity as retrieved now (normalized); a vanished entity fails the check, any other
    refusal skips it (retrieval is judged by MIM1.ENT.RETRIEVE.*)."""
    params = {"options": "sysAttrs"} if sys_attrs else None
    response = await retrieve(ctx, entity_id, params=params)
    if response.status == 404:
        ctx.fail(f"entity {entity_id} still retrievable", "404: the entity is gone")
    if response.status != 200:
        ctx.skip(
            f"precondition failed: retrieving {entity_id} answered {response.status}, not 200"
            " (see MIM1.ENT.RETRIEVE.200)"
        )
    body = ctx.json(response)
    if not isinstance(body, dict):
        ctx.fail("the entity as a JSON object", f"{body!r}"[:200])
    return body


def instances(entity: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Every instance of an attribute: one object, or an array of them (clause 4.5.5)."""
    raw = entity.get(name)
    if isinstance(raw, dict):
        return [raw]
    if isinstance(raw, list):
        return [item for item in raw if isinstance(item, dict)]
    return []


def default_instance(entity: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The attribute instance without datasetId, if any."""
    return next((i for i in instances(entity, name) if "datasetId" not in i), None)


def dataset_instance(entity: dict[str, Any], name: str, dataset: str) -> dict[str, Any] | None:
    return next((i for i in instances(entity, name) if i.get("datasetId") == dataset), None)


def expect_value(
    ctx: CheckContext, entity: dict[str, Any], name: str, value: Any, member: str = "value"
) -> dict[str, Any]:
    """The default instance of ``name`` holds ``value``; returns that instance."""
    found = default_instance(entity, name)
    ctx.expect(found is not None, f"attribute {name} in the entity", f"members {sorted(entity)}")
    assert found is not None
    ctx.expect(
        found.get(member) == value,
        f"{name}.{member} = {value!r}",
        f"{name} = {found!r}",
    )
    return found


def expect_absent(ctx: CheckContext, entity: dict[str, Any], name: str, why: str) -> None:
    ctx.expect(name not in entity, f"no attribute {name} ({why})", f"{name} = {entity.get(name)!r}")


def update_result(ctx: CheckContext, response: ProbeResponse) -> tuple[list[Any], list[Any]]:
    """The ``updated`` and ``notUpdated`` arrays of an UpdateResult body (clause 5.2.18)."""
    body = ctx.json(response)
    ok = (
        isinstance(body, dict)
        and isinstance(body.get("updated"), list)
        and isinstance(body.get("notUpdated"), list)
    )
    ctx.expect(ok, "an UpdateResult body {updated: [...], notUpdated: [...]}", f"{body!r}"[:300])
    return body["updated"], body["notUpdated"]


def expect_not_updated(ctx: CheckContext, not_updated: list[Any], name: str) -> None:
    """``notUpdated`` lists ``name`` as a NotUpdatedDetails {attributeName, reason} (5.2.19)."""
    entry = next(
        (d for d in not_updated if isinstance(d, dict) and same_name(d.get("attributeName"), name)),
        None,
    )
    ctx.expect(
        entry is not None,
        f"notUpdated to list {{attributeName: {name!r}, reason: ...}}",
        f"notUpdated = {not_updated!r}"[:300],
    )
    assert entry is not None
    ctx.expect(
        isinstance(entry.get("reason"), str),
        "a NotUpdatedDetails with a string reason (clause 5.2.19)",
        f"{entry!r}",
    )


def attrs_path(entity_id: str, *rest: str) -> str:
    return entity_path(entity_id, "attrs", *rest)


# -- Append Entity Attributes ------------------------------------------------------------------

NEW_ATTR = {"colour": {"type": "Property", "value": "blue"}}


@check(
    "MIM1.ATTR.APPEND.204",
    mim=MIM,
    area=AREA,
    requirement="Appending new attributes to an entity answers 204 No Content.",
    source=NGSI_LD("6.6.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_answers_204(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.post(attrs_path(entity["id"]), json_body=NEW_ATTR)
    ctx.expect_status(response, 204)


@check(
    "MIM1.ATTR.APPEND.VISIBLE",
    mim=MIM,
    area=AREA,
    requirement="An appended attribute is part of the entity afterwards, value intact.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_is_visible(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.post(attrs_path(entity["id"]), json_body=NEW_ATTR)
    ctx.expect_status(response, 204, 207)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "colour", "blue")
    expect_value(ctx, body, "speed", 80)


@check(
    "MIM1.ATTR.APPEND.OVERWRITE",
    mim=MIM,
    area=AREA,
    requirement="Without noOverwrite, appending an existing attribute replaces it.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_overwrites_by_default(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"speed": {"type": "Property", "value": 55}}
    response = await ctx.post(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_status(response, 204)
    expect_value(ctx, await fetch(ctx, entity["id"]), "speed", 55)


@check(
    "MIM1.ATTR.APPEND.NOOVERWRITE.KEPT",
    mim=MIM,
    area=AREA,
    requirement="With options=noOverwrite an existing attribute is left untouched.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_no_overwrite_keeps(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"speed": {"type": "Property", "value": 55}, **NEW_ATTR}
    response = await ctx.post(
        attrs_path(entity["id"]), json_body=fragment, params={"options": "noOverwrite"}
    )
    ctx.expect_status(response, 204, 207)
    body = await fetch(ctx, entity["id"])
    found = expect_value(ctx, body, "speed", 80)
    ctx.expect(found.get("unitCode") == "KMH", "speed.unitCode KMH kept", f"speed = {found!r}")


@check(
    "MIM1.ATTR.APPEND.NOOVERWRITE.NEW",
    mim=MIM,
    area=AREA,
    requirement="With options=noOverwrite the attributes that did not exist are still appended.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_no_overwrite_adds_new(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"speed": {"type": "Property", "value": 55}, **NEW_ATTR}
    response = await ctx.post(
        attrs_path(entity["id"]), json_body=fragment, params={"options": "noOverwrite"}
    )
    ctx.expect_status(response, 204, 207)
    expect_value(ctx, await fetch(ctx, entity["id"]), "colour", "blue")


@check(
    "MIM1.ATTR.APPEND.NOOVERWRITE.207",
    mim=MIM,
    area=AREA,
    requirement=(
        "An append with noOverwrite that skips an existing attribute answers 207 with an"
        " UpdateResult listing it under notUpdated and the appended one under updated."
    ),
    source=NGSI_LD("6.6.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_no_overwrite_reports(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"speed": {"type": "Property", "value": 55}, **NEW_ATTR}
    response = await ctx.post(
        attrs_path(entity["id"]), json_body=fragment, params={"options": "noOverwrite"}
    )
    ctx.expect_status(response, 207)
    updated, not_updated = update_result(ctx, response)
    expect_not_updated(ctx, not_updated, "speed")
    ctx.expect(
        any(same_name(u, "colour") for u in updated),
        "updated to list colour (it was appended)",
        f"updated = {updated!r}",
    )
    ctx.expect(
        not any(same_name(u, "speed") for u in updated),
        "speed not listed as updated",
        f"updated = {updated!r}",
    )


@check(
    "MIM1.ATTR.APPEND.404",
    mim=MIM,
    area=AREA,
    requirement="Appending attributes to an entity that does not exist fails with 404"
    " ResourceNotFound.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_unknown_entity_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.post(attrs_path(missing), json_body=NEW_ATTR)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ATTR.APPEND.BADID",
    mim=MIM,
    area=AREA,
    requirement="Appending attributes with an entity id that is not a URI fails with 400"
    " BadRequestData.",
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_bad_id_is_400(ctx: CheckContext) -> None:
    response = await ctx.post("/entities/not%20a%20uri/attrs", json_body=NEW_ATTR)
    ctx.expect_problem(response, 400, "BadRequestData")


@check(
    "MIM1.ATTR.APPEND.INVALID",
    mim=MIM,
    area=AREA,
    requirement=(
        "Appending a Relationship without object fails with 400 BadRequestData and leaves the"
        " entity without it."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_invalid_fragment_is_400(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"ownedBy": {"type": "Relationship", "value": "urn:ngsi-ld:Person:x"}}
    response = await ctx.post(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_problem(response, 400, "BadRequestData")
    expect_absent(ctx, await fetch(ctx, entity["id"]), "ownedBy", "the append was refused")


@check(
    "MIM1.ATTR.APPEND.BADNAME",
    mim=MIM,
    area=AREA,
    requirement="Appending an attribute whose name has forbidden characters fails with 400"
    " BadRequestData.",
    source=NGSI_LD("4.6.2"),
    strength=Strength.SHOULD,
    writes=True,
)
async def append_bad_name_is_400(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"bad name!": {"type": "Property", "value": 1}}
    response = await ctx.post(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_problem(response, 400, "BadRequestData")


@check(
    "MIM1.ATTR.APPEND.NULL",
    mim=MIM,
    area=AREA,
    requirement="An NGSI-LD Null as a Property value in an append fails with 400 BadRequestData.",
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_null_is_400(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"colour": {"type": "Property", "value": NGSI_LD_NULL}}
    response = await ctx.post(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_problem(response, 400, "BadRequestData")


@check(
    "MIM1.ATTR.APPEND.DATASET",
    mim=MIM,
    area=AREA,
    requirement=(
        "Appending an instance with a new datasetId keeps the existing default instance: both"
        " instances are part of the entity."
    ),
    source=NGSI_LD("5.6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def append_dataset_instance(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    dataset = f"urn:ngsi-ld:Dataset:mimtest-{ctx.run_id}-gps"
    fragment = {"speed": {"type": "Property", "value": 77, "datasetId": dataset}}
    response = await ctx.post(attrs_path(entity["id"]), json_body=fragment)
    ctx.expect_status(response, 204)
    body = await fetch(ctx, entity["id"])
    expect_value(ctx, body, "speed", 80)
    extra = dataset_instance(body, "speed", dataset)
    ctx.expect(
        extra is not None and extra.get("value") == 77,
        f"a speed instance with datasetId {dataset} and value 77 (clause 4.5.5)",
        f"speed = {body.get('speed')!r}",
    )
