"""Error reporting and input validation (ETSI GS CIM 009 V1.8.1): the ProblemDetails body
(clause 5.5.3) with the error types of 5.5.2 and its HTTP rendering (6.3.3, 6.3.6), and the
general validation of request payloads (5.5.4) with the naming and value rules it applies
(4.6.2, 4.6.3, NGSI-LD Null of 5.2.1 / 5.5.4).

The HTTP-level statuses (405, 404, 411, 413, 204, unknown URL parameters) are in
``errors_http``.
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import ERRORS, CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import entity_path, sample_entity
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "errors"
NGSI_LD_NULL = "urn:ngsi-ld:null"

#: The error types of Table 5.5.2-1 (Conflict included: it is listed there since V1.8.1).
ERROR_TYPES = frozenset(
    {
        "AlreadyExists",
        "BadRequestData",
        "Conflict",
        "InternalError",
        "InvalidRequest",
        "LdContextNotAvailable",
        "NoMultiTenantSupport",
        "NonexistentTenant",
        "OperationNotSupported",
        "ResourceNotFound",
        "TooComplexQuery",
        "TooManyResults",
    }
)


# -- helpers -----------------------------------------------------------------------------------


async def _error_samples(ctx: CheckContext, **kwargs: Any) -> list[ProbeResponse]:
    """Two errors any platform gives without data: an unknown entity (404) and an entity id
    that is not a URI (400). A request that did not fail skips the check: the statuses
    themselves are judged by MIM1.ENT.RETRIEVE.404 and MIM1.ENT.RETRIEVE.BADID."""
    unknown = f"urn:ngsi-ld:Thing:mimtest-{ctx.run_id}-never-created"
    responses = [
        await ctx.get(entity_path(unknown), **kwargs),
        await ctx.get("/entities/not%20a%20uri", **kwargs),
    ]
    for response in responses:
        if response.status < 400:
            ctx.skip(
                f"precondition failed: {response.url} answered {response.status}, not an error"
                " (see MIM1.ENT.RETRIEVE.404 and MIM1.ENT.RETRIEVE.BADID)"
            )
    return responses


def _problem_body(ctx: CheckContext, response: ProbeResponse) -> dict[str, Any]:
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, dict),
        f"a ProblemDetails JSON object in the {response.status} answer",
        f"{body!r}"[:200],
    )
    assert isinstance(body, dict)
    return body


def _expect_members(ctx: CheckContext, response: ProbeResponse) -> None:
    body = _problem_body(ctx, response)
    kind = body.get("type")
    ctx.expect(
        isinstance(kind, str) and kind.startswith(ERRORS) and kind[len(ERRORS) :] in ERROR_TYPES,
        f"type naming an error type of Table 5.5.2-1 ({ERRORS}...)",
        f"type {kind!r} in the {response.status} answer",
    )
    title = body.get("title")
    ctx.expect(
        isinstance(title, str) and title.strip() != "",
        "a non-empty string title",
        f"title {title!r} in the {response.status} answer",
    )
    detail = body.get("detail")
    ctx.expect(
        isinstance(detail, str),
        "a string detail",
        f"detail {detail!r} in the {response.status} answer",
    )


async def _create_refused(
    ctx: CheckContext, entity: dict[str, Any], error_type: str = "BadRequestData"
) -> None:
    """POST ``entity`` (already tracked for cleanup) and expect 400 with ``error_type``."""
    response = await ctx.post("/entities", json_body=entity)
    ctx.expect_problem(response, 400, error_type)


def _fresh(ctx: CheckContext, **attrs: Any) -> dict[str, Any]:
    """A minimal entity of a fresh type with the given attributes (its id is cleaned up)."""
    kind = ctx.type_name("Probe")
    return {"id": ctx.entity_id(kind), "type": kind, **attrs}


# -- ProblemDetails (5.5.3, 6.3.3, 6.3.6) ------------------------------------------------------


@check(
    "MIM1.ERR.PROBLEM.MEDIA",
    mim=MIM,
    area=AREA,
    requirement="Error responses carry a body of media type application/json.",
    source=NGSI_LD("6.3.3"),
    strength=Strength.SHALL,
)
async def problem_is_json(ctx: CheckContext) -> None:
    for response in await _error_samples(ctx):
        ctx.expect(
            response.media_type == "application/json",
            f"Content-Type application/json on the {response.status} answer",
            f"Content-Type {response.header('content-type')!r}",
        )


@check(
    "MIM1.ERR.PROBLEM.MEDIA_ANY_ACCEPT",
    mim=MIM,
    area=AREA,
    requirement=(
        "Error responses are application/json even when the request accepts only"
        " application/ld+json."
    ),
    source=NGSI_LD("6.3.6"),
    strength=Strength.SHALL,
)
async def problem_is_json_whatever_accept(ctx: CheckContext) -> None:
    for response in await _error_samples(ctx, headers={"Accept": "application/ld+json"}):
        ctx.expect(
            response.media_type == "application/json",
            f"Content-Type application/json on the {response.status} answer to an"
            " Accept: application/ld+json request",
            f"Content-Type {response.header('content-type')!r}",
        )


@check(
    "MIM1.ERR.PROBLEM.MEMBERS",
    mim=MIM,
    area=AREA,
    requirement=(
        "An error body is a ProblemDetails object with an ETSI error type URI, a title and a"
        " detail."
    ),
    source=NGSI_LD("5.5.3"),
    strength=Strength.SHALL,
)
async def problem_has_members(ctx: CheckContext) -> None:
    for response in await _error_samples(ctx):
        _expect_members(ctx, response)


@check(
    "MIM1.ERR.PROBLEM.STATUS",
    mim=MIM,
    area=AREA,
    requirement=(
        "A ProblemDetails status member, when present, equals the HTTP status of the response."
    ),
    source=NGSI_LD("5.5.3"),
    strength=Strength.SHALL,
)
async def problem_status_matches(ctx: CheckContext) -> None:
    # 5.5.3 follows RFC 7807 section 3.1, where status is the code the origin server generated.
    for response in await _error_samples(ctx):
        body = _problem_body(ctx, response)
        if "status" not in body:
            ctx.note(f"the {response.status} answer has no status member (optional in 5.5.3)")
            continue
        ctx.expect(
            body["status"] == response.status,
            f"status {response.status} in the body, as in the HTTP status line",
            f"status {body['status']!r}",
        )


# -- payload validation (5.5.4) ----------------------------------------------------------------


@check(
    "MIM1.ERR.BODY.MALFORMED_JSON",
    mim=MIM,
    area=AREA,
    requirement="A request body that is not valid JSON fails with 400 InvalidRequest.",
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def malformed_json_is_invalid_request(ctx: CheckContext) -> None:
    kind = ctx.type_name("Probe")
    text = f'{{"id": "{ctx.entity_id(kind)}", "type": "{kind}", "speed": {{"type": '
    response = await ctx.post(
        "/entities", content=text.encode(), headers={"Content-Type": "application/json"}
    )
    ctx.expect_problem(response, 400, "InvalidRequest")


@check(
    "MIM1.ERR.BODY.NOT_OBJECT",
    mim=MIM,
    area=AREA,
    requirement=(
        "Create Entity with a JSON array instead of an entity object fails with 400"
        " (BadRequestData or InvalidRequest)."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def array_body_is_refused(ctx: CheckContext) -> None:
    # 5.5.4 names BadRequestData for well-formed JSON that does not fit the API data types;
    # Table 5.5.2-1 describes InvalidRequest as a request with "wrong content": both fit.
    response = await ctx.post("/entities", json_body=[sample_entity(ctx)])
    ctx.expect_status(response, 400)
    body = _problem_body(ctx, response)
    accepted = {ERRORS + "BadRequestData", ERRORS + "InvalidRequest"}
    ctx.expect(
        body.get("type") in accepted,
        "ProblemDetails type BadRequestData or InvalidRequest",
        f"type {body.get('type')!r}",
    )


@check(
    "MIM1.ERR.NAME.SPACE",
    mim=MIM,
    area=AREA,
    requirement="An attribute name containing a space is refused with 400 BadRequestData.",
    source=NGSI_LD("4.6.2"),
    strength=Strength.SHOULD,
    writes=True,
)
async def attribute_name_with_space(ctx: CheckContext) -> None:
    entity = _fresh(ctx, **{"bad name": {"type": "Property", "value": 1}})
    await _create_refused(ctx, entity)


@check(
    "MIM1.ERR.NAME.MARKUP",
    mim=MIM,
    area=AREA,
    requirement="An attribute name containing '<' or '>' is refused with 400 BadRequestData.",
    source=NGSI_LD("4.6.2"),
    strength=Strength.SHOULD,
    writes=True,
)
async def attribute_name_with_markup(ctx: CheckContext) -> None:
    entity = _fresh(ctx, **{"speed<b>": {"type": "Property", "value": 1}})
    await _create_refused(ctx, entity)


@check(
    "MIM1.ERR.RELATIONSHIP.NO_OBJECT",
    mim=MIM,
    area=AREA,
    requirement=(
        "Creating an entity with a Relationship that has no object fails with 400 BadRequestData."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def relationship_without_object(ctx: CheckContext) -> None:
    await _create_refused(ctx, _fresh(ctx, owner={"type": "Relationship"}))


@check(
    "MIM1.ERR.PROPERTY.NO_VALUE",
    mim=MIM,
    area=AREA,
    requirement=(
        "Creating an entity with a Property that has no value fails with 400 BadRequestData."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def property_without_value(ctx: CheckContext) -> None:
    await _create_refused(ctx, _fresh(ctx, speed={"type": "Property", "unitCode": "KMH"}))


@check(
    "MIM1.ERR.GEOPROPERTY.INVALID",
    mim=MIM,
    area=AREA,
    requirement=(
        "A GeoProperty whose value is not a GeoJSON geometry fails with 400 BadRequestData."
    ),
    source=NGSI_LD("4.6.3"),
    strength=Strength.SHALL,
    writes=True,
)
async def geoproperty_not_geojson(ctx: CheckContext) -> None:
    location = {"type": "GeoProperty", "value": {"type": "Point", "coordinates": "downtown"}}
    await _create_refused(ctx, _fresh(ctx, location=location))


@check(
    "MIM1.ERR.OBSERVEDAT.INVALID",
    mim=MIM,
    area=AREA,
    requirement="An observedAt that is not a DateTime fails with 400 BadRequestData.",
    source=NGSI_LD("4.6.3"),
    strength=Strength.SHALL,
    writes=True,
)
async def observed_at_not_datetime(ctx: CheckContext) -> None:
    speed = {"type": "Property", "value": 80, "observedAt": "yesterday at noon"}
    await _create_refused(ctx, _fresh(ctx, speed=speed))


@check(
    "MIM1.ERR.NULL.CREATE_VALUE",
    mim=MIM,
    area=AREA,
    requirement=(
        "The NGSI-LD Null (urn:ngsi-ld:null) as a Property value in Create Entity fails with"
        " 400 BadRequestData."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def null_value_in_create(ctx: CheckContext) -> None:
    await _create_refused(ctx, _fresh(ctx, speed={"type": "Property", "value": NGSI_LD_NULL}))


@check(
    "MIM1.ERR.NULL.CREATE_OBJECT",
    mim=MIM,
    area=AREA,
    requirement=(
        "The NGSI-LD Null (urn:ngsi-ld:null) as a Relationship object in Create Entity fails"
        " with 400 BadRequestData."
    ),
    source=NGSI_LD("5.5.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def null_object_in_create(ctx: CheckContext) -> None:
    owner = {"type": "Relationship", "object": NGSI_LD_NULL}
    await _create_refused(ctx, _fresh(ctx, owner=owner))
