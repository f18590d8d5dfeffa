"""HTTP-level statuses of the NGSI-LD binding (ETSI GS CIM 009 V1.8.1): 405 with the allowed
methods, 411 and 413 (clause 6.3.2), the bare 411 of the request preconditions (6.3.4), 404 for
a path that names no resource, unknown URL parameters (6.3.20) and the 204 without
Content-Length (6.3.6).
"""

from __future__ import annotations

import json
from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import create_sample, entity_path
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "errors"

#: Size of the body sent to provoke 413: above the limits brokers ship with (1 MB in
#: Orion-LD's and the reference platform's defaults), small enough for a production platform.
OVERSIZE_BYTES = 2 * 1024 * 1024


async def post_without_length(ctx: CheckContext, path: str, body: bytes) -> ProbeResponse:
    """POST ``body`` chunked, without a Content-Length header; the exchange is evidence."""
    if ctx.probe.target.read_only:
        ctx.skip("profile read-only: this check writes")
    headers = {"Content-Type": "application/json"}
    return await ctx.post(path, content=body, headers=headers, chunked=True)


def _allowed(response: ProbeResponse) -> set[str]:
    raw = response.header("allow") or ""
    return {m.strip().upper() for m in raw.split(",") if m.strip()}


# -- 405 (6.3.2) -------------------------------------------------------------------------------


@check(
    "MIM1.ERR.METHOD.405",
    mim=MIM,
    area=AREA,
    requirement="An HTTP method a resource does not define (PUT /entities) answers 405.",
    source=NGSI_LD("6.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def undefined_method_is_405(ctx: CheckContext) -> None:
    kind = ctx.type_name("Probe")
    response = await ctx.put("/entities", json_body={"id": ctx.entity_id(kind), "type": kind})
    ctx.expect_status(response, 405)


@check(
    "MIM1.ERR.METHOD.ALLOW",
    mim=MIM,
    area=AREA,
    requirement=(
        "A 405 answer carries an Allow header listing the methods the resource supports"
        " (GET and POST for /entities)."
    ),
    source=NGSI_LD("6.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def method_not_allowed_lists_methods(ctx: CheckContext) -> None:
    kind = ctx.type_name("Probe")
    response = await ctx.put("/entities", json_body={"id": ctx.entity_id(kind), "type": kind})
    if response.status != 405:
        ctx.skip(f"precondition failed: PUT /entities answered {response.status}, not 405")
    allowed = _allowed(response)
    ctx.expect(
        {"GET", "POST"} <= allowed and "PUT" not in allowed,
        "an Allow header naming GET and POST (and not PUT)",
        f"Allow: {response.header('allow')!r}",
    )


# -- 404 and unknown parameters ----------------------------------------------------------------


@check(
    "MIM1.ERR.PATH.404",
    mim=MIM,
    area=AREA,
    requirement="A path under the API root that names no NGSI-LD resource answers 404.",
    source=NGSI_LD("6.3.2"),
    strength=Strength.SHALL,
)
async def unknown_path_is_404(ctx: CheckContext) -> None:
    response = await ctx.get(f"/mimtest{ctx.run_id}Nowhere/entities")
    ctx.expect_status(response, 404)


@check(
    "MIM1.ERR.PARAM.UNKNOWN",
    mim=MIM,
    area=AREA,
    requirement=(
        "Query Entities with a URL parameter the operation does not define fails with 400"
        " InvalidRequest."
    ),
    source=NGSI_LD("6.3.20"),
    strength=Strength.SHOULD,
)
async def unknown_parameter_is_invalid_request(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Probe"), "mimtestBogus": "1"}
    response = await ctx.get("/entities", params=params)
    ctx.expect_problem(response, 400, "InvalidRequest")


# -- 411, 413 (6.3.2, 6.3.4) -------------------------------------------------------------------


def _small_entity(ctx: CheckContext) -> bytes:
    kind = ctx.type_name("Probe")
    entity = {"id": ctx.entity_id(kind), "type": kind, "speed": {"type": "Property", "value": 1}}
    return json.dumps(entity).encode()


@check(
    "MIM1.ERR.LENGTH.411",
    mim=MIM,
    area=AREA,
    requirement="A POST without a Content-Length header (chunked body) answers 411.",
    source=NGSI_LD("6.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def chunked_post_is_411(ctx: CheckContext) -> None:
    response = await post_without_length(ctx, "/entities", _small_entity(ctx))
    ctx.expect_status(response, 411)


@check(
    "MIM1.ERR.LENGTH.411_NO_BODY",
    mim=MIM,
    area=AREA,
    requirement="The 411 answer to a request without Content-Length carries no payload body.",
    source=NGSI_LD("6.3.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def length_required_is_bare(ctx: CheckContext) -> None:
    response = await post_without_length(ctx, "/entities", _small_entity(ctx))
    if response.status != 411:
        ctx.skip(f"precondition failed: answered {response.status}, not 411 (MIM1.ERR.LENGTH.411)")
    ctx.expect(
        response.content == b"",
        "a 411 without payload body",
        f"a {len(response.content)}-byte body: {response.text[:200]!r}",
    )


@check(
    "MIM1.ERR.SIZE.413",
    mim=MIM,
    area=AREA,
    requirement="A request body larger than the platform accepts answers 413.",
    source=NGSI_LD("6.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def oversize_body_is_413(ctx: CheckContext) -> None:
    kind = ctx.type_name("Probe")
    entity: dict[str, Any] = {
        "id": ctx.entity_id(kind),
        "type": kind,
        "notes": {"type": "Property", "value": "x" * OVERSIZE_BYTES},
    }
    response = await ctx.post("/entities", json_body=entity)
    if response.status in (201, 400):
        ctx.skip(
            f"a {OVERSIZE_BYTES // (1024 * 1024)} MB body answered {response.status}: the"
            " platform's size limit (implementation-defined) is larger or not reached"
        )
    ctx.expect_status(response, 413)


# -- 204 (6.3.6) -------------------------------------------------------------------------------


@check(
    "MIM1.ERR.NOCONTENT.NO_LENGTH",
    mim=MIM,
    area=AREA,
    requirement="A 204 answer carries no Content-Length header.",
    source=NGSI_LD("6.3.6"),
    strength=Strength.SHALL,
    writes=True,
)
async def no_content_has_no_length(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    patch = await ctx.patch(
        entity_path(entity["id"], "attrs"),
        json_body={"speed": {"type": "Property", "value": 90}},
    )
    delete = await ctx.delete(entity_path(entity["id"]))
    answers = [r for r in (patch, delete) if r.status == 204]
    if not answers:
        ctx.skip(
            f"precondition failed: no 204 (update attributes {patch.status}, delete"
            f" {delete.status}; see MIM1.ENT.DELETE.204)"
        )
    for response in answers:
        ctx.expect(
            response.header("content-length") is None,
            "no Content-Length header on a 204",
            f"Content-Length: {response.header('content-length')}",
        )
