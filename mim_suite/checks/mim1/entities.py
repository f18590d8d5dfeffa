"""Entity lifecycle: create, retrieve, delete (ETSI GS CIM 009 V1.8.1 clauses 5.6.1, 5.6.6,
5.7.1; HTTP binding 6.4.3.1, 6.5.3.1, 6.5.3.2)."""

from __future__ import annotations

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, entity_path, retrieve, sample_entity
from mim_suite.model import NGSI_LD, Strength

AREA = "entities"


@check(
    "MIM1.ENT.CREATE.201",
    mim=MIM,
    area=AREA,
    requirement="Creating a valid entity answers 201 Created.",
    source=NGSI_LD("6.4.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_answers_201(ctx: CheckContext) -> None:
    response = await ctx.post("/entities", json_body=sample_entity(ctx))
    ctx.expect_status(response, 201)


@check(
    "MIM1.ENT.CREATE.LOCATION",
    mim=MIM,
    area=AREA,
    requirement="The 201 answer to Create Entity carries a Location header naming the entity.",
    source=NGSI_LD("6.4.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_returns_location(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    response = await ctx.create(entity)
    location = response.header("location")
    ctx.expect(location is not None, "a Location header", "no Location header")
    assert location is not None
    ctx.expect(
        location.rstrip("/").endswith(entity_path(entity["id"])) or entity["id"] in location,
        f"a Location ending in {entity_path(entity['id'])}",
        f"Location: {location}",
    )


@check(
    "MIM1.ENT.CREATE.409",
    mim=MIM,
    area=AREA,
    requirement="Creating an entity whose id already exists fails with 409 AlreadyExists.",
    source=NGSI_LD("5.6.1.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_existing_is_409(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.post("/entities", json_body=entity)
    ctx.expect_problem(response, 409, "AlreadyExists")


@check(
    "MIM1.ENT.RETRIEVE.200",
    mim=MIM,
    area=AREA,
    requirement="Retrieving an existing entity answers 200 with the entity's id and type.",
    source=NGSI_LD("5.7.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def retrieve_answers_entity(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await retrieve(ctx, entity["id"])
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, dict) and body.get("id") == entity["id"],
        f"id {entity['id']}",
        f"{body.get('id') if isinstance(body, dict) else body!r}",
    )
    ctx.expect(
        body.get("type") == entity["type"], f"type {entity['type']}", f"{body.get('type')!r}"
    )


@check(
    "MIM1.ENT.RETRIEVE.ATTRS",
    mim=MIM,
    area=AREA,
    requirement="A retrieved entity carries the attributes it was created with, values intact.",
    source=NGSI_LD("5.7.1.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def retrieve_keeps_values(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = ctx.json(await retrieve(ctx, entity["id"]))
    for name in ("speed", "brandName", "isParked", "location"):
        sent, got = entity[name], body.get(name) if isinstance(body, dict) else None
        ctx.expect(isinstance(got, dict), f"attribute {name} as an object", f"{got!r}")
        assert isinstance(got, dict)
        member = "object" if sent["type"] == "Relationship" else "value"
        ctx.expect(
            got.get(member) == sent[member],
            f"{name}.{member} = {sent[member]!r}",
            f"{name}.{member} = {got.get(member)!r}",
        )


@check(
    "MIM1.ENT.RETRIEVE.404",
    mim=MIM,
    area=AREA,
    requirement="Retrieving an entity that does not exist fails with 404 ResourceNotFound.",
    source=NGSI_LD("5.7.1.4"),
    strength=Strength.SHALL,
)
async def retrieve_unknown_is_404(ctx: CheckContext) -> None:
    missing = f"urn:ngsi-ld:Thing:mimtest-{ctx.run_id}-never-created"
    response = await retrieve(ctx, missing)
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ENT.RETRIEVE.BADID",
    mim=MIM,
    area=AREA,
    requirement="Retrieving with an entity id that is not a URI fails with 400 BadRequestData.",
    source=NGSI_LD("5.7.1.4"),
    strength=Strength.SHALL,
)
async def retrieve_bad_id_is_400(ctx: CheckContext) -> None:
    response = await ctx.get("/entities/not%20a%20uri")
    ctx.expect_problem(response, 400, "BadRequestData")


@check(
    "MIM1.ENT.DELETE.204",
    mim=MIM,
    area=AREA,
    requirement="Deleting an existing entity answers 204 and the entity is gone afterwards.",
    source=NGSI_LD("5.6.6"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_removes_entity(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await ctx.delete(entity_path(entity["id"]))
    ctx.expect_status(response, 204)
    after = await retrieve(ctx, entity["id"])
    ctx.expect(after.status == 404, "404 when retrieving the deleted entity", f"{after.status}")


@check(
    "MIM1.ENT.DELETE.404",
    mim=MIM,
    area=AREA,
    requirement="Deleting an entity that does not exist fails with 404 ResourceNotFound.",
    source=NGSI_LD("5.6.6.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def delete_unknown_is_404(ctx: CheckContext) -> None:
    missing = ctx.entity_id("Thing")
    response = await ctx.delete(entity_path(missing))
    ctx.expect_problem(response, 404, "ResourceNotFound")


@check(
    "MIM1.ENT.CREATE.BADID",
    mim=MIM,
    area=AREA,
    requirement="Creating an entity whose id is not a URI fails with 400 BadRequestData.",
    source=NGSI_LD("5.6.1.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_bad_id_is_400(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    entity["id"] = f"mimtest {ctx.run_id} not a uri"
    ctx.track(entity["id"])
    response = await ctx.post("/entities", json_body=entity)
    ctx.expect_problem(response, 400, "BadRequestData")


@check(
    "MIM1.ENT.CREATE.NOTYPE",
    mim=MIM,
    area=AREA,
    requirement="Creating an entity without a type fails with 400 BadRequestData.",
    source=NGSI_LD("5.6.1.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def create_without_type_is_400(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    del entity["type"]
    response = await ctx.post("/entities", json_body=entity)
    ctx.expect_problem(response, 400, "BadRequestData")
