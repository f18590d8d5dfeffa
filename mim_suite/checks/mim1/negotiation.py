"""Content negotiation of the HTTP binding: Accept (406, preference order, q-values),
Content-Type (415, merge-patch), and where a response puts its @context (ETSI GS CIM 009
V1.8.1 clauses 6.3.2, 6.3.4, 6.3.6).

The harness's HTTP client always sends an Accept header (``*/*`` by default), so the rule
"no Accept means application/json" is covered through ``*/*`` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mim_suite.checks.base import CheckContext, CheckFunc, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, entity_path, retrieve, sample_entity
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "negotiation"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
JSON = "application/json"
JSONLD = "application/ld+json"
GEOJSON = "application/geo+json"
XML = "application/xml"
MERGE_PATCH = "application/merge-patch+json"

_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r'\brel\s*=\s*(?:"([^"]*)"|([^\s;,]+))', re.IGNORECASE)


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


def context_links(response: ProbeResponse) -> list[str]:
    """Targets of the response's Link headers whose rel is the JSON-LD context rel."""
    found: list[str] = []
    for raw in response.headers.get_list("link"):
        for target, params in _LINK.findall(raw):
            rel = _REL.search(params)
            if rel is not None and CONTEXT_REL in (rel.group(1) or rel.group(2) or "").split():
                found.append(target)
    return found


def _missing_entity(ctx: CheckContext) -> str:
    return f"urn:ngsi-ld:Thing:mimtest-{ctx.run_id}-never-created"


def expect_media(ctx: CheckContext, response: ProbeResponse, media: str) -> None:
    ctx.expect_status(response, 200)
    ctx.expect(
        response.media_type == media,
        f"Content-Type {media}",
        f"Content-Type {response.header('content-type')}",
    )


async def _retrieve_as(ctx: CheckContext, accept: str) -> ProbeResponse:
    entity = await create_sample(ctx)
    return await retrieve(ctx, entity["id"], headers={"Accept": accept})


@_check(
    "MIM1.NEG.ACCEPT.WILDCARD",
    "Accept */* is answered with application/json, the first of the preference list.",
    "6.3.4",
)
async def wildcard_gives_json(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, "*/*"), JSON)


@_check(
    "MIM1.NEG.ACCEPT.SUBTYPE_WILDCARD",
    "Accept application/* is answered with application/json, the first of the preference list.",
    "6.3.4",
)
async def subtype_wildcard_gives_json(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, "application/*"), JSON)


@_check(
    "MIM1.NEG.ACCEPT.ORDER",
    "Accepting application/ld+json and application/json equally is answered with application/json.",
    "6.3.4",
)
async def equal_weights_give_json(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, f"{JSONLD}, {JSON}"), JSON)


@_check(
    "MIM1.NEG.ACCEPT.QVALUES",
    "q-values decide: application/json;q=0.1, application/ld+json;q=0.9 gives application/ld+json.",
    "6.3.4",
)
async def q_values_honoured(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, f"{JSON};q=0.1, {JSONLD};q=0.9"), JSONLD)


@_check(
    "MIM1.NEG.ACCEPT.QZERO",
    "A media type with q=0 is not acceptable: application/json;q=0, application/ld+json gives"
    " application/ld+json.",
    "6.3.4",
)
async def q_zero_excludes(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, f"{JSON};q=0, {JSONLD}"), JSONLD)


@_check(
    "MIM1.NEG.ACCEPT.LDJSON",
    "Accept application/ld+json is answered with Content-Type application/ld+json.",
    "6.3.4",
)
async def ld_json_on_request(ctx: CheckContext) -> None:
    expect_media(ctx, await _retrieve_as(ctx, JSONLD), JSONLD)


@_check(
    "MIM1.NEG.LDJSON.CONTEXT",
    "An application/ld+json entity carries its @context in the body.",
    "6.3.6",
)
async def ld_json_has_context(ctx: CheckContext) -> None:
    response = await _retrieve_as(ctx, JSONLD)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, dict) and "@context" in body,
        "an @context member in the body",
        f"members {sorted(body) if isinstance(body, dict) else body!r}",
    )


