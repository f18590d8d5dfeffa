"""Query Entities: selection by type, id, idPattern and attrs, empty and too-wide queries, and
the POST binding (ETSI GS CIM 009 V1.8.1 clauses 4.17, 5.7.2, 6.4.3.2, 6.23).

The helpers at the top (``populate``, ``select_ids``, ``expect_selection``) are shared by the
q language, geo-query and pagination modules: each check creates a few entities of a private
type and compares the ids a query returns with the ones it must return.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "query"

Rows = Mapping[str, Mapping[str, Any]]
"""Entities to create: a readable label -> the entity's members (besides id; type optional)."""


def prop(value: Any, **members: Any) -> dict[str, Any]:
    """A normalized Property."""
    return {"type": "Property", "value": value, **members}


def rel(obj: str, **members: Any) -> dict[str, Any]:
    """A normalized Relationship."""
    return {"type": "Relationship", "object": obj, **members}


async def populate(ctx: CheckContext, type_name: str, rows: Rows) -> dict[str, str]:
    """Create one entity per row (type ``type_name`` unless the row says otherwise).

    Returns label -> entity id. Creation is a precondition: a refusal skips the check.
    """
    ids: dict[str, str] = {}
    for label, members in rows.items():
        entity: dict[str, Any] = {"type": type_name, **members}
        entity["id"] = entity.get("id") or ctx.entity_id(type_name)
        await ctx.create(entity)
        ids[label] = entity["id"]
    return ids


def describe(params: Mapping[str, str]) -> str:
    """``k=v&k=v`` as a human reads it (not URL-encoded)."""
    return "&".join(f"{k}={v}" for k, v in params.items())


def ids_in(ctx: CheckContext, response: ProbeResponse, what: str) -> list[str]:
    """The entity ids of a 200 answer whose body is a JSON array of entities."""
    ctx.expect(
        response.status == 200,
        f"200 with the matching entities for {what}",
        f"{response.status}: {response.text[:300]}",
    )
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, list) and all(isinstance(e, dict) for e in body),
        "a JSON array of entities",
        f"{str(body)[:300]}",
    )
    return [str(e.get("id")) for e in body]


async def select_ids(ctx: CheckContext, params: Mapping[str, str]) -> list[str]:
    """``GET /entities`` with ``params``; the ids of the entities it answers."""
    response = await ctx.get("/entities", params=dict(params))
    return ids_in(ctx, response, f"GET /entities?{describe(params)}")


def expect_selection(
    ctx: CheckContext, got: list[str], want: Iterable[str], ids: Mapping[str, str], what: str
) -> None:
    """``got`` holds exactly the entities labelled ``want``, each once (labels in evidence)."""
    names = {entity_id: label for label, entity_id in ids.items()}
    got_names = sorted(names.get(i, i) for i in got)
    twice = sorted(names.get(i, i) for i, n in Counter(got).items() if n > 1)
    ctx.expect(not twice, f"each entity once for {what}", f"repeated: {twice}")
    wanted = sorted(want)
    ctx.expect(
        got_names == wanted,
        f"exactly the entities {wanted} for {what}",
        f"{got_names}",
    )


def expect_bad_request(
    ctx: CheckContext, response: ProbeResponse, *types: str, what: str = "the request"
) -> None:
    """400 with a ProblemDetails whose type is one of ``types`` (default BadRequestData)."""
    allowed = [f"https://uri.etsi.org/ngsi-ld/errors/{t}" for t in types or ("BadRequestData",)]
    ctx.expect_status(response, 400)
    body = ctx.json(response)
    got = body.get("type") if isinstance(body, dict) else None
    ctx.expect(
        got in allowed,
        f"a ProblemDetails of type {' or '.join(allowed)} for {what}",
        f"type {got!r}",
    )


# -- type selection (4.17) --------------------------------------------------------------------


