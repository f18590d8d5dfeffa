"""JSON-LD @context rules of requests: where the @context may come from, how a user @context
expands and compacts names, and what a missing remote @context gives (ETSI GS CIM 009 V1.8.1
clauses 5.5.2, 5.5.7, 6.3.5).

A platform under test cannot fetch URLs of ours, so user @contexts are sent inline, in the
body of ``application/ld+json`` requests; the only remote @context used is a deliberately
unreachable one (``http://127.0.0.1:9/``), whose failure is the point of the check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mim_suite.checks.base import CORE_CONTEXT, ERRORS, CheckContext, CheckFunc, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import (
    JSONLD,
    create_sample,
    entity_path,
    link_header,
    sample_entity,
)
from mim_suite.checks.mim1.representation import fetch_entity, member, show
from mim_suite.model import NGSI_LD, Strength

AREA = "context"
VOCAB = "https://example.org/mim-suite/vocab/"
UNREACHABLE_CONTEXT = "http://127.0.0.1:9/ctx.jsonld"


def _check(
    check_id: str, requirement: str, clause: str, *, writes: bool = True
) -> Callable[[CheckFunc], CheckFunc]:
    return check(
        check_id,
        mim=MIM,
        area=AREA,
        requirement=requirement,
        source=NGSI_LD(clause),
        strength=Strength.SHALL,
        writes=writes,
    )


def _user_entity(ctx: CheckContext) -> tuple[dict[str, Any], list[Any]]:
    """An entity whose type and ``mimSpeed`` are terms of an inline user @context."""
    kind = ctx.type_name("Car")
    terms = {"mimSpeed": VOCAB + "mimSpeed", kind: VOCAB + kind}
    context: list[Any] = [terms, CORE_CONTEXT]
    entity = {
        "id": ctx.entity_id(kind),
        "type": kind,
        "mimSpeed": {"type": "Property", "value": 42},
        "@context": context,
    }
    return entity, context


async def _create_user_entity(ctx: CheckContext) -> tuple[dict[str, Any], list[Any]]:
    entity, context = _user_entity(ctx)
    await ctx.create(entity, headers=JSONLD)
    return entity, context


@_check(
    "MIM1.CTX.LDJSON.ACCEPTED",
    "Create Entity accepts application/ld+json with the @context in the body.",
    "6.3.5",
)
async def ld_json_create_accepted(ctx: CheckContext) -> None:
    entity = sample_entity(ctx) | {"@context": CORE_CONTEXT}
    response = await ctx.post("/entities", json_body=entity, headers=JSONLD)
    ctx.expect_status(response, 201)


@_check(
    "MIM1.CTX.LDJSON.NO_CONTEXT",
    "Create Entity as application/ld+json without @context fails with 400 BadRequestData.",
    "6.3.5",
)
async def ld_json_without_context(ctx: CheckContext) -> None:
    response = await ctx.post("/entities", json_body=sample_entity(ctx), headers=JSONLD)
    ctx.expect_problem(response, 400, "BadRequestData")


@_check(
    "MIM1.CTX.LDJSON.NO_CONTEXT_PATCH",
    "Update Attributes (PATCH) as application/ld+json without @context fails with 400"
    " BadRequestData.",
    "6.3.5",
)
async def ld_json_patch_without_context(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"brandName": {"type": "Property", "value": "Audi"}}
    path = entity_path(entity["id"], "attrs")
    response = await ctx.patch(path, json_body=fragment, headers=JSONLD)
    ctx.expect_problem(response, 400, "BadRequestData")


@_check(
    "MIM1.CTX.LDJSON.WITH_LINK",
    "An application/ld+json request that also sends a JSON-LD Link header fails with 400"
    " BadRequestData.",
    "6.3.5",
)
async def ld_json_with_link(ctx: CheckContext) -> None:
    entity = sample_entity(ctx) | {"@context": CORE_CONTEXT}
    headers = JSONLD | {"Link": link_header()}
    response = await ctx.post("/entities", json_body=entity, headers=headers)
    ctx.expect_problem(response, 400, "BadRequestData")


@_check(
    "MIM1.CTX.JSON.BODY_CONTEXT",
    "Create Entity as application/json with an @context in the body fails with 400 BadRequestData.",
    "6.3.5",
)
async def json_with_body_context(ctx: CheckContext) -> None:
    entity = sample_entity(ctx) | {"@context": CORE_CONTEXT}
    response = await ctx.post("/entities", json_body=entity)
    ctx.expect_problem(response, 400, "BadRequestData")


@_check(
    "MIM1.CTX.JSON.BODY_CONTEXT_PATCH",
    "Update Attributes (PATCH) as application/json with an @context in the body fails with 400"
    " BadRequestData.",
    "6.3.5",
)
async def json_patch_with_body_context(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    fragment = {"brandName": {"type": "Property", "value": "Audi"}, "@context": CORE_CONTEXT}
    response = await ctx.patch(entity_path(entity["id"], "attrs"), json_body=fragment)
    ctx.expect_problem(response, 400, "BadRequestData")


@_check(
    "MIM1.CTX.USER.EXPANDED",
    "Names are expanded with the request's user @context: retrieved without it, an attribute"
    " comes back as its full IRI.",
    "5.5.7",
)
async def user_context_expands(ctx: CheckContext) -> None:
    entity, _ = await _create_user_entity(ctx)
    body = await fetch_entity(ctx, entity["id"])
    got = member(ctx, body, VOCAB + "mimSpeed")
    value = got.get("value") if isinstance(got, dict) else None
    ctx.expect(value == 42, f"{VOCAB}mimSpeed with value 42", show(got))
    ctx.expect("mimSpeed" not in body, "no short name mimSpeed", f"members {sorted(body)}")


@_check(
    "MIM1.CTX.USER.COMPACTED",
    "Answers are compacted with the request's @context: a query carrying the user @context gets"
    " the short names back.",
    "5.5.7",
)
async def user_context_compacts(ctx: CheckContext) -> None:
    entity, context = await _create_user_entity(ctx)
    query = {"type": "Query", "entities": [{"type": entity["type"]}], "@context": context}
    headers = JSONLD | {"Accept": "application/ld+json"}
    response = await ctx.post("/entityOperations/query", json_body=query, headers=headers)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(isinstance(body, list) and len(body) == 1, "an array of 1 entity", show(body))
    item: Any = body[0]
    ctx.expect(isinstance(item, dict), "an entity object", show(item))
    got = member(ctx, item, "mimSpeed")
    value = got.get("value") if isinstance(got, dict) else None
    ctx.expect(value == 42, "mimSpeed with value 42", f"mimSpeed: {show(got)}")
    kind = item.get("type")
    ctx.expect(kind == entity["type"], f"type {entity['type']}", f"type {kind!r}")


@_check(
    "MIM1.CTX.USER.TYPE_IRI",
    "An entity type given as a user @context term is stored expanded: a query by its full IRI"
    " finds the entity.",
    "5.5.7",
)
async def user_type_by_iri(ctx: CheckContext) -> None:
    entity, _ = await _create_user_entity(ctx)
    response = await ctx.get("/entities", params={"type": VOCAB + entity["type"]})
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ids = [e.get("id") for e in body if isinstance(e, dict)] if isinstance(body, list) else body
    ctx.expect(ids == [entity["id"]], f"exactly entity {entity['id']}", show(ids))


@_check(
    "MIM1.CTX.IRI.CORE_TERM",
    "An attribute named by the full IRI of a core term comes back as the core term.",
    "5.5.7",
)
async def full_iri_of_core_term(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    entity["https://uri.etsi.org/ngsi-ld/location"] = entity.pop("location")
    await ctx.create(entity)
    body = await fetch_entity(ctx, entity["id"])
    got = member(ctx, body, "location")
    value = got.get("value") if isinstance(got, dict) else None
    geometry = entity["https://uri.etsi.org/ngsi-ld/location"]["value"]
    ctx.expect(value == geometry, f"location.value {show(geometry)}", f"location: {show(got)}")


@_check(
    "MIM1.CTX.IRI.KEPT",
    "An attribute named by a full IRI no @context term matches comes back as that full IRI.",
    "5.5.7",
)
async def full_iri_kept(ctx: CheckContext) -> None:
    name = VOCAB + "mimFlag"
    entity = await create_sample(ctx, **{name: {"type": "Property", "value": True}})
    got = member(ctx, await fetch_entity(ctx, entity["id"]), name)
    value = got.get("value") if isinstance(got, dict) else None
    ctx.expect(value is True, f"{name} with value true", show(got))


@_check(
    "MIM1.CTX.REMOTE.UNAVAILABLE",
    "A Link header naming an @context that cannot be retrieved fails with LdContextNotAvailable"
    " (503 or 504).",
    "5.5.2",
    writes=False,
)
async def unreachable_context(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Vehicle")}
    headers = {"Link": link_header(UNREACHABLE_CONTEXT)}
    response = await ctx.get("/entities", params=params, headers=headers)
    ctx.expect_status(response, 503, 504)
    body = ctx.json(response)
    kind = body.get("type") if isinstance(body, dict) else None
    wanted = ERRORS + "LdContextNotAvailable"
    ctx.expect(kind == wanted, f"ProblemDetails type {wanted}", f"type {kind!r}")