@_check(
    "MIM1.NEG.LDJSON.QUERY_CONTEXT",
    "Query Entities answered as application/ld+json carries an @context in every entity.",
    "6.3.6",
)
async def ld_json_query_has_context(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    params = {"type": entity["type"]}
    response = await ctx.get("/entities", params=params, headers={"Accept": JSONLD})
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(isinstance(body, list) and len(body) == 1, "an array of 1 entity", f"{body!r}")
    item: Any = body[0]
    ctx.expect(
        isinstance(item, dict) and "@context" in item,
        "an @context member in the entity",
        f"members {sorted(item) if isinstance(item, dict) else item!r}",
    )


def _expect_context_link(ctx: CheckContext, response: ProbeResponse) -> None:
    expect_media(ctx, response, JSON)
    ctx.expect(
        bool(context_links(response)),
        f'a Link header with rel="{CONTEXT_REL}"',
        f"Link: {response.headers.get_list('link')}",
    )


@_check(
    "MIM1.NEG.JSON.LINK",
    "An application/json entity names its @context in a JSON-LD Link header.",
    "6.3.6",
)
async def json_has_context_link(ctx: CheckContext) -> None:
    _expect_context_link(ctx, await _retrieve_as(ctx, JSON))


@_check(
    "MIM1.NEG.JSON.LINK_QUERY",
    "An application/json Query Entities answer names its @context in a JSON-LD Link header.",
    "6.3.6",
)
async def json_query_has_context_link(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    params = {"type": entity["type"]}
    _expect_context_link(ctx, await ctx.get("/entities", params=params, headers={"Accept": JSON}))


@_check(
    "MIM1.NEG.406.RETRIEVE",
    "Retrieve Entity with Accept application/xml fails with 406.",
    "6.3.4",
)
async def xml_retrieve_is_406(ctx: CheckContext) -> None:
    ctx.expect_status(await _retrieve_as(ctx, XML), 406)


@_check(
    "MIM1.NEG.406.UNKNOWN_ENTITY",
    "The Accept precondition is checked first: application/xml on an unknown entity gives 406.",
    "6.3.4",
    writes=False,
)
async def xml_unknown_entity_is_406(ctx: CheckContext) -> None:
    response = await retrieve(ctx, _missing_entity(ctx), headers={"Accept": XML})
    ctx.expect_status(response, 406)


@_check(
    "MIM1.NEG.406.QUERY",
    "Query Entities (GET) with Accept application/xml fails with 406.",
    "6.3.4",
    writes=False,
)
async def xml_query_is_406(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Vehicle")}
    ctx.expect_status(await ctx.get("/entities", params=params, headers={"Accept": XML}), 406)


@_check(
    "MIM1.NEG.406.POST_QUERY",
    "Query Entities via POST with Accept application/xml fails with 406.",
    "6.3.4",
)
async def xml_post_query_is_406(ctx: CheckContext) -> None:
    query = {"type": "Query", "entities": [{"type": ctx.type_name("Vehicle")}]}
    response = await ctx.post("/entityOperations/query", json_body=query, headers={"Accept": XML})
    ctx.expect_status(response, 406)


@_check(
    "MIM1.NEG.406.BODY",
    "A 406 answer's body lists the available representations.",
    "6.3.4",
    writes=False,
)
async def not_acceptable_lists_media(ctx: CheckContext) -> None:
    response = await retrieve(ctx, _missing_entity(ctx), headers={"Accept": XML})
    ctx.expect_status(response, 406)
    ctx.expect(
        JSON in response.text or JSONLD in response.text,
        f"a body listing the available representations (e.g. {JSON})",
        f"body {response.text[:300]!r}",
    )


@_check(
    "MIM1.NEG.406.GEOJSON_TYPES",
    "Accept application/geo+json on an operation other than Retrieve or Query Entities (GET"
    " /types) fails with 406.",
    "6.3.4",
    writes=False,
)
async def geojson_types_is_406(ctx: CheckContext) -> None:
    ctx.expect_status(await ctx.get("/types", headers={"Accept": GEOJSON}), 406)


@_check(
    "MIM1.NEG.415.CREATE",
    "Create Entity with Content-Type application/xml fails with 415.",
    "6.3.4",
)
async def xml_create_is_415(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    response = await ctx.post("/entities", json_body=entity, headers={"Content-Type": XML})
    ctx.expect_status(response, 415)


@_check(
    "MIM1.NEG.415.UNKNOWN_ENTITY",
    "The Content-Type precondition is checked first: application/xml on an unknown entity's"
    " attribute gives 415.",
    "6.3.4",
)
async def xml_patch_unknown_is_415(ctx: CheckContext) -> None:
    path = entity_path(ctx.entity_id("Vehicle"), "attrs", "speed")
    fragment = {"type": "Property", "value": 10}
    response = await ctx.patch(path, json_body=fragment, headers={"Content-Type": XML})
    ctx.expect_status(response, 415)


@_check(
    "MIM1.NEG.415.MISSING",
    "Create Entity without a Content-Type fails: 415, or 400 InvalidRequest as an unmet"
    " precondition.",
    "6.3.4",
)
async def missing_content_type_refused(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    body = f'{{"id": "{entity["id"]}", "type": "{entity["type"]}"}}'.encode()
    response = await ctx.post("/entities", content=body)
    if response.status == 400:
        ctx.expect_problem(response, 400, "InvalidRequest")
        return
    ctx.expect_status(response, 415, 400)


async def _brand_after_merge_patch(ctx: CheckContext, *, whole_entity: bool) -> None:
    entity = await create_sample(ctx)
    fragment = {"type": "Property", "value": "Audi"}
    body: dict[str, Any]
    if whole_entity:
        path, body = entity_path(entity["id"]), {"brandName": fragment}
    else:
        path, body = entity_path(entity["id"], "attrs", "brandName"), fragment
    response = await ctx.patch(path, json_body=body, headers={"Content-Type": MERGE_PATCH})
    ctx.expect_status(response, 204)
    after = ctx.json(await retrieve(ctx, entity["id"]))
    got = after.get("brandName") if isinstance(after, dict) else None
    value = got.get("value") if isinstance(got, dict) else got
    ctx.expect(value == "Audi", 'brandName.value = "Audi" after the PATCH', f"brandName: {got!r}")


@_check(
    "MIM1.NEG.MERGE_PATCH.ATTRIBUTE",
    "Partial Attribute Update (PATCH) accepts Content-Type application/merge-patch+json as"
    " application/json.",
    "6.3.4",
)
async def merge_patch_attribute(ctx: CheckContext) -> None:
    await _brand_after_merge_patch(ctx, whole_entity=False)


@_check(
    "MIM1.NEG.MERGE_PATCH.ENTITY",
    "Merge Entity (PATCH) accepts Content-Type application/merge-patch+json as application/json.",
    "6.3.4",
)
async def merge_patch_entity(ctx: CheckContext) -> None:
    await _brand_after_merge_patch(ctx, whole_entity=True)