@check(
    "MIM1.QUERY.TYPE",
    mim=MIM,
    area=AREA,
    requirement="A query by entity type returns exactly the entities of that type.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def query_by_type(ctx: CheckContext) -> None:
    kind, other = ctx.type_name("Sensor"), ctx.type_name("Sensor")
    ids = await populate(ctx, kind, {"A1": {}, "A2": {}, "A3": {}, "B1": {"type": other}})
    got = await select_ids(ctx, {"type": kind})
    expect_selection(ctx, got, ["A1", "A2", "A3"], ids, f"type={kind}")


async def _three_types(ctx: CheckContext, separator: str) -> None:
    a, b, c = ctx.type_name("Building"), ctx.type_name("House"), ctx.type_name("Shop")
    rows = {"A1": {"type": a}, "A2": {"type": a}, "B1": {"type": b}, "C1": {"type": c}}
    ids = await populate(ctx, a, rows)
    selection = f"{a}{separator}{b}"
    got = await select_ids(ctx, {"type": selection})
    expect_selection(ctx, got, ["A1", "A2", "B1"], ids, f"type={selection}")


@check(
    "MIM1.QUERY.TYPE.OR_COMMA",
    mim=MIM,
    area=AREA,
    requirement="A type selection A,B returns the entities of type A or of type B.",
    source=NGSI_LD("4.17"),
    strength=Strength.SHALL,
    writes=True,
)
async def type_or_comma(ctx: CheckContext) -> None:
    await _three_types(ctx, ",")


@check(
    "MIM1.QUERY.TYPE.OR_PIPE",
    mim=MIM,
    area=AREA,
    requirement="A type selection A|B returns the entities of type A or of type B.",
    source=NGSI_LD("4.17"),
    strength=Strength.SHALL,
    writes=True,
)
async def type_or_pipe(ctx: CheckContext) -> None:
    await _three_types(ctx, "|")


@check(
    "MIM1.QUERY.TYPE.AND",
    mim=MIM,
    area=AREA,
    requirement="A type selection (A;B) returns only the entities that have both types.",
    source=NGSI_LD("4.17"),
    strength=Strength.SHALL,
    writes=True,
)
async def type_and(ctx: CheckContext) -> None:
    a, b = ctx.type_name("Home"), ctx.type_name("Vehicle")
    rows: Rows = {"A and B": {"type": [a, b]}, "A only": {"type": a}, "B only": {"type": b}}
    ids = await populate(ctx, a, rows)
    selection = f"({a};{b})"
    got = await select_ids(ctx, {"type": selection})
    expect_selection(ctx, got, ["A and B"], ids, f"type={selection}")


@check(
    "MIM1.QUERY.TYPE.INVALID",
    mim=MIM,
    area=AREA,
    requirement="A syntactically invalid type selection is rejected with 400.",
    source=NGSI_LD("4.17"),
    strength=Strength.SHALL,
)
async def type_invalid(ctx: CheckContext) -> None:
    selection = f"({ctx.type_name('Home')};{ctx.type_name('Vehicle')}"
    response = await ctx.get("/entities", params={"type": selection})
    expect_bad_request(ctx, response, "BadRequestData", "InvalidRequest", what=f"type={selection}")


# -- id, idPattern, attrs -------------------------------------------------------------------


@check(
    "MIM1.QUERY.ID",
    mim=MIM,
    area=AREA,
    requirement="A query with a list of entity ids (and a type) returns exactly those entities.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def query_by_ids(ctx: CheckContext) -> None:
    kind = ctx.type_name("Sensor")
    ids = await populate(ctx, kind, {"first": {}, "second": {}, "third": {}})
    params = {"type": kind, "id": f"{ids['first']},{ids['third']}"}
    got = await select_ids(ctx, params)
    expect_selection(ctx, got, ["first", "third"], ids, describe(params))


@check(
    "MIM1.QUERY.ID.INVALID",
    mim=MIM,
    area=AREA,
    requirement="A query whose id list holds something that is not a URI fails with 400"
    " BadRequestData.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
)
async def query_bad_id(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Sensor"), "id": f"mimtest {ctx.run_id} not a uri"}
    response = await ctx.get("/entities", params=params)
    expect_bad_request(ctx, response, what=describe(params))


@check(
    "MIM1.QUERY.IDPATTERN",
    mim=MIM,
    area=AREA,
    requirement="A query with idPattern (and a type) returns exactly the entities whose id"
    " matches the regular expression.",
    source=NGSI_LD("6.4.3.2"),
    strength=Strength.SHALL,
    writes=True,
)
async def query_by_id_pattern(ctx: CheckContext) -> None:
    kind = ctx.type_name("Sensor")
    rows = {
        "Inside 1": {"id": ctx.entity_id("PatternIn")},
        "Inside 2": {"id": ctx.entity_id("PatternIn")},
        "Outside": {"id": ctx.entity_id("PatternOut")},
    }
    ids = await populate(ctx, kind, rows)
    params = {"type": kind, "idPattern": "^urn:ngsi-ld:PatternIn:.*"}
    got = await select_ids(ctx, params)
    expect_selection(ctx, got, ["Inside 1", "Inside 2"], ids, describe(params))


@check(
    "MIM1.QUERY.ATTRS.FILTER",
    mim=MIM,
    area=AREA,
    requirement="A query with attrs returns only the entities that have at least one of the"
    " listed attributes.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def attrs_filter(ctx: CheckContext) -> None:
    kind = ctx.type_name("Sensor")
    rows = {
        "speed only": {"speed": prop(10)},
        "brandName only": {"brandName": prop("Audi")},
        "colour only": {"colour": prop("red")},
    }
    ids = await populate(ctx, kind, rows)
    params = {"type": kind, "attrs": "speed,brandName"}
    got = await select_ids(ctx, params)
    expect_selection(ctx, got, ["brandName only", "speed only"], ids, describe(params))


@check(
    "MIM1.QUERY.ATTRS.PROJECTION",
    mim=MIM,
    area=AREA,
    requirement="A query with attrs returns only the listed attributes of each entity.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
    writes=True,
)
async def attrs_projection(ctx: CheckContext) -> None:
    kind = ctx.type_name("Vehicle")
    members = {"speed": prop(80), "brandName": prop("Audi"), "isParked": rel("urn:ngsi-ld:P:1")}
    await populate(ctx, kind, {"vehicle": members})
    response = await ctx.get("/entities", params={"type": kind, "attrs": "speed"})
    ids_in(ctx, response, f"type={kind}&attrs=speed")
    body = ctx.json(response)
    ctx.expect(len(body) == 1, "one entity", f"{len(body)} entities")
    keys = sorted(k for k in body[0] if k not in ("id", "type", "@context"))
    ctx.expect(keys == ["speed"], "only the attribute speed (besides id and type)", f"{keys}")


# -- empty, too wide and invalid queries -------------------------------------------------------


@check(
    "MIM1.QUERY.EMPTY",
    mim=MIM,
    area=AREA,
    requirement="A query that matches nothing answers 200 with an empty JSON array.",
    source=NGSI_LD("6.4.3.2"),
    strength=Strength.SHALL,
)
async def empty_result(ctx: CheckContext) -> None:
    kind = ctx.type_name("Nothing")
    response = await ctx.get("/entities", params={"type": kind})
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body == [], "an empty JSON array []", f"{str(body)[:300]}")


@check(
    "MIM1.QUERY.TOO_WIDE",
    mim=MIM,
    area=AREA,
    requirement="A query with none of type, attrs, q or a geo-query (and no local=true) fails"
    " with 400 BadRequestData.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
)
async def too_wide(ctx: CheckContext) -> None:
    response = await ctx.get("/entities")
    expect_bad_request(ctx, response, what="GET /entities without any filter")


@check(
    "MIM1.QUERY.Q.INVALID",
    mim=MIM,
    area=AREA,
    requirement="A query whose q is not valid in the NGSI-LD query language fails with 400"
    " BadRequestData.",
    source=NGSI_LD("5.7.2.4"),
    strength=Strength.SHALL,
)
async def q_invalid(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Sensor"), "q": "(speed>1"}
    response = await ctx.get("/entities", params=params)
    expect_bad_request(ctx, response, what=describe(params))


# -- POST /entityOperations/query (6.23) -------------------------------------------------------


async def post_query(
    ctx: CheckContext, body: Mapping[str, Any], params: Mapping[str, str] | None = None
) -> ProbeResponse:
    return await ctx.post("/entityOperations/query", json_body=dict(body), params=params)


@check(
    "MIM1.QUERY.POST.TYPE",
    mim=MIM,
    area=AREA,
    requirement="POST /entityOperations/query with an entity selector by type returns exactly"
    " the entities of that type.",
    source=NGSI_LD("6.23.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def post_by_type(ctx: CheckContext) -> None:
    kind, other = ctx.type_name("Sensor"), ctx.type_name("Sensor")
    ids = await populate(ctx, kind, {"A1": {}, "A2": {}, "B1": {"type": other}})
    body = {"type": "Query", "entities": [{"type": kind}]}
    response = await post_query(ctx, body)
    got = ids_in(ctx, response, f"POST {body}")
    expect_selection(ctx, got, ["A1", "A2"], ids, f"POST {body}")


@check(
    "MIM1.QUERY.POST.Q",
    mim=MIM,
    area=AREA,
    requirement="POST /entityOperations/query applies the Query's q filter.",
    source=NGSI_LD("6.23.3.1"),
    strength=Strength.SHALL,
    writes=True,
)
async def post_with_q(ctx: CheckContext) -> None:
    kind = ctx.type_name("Sensor")
    rows = {f"level {n}": {"level": prop(n)} for n in (10, 20, 30)}
    ids = await populate(ctx, kind, rows)
    body = {"type": "Query", "entities": [{"type": kind}], "q": "level>15"}
    response = await post_query(ctx, body)
    got = ids_in(ctx, response, f"POST {body}")
    expect_selection(ctx, got, ["level 20", "level 30"], ids, f"POST {body}")


@check(
    "MIM1.QUERY.POST.NOT_QUERY",
    mim=MIM,
    area=AREA,
    requirement='POST /entityOperations/query with a body whose type is not "Query" fails'
    " with 400.",
    source=NGSI_LD("5.2.23"),
    strength=Strength.SHALL,
    writes=True,
)
async def post_wrong_type(ctx: CheckContext) -> None:
    body = {"type": "Subscription", "entities": [{"type": ctx.type_name("Sensor")}]}
    response = await post_query(ctx, body)
    expect_bad_request(ctx, response, "BadRequestData", "InvalidRequest", what=f"POST {body}")
