"""Batch Entity Creation (ETSI GS CIM 009 V1.8.1 clause 5.6.7, HTTP binding 6.14) and the
BatchOperationResult / BatchEntityError structures (5.2.16, 5.2.17).

Also the helpers shared by the ``batch_*`` modules (upsert 5.6.8, update 5.6.9, delete 5.6.10,
merge 5.6.20).
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import ERRORS, CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, retrieve, sample_entity
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "batch"

# -- helpers shared by the batch_* modules -----------------------------------------------------


async def batch(
    ctx: CheckContext, operation: str, items: Any, params: dict[str, str] | None = None
) -> ProbeResponse:
    return await ctx.post(f"/entityOperations/{operation}", json_body=items, params=params)


def batch_result(ctx: CheckContext, response: ProbeResponse) -> tuple[list[Any], list[Any]]:
    """``success`` and ``errors`` of a BatchOperationResult body (clause 5.2.16)."""
    body = ctx.json(response)
    ok = (
        isinstance(body, dict)
        and isinstance(body.get("success"), list)
        and isinstance(body.get("errors"), list)
    )
    ctx.expect(ok, "a BatchOperationResult body {success: [...], errors: [...]}", f"{body!r}"[:300])
    return body["success"], body["errors"]


def expect_error_for(ctx: CheckContext, errors: list[Any], entity_id: str, error_type: str) -> None:
    """``errors`` has a BatchEntityError {entityId, error: ProblemDetails} (5.2.17) for the id."""
    entry = next(
        (e for e in errors if isinstance(e, dict) and e.get("entityId") == entity_id), None
    )
    ctx.expect(
        entry is not None,
        f"errors to hold a BatchEntityError with entityId {entity_id}",
        f"errors = {errors!r}"[:300],
    )
    assert entry is not None
    problem = entry.get("error")
    received = problem.get("type") if isinstance(problem, dict) else problem
    ctx.expect(
        received == ERRORS + error_type,
        f"its error to be a ProblemDetails of type {ERRORS + error_type}",
        f"error = {problem!r}"[:300],
    )


def expect_listed(ctx: CheckContext, listed: list[Any], entity_id: str, what: str) -> None:
    ctx.expect(entity_id in listed, f"{what} to list {entity_id}", f"{what} = {listed!r}"[:300])


async def exists(ctx: CheckContext, entity_id: str) -> bool:
    """Whether the entity can be retrieved now (200) or not (404); otherwise skip."""
    response = await retrieve(ctx, entity_id)
    if response.status not in (200, 404):
        ctx.skip(
            f"precondition failed: retrieving {entity_id} answered {response.status}, neither"
            " 200 nor 404 (see MIM1.ENT.RETRIEVE.*)"
        )
    return response.status == 200


async def expect_exists(ctx: CheckContext, entity_id: str, why: str) -> None:
    found = await exists(ctx, entity_id)
    ctx.expect(found, f"entity {entity_id} to exist ({why})", "404 on retrieval")


async def expect_missing(ctx: CheckContext, entity_id: str, why: str) -> None:
    found = await exists(ctx, entity_id)
    ctx.expect(not found, f"no entity {entity_id} ({why})", "the entity can be retrieved")


def pair(ctx: CheckContext) -> list[dict[str, Any]]:
    """Two fresh sample entities of one fresh type."""
    kind = ctx.type_name("Vehicle")
    return [sample_entity(ctx, kind), sample_entity(ctx, kind)]


def register_empty(operation: str, clause: str) -> None:
    """Register MIM1.BATCH.<OP>.EMPTY: an empty array fails with 400 BadRequestData."""

    @check(
        f"MIM1.BATCH.{operation.upper()}.EMPTY",
        mim=MIM,
        area=AREA,
        requirement=f"A batch {operation} with an empty array fails with 400 BadRequestData.",
        source=NGSI_LD(clause),
        strength=Strength.SHALL,
        writes=True,
    )
    async def empty_batch_is_400(ctx: CheckContext) -> None:
        response = await batch(ctx, operation, [])
        ctx.expect_problem(response, 400, "BadRequestData")


# -- Batch Entity Creation ---------------------------------------------------------------------


@check(
    "MIM1.BATCH.CREATE.201",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch create whose entities are all created answers 201 with a JSON array of the"
        " created entity ids."
    ),
    source=NGSI_LD("6.14.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_answers_201(ctx: CheckContext) -> None:
    entities = pair(ctx)
    response = await batch(ctx, "create", entities)
    ctx.expect_status(response, 201)
    body = ctx.json(response)
    wanted = sorted(e["id"] for e in entities)
    ctx.expect(
        isinstance(body, list) and sorted(map(str, body)) == wanted,
        f"the array of ids {wanted} (any order)",
        f"{body!r}"[:300],
    )


@check(
    "MIM1.BATCH.CREATE.VISIBLE",
    mim=MIM,
    area=AREA,
    requirement="Entities created by a batch create can be retrieved with their attributes.",
    source=NGSI_LD("5.6.7.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_makes_entities(ctx: CheckContext) -> None:
    entities = pair(ctx)
    response = await batch(ctx, "create", entities)
    ctx.expect_status(response, 201)
    for entity in entities:
        found = await retrieve(ctx, entity["id"])
        ctx.expect(found.status == 200, f"entity {entity['id']} retrievable", f"{found.status}")
        body = ctx.json(found)
        speed = body.get("speed") if isinstance(body, dict) else None
        ctx.expect(
            isinstance(speed, dict) and speed.get("value") == 80,
            "speed.value 80 as created",
            f"speed = {speed!r}",
        )


@check(
    "MIM1.BATCH.CREATE.207",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch create including an existing id answers 207 with a BatchOperationResult:"
        " the new id under success, the existing one under errors with AlreadyExists."
    ),
    source=NGSI_LD("6.14.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_with_existing_is_207(ctx: CheckContext) -> None:
    existing = await create_sample(ctx)
    fresh = sample_entity(ctx, existing["type"])
    response = await batch(ctx, "create", [fresh, existing])
    ctx.expect_status(response, 207)
    success, errors = batch_result(ctx, response)
    expect_listed(ctx, success, fresh["id"], "success")
    ctx.expect(existing["id"] not in success, f"{existing['id']} not under success", f"{success!r}")
    expect_error_for(ctx, errors, existing["id"], "AlreadyExists")
    await expect_exists(ctx, fresh["id"], "reported as created")


@check(
    "MIM1.BATCH.CREATE.UNTOUCHED",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch create item that fails because its id exists leaves the existing entity unchanged."
    ),
    source=NGSI_LD("5.6.7.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_existing_leaves_no_trace(ctx: CheckContext) -> None:
    existing = await create_sample(ctx)
    clash = {
        "id": existing["id"],
        "type": existing["type"],
        "speed": {"type": "Property", "value": 5},
        "colour": {"type": "Property", "value": "blue"},
    }
    fresh = sample_entity(ctx, existing["type"])
    response = await batch(ctx, "create", [fresh, clash])
    ctx.expect_status(response, 207)
    found = await retrieve(ctx, existing["id"])
    ctx.expect_status(found, 200)
    body = ctx.json(found)
    ctx.expect(
        isinstance(body, dict) and "colour" not in body,
        "no colour attribute on the existing entity",
        f"colour = {body.get('colour') if isinstance(body, dict) else body!r}",
    )
    speed = body.get("speed")
    ctx.expect(
        isinstance(speed, dict) and speed.get("value") == 80,
        "speed.value still 80",
        f"speed = {speed!r}",
    )


@check(
    "MIM1.BATCH.CREATE.INVALID",
    mim=MIM,
    area=AREA,
    requirement=(
        "An invalid entity in a batch create is not created: the batch is refused with 400"
        " BadRequestData, or answered 207 listing it under errors."
    ),
    source=NGSI_LD("5.6.7.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_invalid_item_leaves_no_trace(ctx: CheckContext) -> None:
    valid, invalid = pair(ctx)
    invalid["isParked"] = {"type": "Relationship", "value": "urn:ngsi-ld:OffStreetParking:x"}
    response = await batch(ctx, "create", [valid, invalid])
    ctx.expect_status(response, 400, 207)
    if response.status == 400:
        ctx.expect_problem(response, 400, "BadRequestData")
    else:
        success, errors = batch_result(ctx, response)
        expect_error_for(ctx, errors, invalid["id"], "BadRequestData")
        expect_listed(ctx, success, valid["id"], "success")
    await expect_missing(ctx, invalid["id"], "its Relationship has no object, clause 5.5.4")


@check(
    "MIM1.BATCH.CREATE.NULLITEM",
    mim=MIM,
    area=AREA,
    requirement=(
        "A batch create with a null item fails as a whole with 400 BadRequestData; no entity"
        " of it is created."
    ),
    source=NGSI_LD("5.6.7.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_null_item_is_400(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    response = await batch(ctx, "create", [entity, None])
    ctx.expect_problem(response, 400, "BadRequestData")
    await expect_missing(ctx, entity["id"], "the whole batch was refused")


@check(
    "MIM1.BATCH.CREATE.NOTARRAY",
    mim=MIM,
    area=AREA,
    requirement="A batch create whose body is not a JSON array fails with 400.",
    source=NGSI_LD("6.14.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_not_array_is_400(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    response = await batch(ctx, "create", entity)
    ctx.expect_status(response, 400)
    body = ctx.json(response)
    kind = body.get("type") if isinstance(body, dict) else None
    wanted = [ERRORS + "BadRequestData", ERRORS + "InvalidRequest"]
    ctx.expect(kind in wanted, f"a ProblemDetails of type {' or '.join(wanted)}", f"{kind!r}")
    await expect_missing(ctx, entity["id"], "the batch was refused")


register_empty("create", "5.6.7.4")
