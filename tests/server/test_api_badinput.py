"""Bad input through every write path (clauses 4.5-4.8, 5.5.2-5.5.4, 6.3).

Each bad request gets its ProblemDetails (400/404/409/413/415; the 411 is bare, see
test_api_negotiation) and never a 500; after every failed write the stored entity is exactly
what it was (compared with its system attributes, so even a touched ``modifiedAt`` would show),
and a failed batch item leaves no trace.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest

from reference_server.app import create_app
from reference_server.config import Settings
from tests.server.conftest import API, link_to, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
V1_ID = "urn:ngsi-ld:Vehicle:V1"
V1 = "/entities/" + V1_ID
NEW_ID = "urn:ngsi-ld:Vehicle:NEW"
NULL = "urn:ngsi-ld:null"


def deep(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


def deep_text(levels: int, leaf: str = "1") -> str:
    """``deep(levels)`` as JSON text, for depths the json module cannot encode."""
    return '{"a":' * levels + leaf + "}" * levels


def nested_attribute(levels: int) -> dict[str, Any]:
    attribute: dict[str, Any] = {"value": 1}
    for _ in range(levels):
        attribute = {"value": 1, "sub": attribute}
    return attribute


JSON_TYPE = {"Content-Type": "application/json"}
LD_TYPE = {"Content-Type": "application/ld+json"}


def assert_problem(
    response: httpx.Response, status: int = 400, error: str = "BadRequestData"
) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)
    assert body["title"] and body["detail"]


async def snapshot(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Everything stored in the default tenant, with system attributes."""
    response = await client.get("/entities", params={"local": "true", "options": "sysAttrs"})
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


@pytest.fixture
async def before(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """V1 (with a multi-attribute and a LanguageProperty) stored; returns the snapshot."""
    body = vehicle(
        temperature=[{"value": 20}, {"value": 21, "datasetId": "urn:ngsi-ld:Dataset:a"}],
        name={"type": "LanguageProperty", "languageMap": {"en": "car"}},
        scope="/Porto",
    )
    assert (await client.post("/entities", json=body)).status_code == 201
    return await snapshot(client)


# --- bad attributes, wherever an attribute can be written ------------------------------------

# (label, attribute members, also bad where the NGSI-LD Null is allowed (merge, update))
BAD_ATTRIBUTES: list[tuple[str, dict[str, Any], bool]] = [
    ("json null", {"speed": None}, True),
    ("ngsi-ld null", {"speed": NULL}, False),
    ("null inside a value", {"speed": {"value": {"a": NULL}}}, False),
    ("unknown attribute type", {"speed": {"type": "Speedy", "value": 1}}, True),
    ("attribute type is an array", {"speed": {"type": ["Property"], "value": 1}}, True),
    ("attribute type is an object", {"speed": {"type": {}, "value": 1}}, True),
    (
        "sub-attribute type is an array",
        {"speed": {"value": 1, "acc": {"type": [1], "value": 1}}},
        True,
    ),
    ("two value members", {"speed": {"value": 1, "object": "urn:a:b"}}, True),
    ("property without value", {"speed": {"type": "Property", "unitCode": "KMH"}}, True),
    ("relationship without object", {"isParked": {"type": "Relationship"}}, True),
    ("relationship object not a URI", {"isParked": {"type": "Relationship", "object": "P1"}}, True),
    ("relationship object a number", {"isParked": {"type": "Relationship", "object": 5}}, True),
    ("relationship objects empty", {"isParked": {"type": "Relationship", "object": []}}, True),
    ("relationship with unitCode", {"isParked": {"object": "urn:a:b", "unitCode": "KMH"}}, True),
    ("property with objectType", {"speed": {"value": 1, "objectType": "Car"}}, True),
    ("observedAt without time", {"speed": {"value": 1, "observedAt": "2024-01-01"}}, True),
    (
        "observedAt with offset",
        {"speed": {"value": 1, "observedAt": "2024-01-01T00:00:00+02:00"}},
        True,
    ),
    (
        "observedAt not on the calendar",
        {"speed": {"value": 1, "observedAt": "2024-02-30T00:00:00Z"}},
        True,
    ),
    ("observedAt a number", {"speed": {"value": 1, "observedAt": 1700000000}}, True),
    ("datasetId not a URI", {"speed": {"value": 1, "datasetId": "gps"}}, True),
    ("datasetId an object", {"speed": {"value": 1, "datasetId": {}}}, True),
    ("unitCode empty", {"speed": {"value": 1, "unitCode": ""}}, True),
    ("geo: longitude out of range", {"location": {"type": "Point", "coordinates": [200, 0]}}, True),
    ("geo: position of one number", {"location": {"type": "Point", "coordinates": [1]}}, True),
    ("geo: coordinates a string", {"location": {"type": "Point", "coordinates": "1,2"}}, True),
    (
        "geo: no coordinates",
        {"location": {"type": "GeoProperty", "value": {"type": "Point"}}},
        True,
    ),
    (
        "geo: open ring",
        {"location": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}},
        True,
    ),
    (
        "geo: GeometryCollection",
        {"location": {"type": "GeometryCollection", "geometries": []}},
        True,
    ),
    (
        "geo: unknown geometry",
        {"location": {"type": "GeoProperty", "value": {"type": "Circle", "coordinates": [1, 2]}}},
        True,
    ),
    (
        "geo: geometry type an array",
        {"location": {"type": "GeoProperty", "value": {"type": ["Point"], "coordinates": [1, 2]}}},
        True,
    ),
    ("location not a GeoProperty", {"location": {"type": "Property", "value": "home"}}, True),
    (
        "languageMap not an object",
        {"name": {"type": "LanguageProperty", "languageMap": "car"}},
        True,
    ),
    ("languageMap bad tag", {"name": {"languageMap": {"en gb": "car"}}}, True),
    ("languageMap number text", {"name": {"languageMap": {"en": 5}}}, True),
    ("vocab not a name", {"category": {"vocab": 5}}, True),
    ("valueList not an array", {"readings": {"type": "ListProperty", "valueList": 5}}, True),
    ("objectList item not a URI", {"fleet": {"objectList": ["F1"]}}, True),
    ("two default instances", {"temperature": [{"value": 1}, {"value": 2}]}, True),
    ("attribute name with a space", {"bad name": 1}, True),
    ("attribute name with <", {"a<b": 1}, True),
    ("attribute name with ;", {"a;b": 1}, True),
    ("attribute name with =", {"a=b": 1}, True),
    ("attribute name with (", {"a(b)": 1}, True),
    ("attribute name with a quote", {'a"b': 1}, True),
    ("attribute name with a control character", {"a\u0000b": 1}, True),
    ("attribute name empty", {"": 1}, True),
    ("attribute name a JSON-LD keyword", {"@id": 1}, True),
    ("attribute name reserved", {"value": 1}, True),
    ("@context inside an attribute", {"speed": {"value": 1, "@context": {}}}, True),
    ("value nesting too deep", {"speed": {"value": deep(110)}}, True),
    ("sub-attributes too deep", {"speed": nested_attribute(12)}, True),
    ("scope not a scope", {"scope": "a b"}, True),
    ("scope a number", {"scope": 5}, True),
    ("expiresAt not a DateTime", {"expiresAt": "tomorrow"}, True),
]

STRICT = [(label, members) for label, members, _ in BAD_ATTRIBUTES]
NULL_TOLERANT = [(label, members) for label, members, bad in BAD_ATTRIBUTES if bad]

Case = TypeVar("Case")


async def each_case(
    cases: Iterable[tuple[str, Case]], check: Callable[[Case], Awaitable[None]]
) -> None:
    """Run ``check`` on every case and report all the failing ones together."""
    failures: list[str] = []
    for label, case in cases:
        try:
            await check(case)
        except AssertionError as exc:
            failures.append(f"{label}: {exc}")
    assert not failures, "\n".join(failures)


def as_entity(members: dict[str, Any]) -> dict[str, Any]:
    return {"id": NEW_ID, "type": "Vehicle", **members}


def as_replacement(members: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Vehicle", **members}


def as_fragment(members: dict[str, Any]) -> dict[str, Any]:
    return members


@pytest.mark.parametrize(
    ("method", "path", "wrap", "cases"),
    [
        pytest.param("POST", "/entities", as_entity, STRICT, id="create"),
        pytest.param("PUT", V1, as_replacement, STRICT, id="replace"),
        pytest.param("POST", V1 + "/attrs", as_fragment, STRICT, id="append"),
        pytest.param("PATCH", V1, as_fragment, NULL_TOLERANT, id="merge"),
        pytest.param("PATCH", V1 + "/attrs", as_fragment, NULL_TOLERANT, id="update"),
    ],
)
async def test_bad_attributes_are_rejected_and_change_nothing(
    client: httpx.AsyncClient,
    before: list[dict[str, Any]],
    method: str,
    path: str,
    wrap: Callable[[dict[str, Any]], dict[str, Any]],
    cases: list[tuple[str, dict[str, Any]]],
) -> None:
    async def check(members: dict[str, Any]) -> None:
        assert_problem(await client.request(method, path, json=wrap(members)))
        assert await snapshot(client) == before

    await each_case(cases, check)


async def test_bad_attributes_in_batch_create_and_upsert_leave_no_trace(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    good = {"id": "urn:ngsi-ld:Vehicle:GOOD", "type": "Vehicle", "speed": 1}

    async def check(members: dict[str, Any]) -> None:
        for operation in ("create", "upsert"):
            items = [as_entity(members), good]
            response = await client.post(f"/entityOperations/{operation}", json=items)
            assert response.status_code == 207, response.text
            result = response.json()
            assert result["success"] == ["urn:ngsi-ld:Vehicle:GOOD"]
            assert [e["entityId"] for e in result["errors"]] == [NEW_ID]
            assert result["errors"][0]["error"]["type"] == ERR + "BadRequestData"
            assert (await client.get("/entities/" + NEW_ID)).status_code == 404
            assert (await client.delete("/entities/urn:ngsi-ld:Vehicle:GOOD")).status_code == 204
        upsert_existing = [{"id": V1_ID, "type": "Vehicle", **members}]
        response = await client.post("/entityOperations/upsert", json=upsert_existing)
        assert response.status_code == 207
        assert await snapshot(client) == before

    await each_case(STRICT, check)


async def test_bad_attributes_in_batch_update_and_merge_change_nothing(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    async def check(members: dict[str, Any]) -> None:
        for operation in ("update", "merge"):
            items = [{"id": V1_ID, "type": "Vehicle", **members}]
            response = await client.post(f"/entityOperations/{operation}", json=items)
            assert response.status_code == 207, response.text
            assert response.json()["errors"][0]["error"]["type"] == ERR + "BadRequestData"
        assert await snapshot(client) == before

    await each_case(NULL_TOLERANT, check)


# --- bad attribute bodies of the attribute resource ------------------------------------------

BAD_INSTANCES: list[tuple[str, Any]] = [
    ("speed", {"value": None}),
    ("speed", {"value": 1, "observedAt": "2024-01-01T25:00:00Z"}),
    ("speed", {"value": 1, "datasetId": "not a uri"}),
    ("speed", {"value": 1, "objectType": "Car"}),
    ("speed", {"type": ["Property"], "value": 1}),
    ("speed", {"value": deep(200)}),
    ("speed", [{"value": 1}]),
    ("speed", "fast"),
    ("isParked", {"object": "P1"}),
    ("location", {"value": {"type": "Point", "coordinates": [0, 100]}}),
    ("location", {"value": {"type": "LineString", "coordinates": [[0, 0]]}}),
    ("name", {"languageMap": {"@none": 5}}),
    ("bad name", {"value": 1}),
    ("scope", {"value": "/x"}),
    ("id", {"value": 1}),
]


async def test_bad_partial_update_and_replace_attribute(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    async def check(case: tuple[str, Any]) -> None:
        name, body = case
        path = f"{V1}/attrs/{name.replace(' ', '%20')}"
        assert_problem(await client.patch(path, json=body))
        assert_problem(await client.put(path, json=body))
        assert await snapshot(client) == before

    await each_case(((f"{n} {b}"[:60], (n, b)) for n, b in BAD_INSTANCES), check)


async def test_partial_update_cannot_change_the_type(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    # 5.6.4.4; Replace Attribute (PUT) replaces the whole attribute and may.
    body = {"type": "Relationship", "object": "urn:a:b"}
    assert_problem(await client.patch(V1 + "/attrs/brandName", json=body))
    assert await snapshot(client) == before
    assert (await client.put(V1 + "/attrs/brandName", json=body)).status_code == 204


# --- bad entities ----------------------------------------------------------------------------

BAD_ENTITIES: list[tuple[str, Any]] = [
    ("array instead of an object", [vehicle(9)]),
    ("a string", "urn:ngsi-ld:Vehicle:V9"),
    ("a number", 42),
    ("JSON null", None),
    ("no id", {"type": "Vehicle"}),
    ("no type", {"id": NEW_ID}),
    ("id without scheme", {"id": "V9", "type": "Vehicle"}),
    ("id starting with a digit", {"id": "1:V9", "type": "Vehicle"}),
    ("id with a space", {"id": "urn:ngsi-ld:Vehicle:V 9", "type": "Vehicle"}),
    ("id with <>", {"id": "urn:ngsi-ld:<V9>", "type": "Vehicle"}),
    ("id only a scheme", {"id": "urn:", "type": "Vehicle"}),
    ("id empty", {"id": "", "type": "Vehicle"}),
    ("id a number", {"id": 9, "type": "Vehicle"}),
    ("id an array", {"id": [NEW_ID], "type": "Vehicle"}),
    ("id the NGSI-LD Null", {"id": NULL, "type": "Vehicle"}),
    ("type empty array", {"id": NEW_ID, "type": []}),
    ("type a number", {"id": NEW_ID, "type": 5}),
    ("type with a space", {"id": NEW_ID, "type": "My Vehicle"}),
    ("type the NGSI-LD Null", {"id": NEW_ID, "type": NULL}),
    ("type with forbidden characters", {"id": NEW_ID, "type": "Vehicle;Car"}),
]


async def test_bad_entities(client: httpx.AsyncClient, before: list[dict[str, Any]]) -> None:
    async def check(body: Any) -> None:
        response = await client.post("/entities", content=json.dumps(body), headers=JSON_TYPE)
        assert_problem(response)
        assert await snapshot(client) == before

    await each_case(BAD_ENTITIES, check)


async def test_bad_entities_in_batch_create(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    async def check(body: Any) -> None:
        response = await client.post("/entityOperations/create", json=[body, vehicle(9)])
        assert response.status_code == 207, response.text
        assert response.json()["success"] == ["urn:ngsi-ld:Vehicle:V9"]
        assert (await client.delete("/entities/urn:ngsi-ld:Vehicle:V9")).status_code == 204
        assert await snapshot(client) == before

    # A null item fails the whole batch instead (5.6.8.4; see test_api_batch).
    await each_case(((label, b) for label, b in BAD_ENTITIES if b is not None), check)


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", V1), ("PUT", V1), ("POST", V1 + "/attrs"), ("PATCH", V1 + "/attrs")],
)
async def test_fragment_must_be_an_object(
    client: httpx.AsyncClient, before: list[dict[str, Any]], method: str, path: str
) -> None:
    async def check(body: Any) -> None:
        text = json.dumps(body)
        response = await client.request(method, path, content=text, headers=JSON_TYPE)
        assert_problem(response)
        assert await snapshot(client) == before

    bodies: list[Any] = [[{"speed": 1}], "speed", 5, None, True]
    await each_case(((json.dumps(b), b) for b in bodies), check)


OTHER_FAILED_WRITES: list[tuple[str, str, object, dict[str, str], int, str]] = [
    ("PATCH", V1, {"speed": 1}, {"options": "sometimes"}, 400, "InvalidRequest"),
    ("PATCH", V1, {"speed": 1}, {"options": "5"}, 400, "InvalidRequest"),
    ("PUT", V1, {"type": "Vehicle"}, {"options": "true"}, 400, "InvalidRequest"),
    ("POST", V1 + "/attrs", {"speed": 1}, {"options": "noOverwrite,x"}, 400, "InvalidRequest"),
    ("PATCH", V1 + "/attrs/speed", {"value": 1}, {"options": "x"}, 400, "InvalidRequest"),
    ("PUT", V1 + "/attrs/speed", {"value": 1}, {"options": "x"}, 400, "InvalidRequest"),
    ("POST", "/entityOperations/update", [vehicle()], {"options": "x"}, 400, "InvalidRequest"),
    ("PATCH", V1, {"speed": 1}, {"type": "(Vehicle"}, 400, "BadRequestData"),
    ("PATCH", V1, {"speed": 1}, {"type": "Boat"}, 404, "ResourceNotFound"),
    ("PUT", V1, {"type": "Vehicle"}, {"type": "Boat"}, 404, "ResourceNotFound"),
    ("PATCH", V1, {"id": "urn:ngsi-ld:Vehicle:V2"}, {}, 400, "BadRequestData"),
    ("PUT", V1, {"id": "urn:ngsi-ld:Vehicle:V2", "type": "Vehicle"}, {}, 400, "BadRequestData"),
    ("POST", "/entities", vehicle(), {}, 409, "AlreadyExists"),
    ("PATCH", "/entities/no-scheme", {"speed": 1}, {}, 400, "BadRequestData"),
    ("PUT", "/entities/urn:ngsi-ld:Vehicle:none", {"type": "T"}, {}, 404, "ResourceNotFound"),
]


async def test_other_failed_writes_leave_everything(
    client: httpx.AsyncClient, before: list[dict[str, Any]]
) -> None:
    async def check(case: tuple[str, str, object, dict[str, str], int, str]) -> None:
        method, path, body, params, status, error = case
        response = await client.request(method, path, json=body, params=params)
        assert_problem(response, status, error)
        assert await snapshot(client) == before

    await each_case(((f"{c[0]} {c[1]} {c[3]}", c) for c in OTHER_FAILED_WRITES), check)


# --- accepted oddities -----------------------------------------------------------------------


async def test_unicode_names_and_values_round_trip(client: httpx.AsyncClient) -> None:
    # 4.6.1 UTF-8; 4.6.2 names are Unicode letters ([TS-x] 462_01: Škola, výška_1 accepted).
    body = {
        "id": "urn:ngsi-ld:Škola:1",
        "type": "Škola",
        "výška_1": {"type": "Property", "value": "ħ€llo \u2603 <b>\"'=;()</b>"},
    }
    assert (await client.post("/entities", json=body)).status_code == 201
    got = (await client.get("/entities/urn:ngsi-ld:%C5%A0kola:1")).json()
    assert got == {
        "id": body["id"],
        "type": "Škola",
        "výška_1": body["výška_1"],
    }


async def test_huge_string_value_is_kept_whole(client: httpx.AsyncClient) -> None:
    text = "é" * 30_000  # 60 000 bytes of UTF-8
    assert (await client.post("/entities", json=vehicle(notes=text))).status_code == 201
    assert (await client.get(V1)).json()["notes"]["value"] == text


async def test_big_numbers_and_nesting_within_limits(client: httpx.AsyncClient) -> None:
    body = vehicle(
        big={"value": 10**30},
        tiny={"value": 1e-300},
        nested={"value": deep(90, leaf=[1, {"b": None}])},
    )
    assert (await client.post("/entities", json=body)).status_code == 201
    got = (await client.get(V1)).json()
    assert got["big"]["value"] == 1e30  # beyond 64 bits: a JSON number, read as a double
    assert got["nested"]["value"] == deep(90, leaf=[1, {"b": None}])


# --- never a 500 -----------------------------------------------------------------------------


@pytest.fixture
async def lenient(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client that reports server crashes as responses (500) instead of raising them."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        yield http
    await app.state.ngsi.store.close()
    await app.state.ngsi.resolver.aclose()


DEEP = "@@deep@@"  # stands for 1000 nested objects (deeper than the json module can write)
E = "/entities"
Q = "/entityOperations/query"


@dataclass(frozen=True)
class Nasty:
    """One nasty request; ``body`` is JSON (``DEEP`` strings expanded), ``text`` sent as is."""

    method: str
    path: str
    body: Any = None
    text: str | bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None

    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"params": self.params, "headers": dict(self.headers or {})}
        content = self.text
        if self.body is not None:
            content = json.dumps(self.body).replace(f'"{DEEP}"', deep_text(1000))
        if content is not None:
            options["content"] = content
            options["headers"].setdefault("Content-Type", "application/json")
        return options


def entity_with(**members: Any) -> dict[str, Any]:
    return {"id": "urn:x:1", "type": "T", **members}


def query_with(**members: Any) -> dict[str, Any]:
    return {"type": "Query", "entities": [{"type": "T"}], **members}


NASTY: list[Nasty] = [
    # bodies: depth, unhashable members, odd numbers and strings, odd @contexts
    Nasty("POST", E, entity_with(p=DEEP)),
    Nasty("POST", E, text="[" * 5000 + "]" * 5000),
    Nasty("POST", E, entity_with(**{"@context": DEEP}), headers=LD_TYPE),
    Nasty("POST", E, {"id": DEEP, "type": "T"}),
    Nasty("POST", E, entity_with(type=[[["T"]]])),
    Nasty("POST", E, entity_with(p={"type": [], "value": 1})),
    Nasty("POST", E, entity_with(p=[{"type": ["x"]}])),
    Nasty("POST", E, entity_with(p={"value": {"type": ["x"], "coordinates": 1}})),
    Nasty("POST", E, entity_with(p={"type": "JsonProperty", "json": DEEP})),
    Nasty("POST", E, entity_with(p={"value": 1, "observedAt": DEEP})),
    Nasty("POST", E, entity_with(p={"value": 1, "unitCode": DEEP})),
    Nasty("POST", E, entity_with(p={"object": "urn:a:b", "objectType": [[1]]})),
    Nasty("POST", E, entity_with(p={"type": "VocabProperty", "vocab": [{}]})),
    Nasty("POST", E, entity_with(p={"type": "ListRelationship", "objectList": [[[]]]})),
    Nasty("POST", E, entity_with(p={"type": "LanguageProperty", "languageMap": {"en": [[]]}})),
    Nasty("POST", E, entity_with(scope=[[["/a"]]])),
    Nasty("POST", E, entity_with(location={"type": "MultiPolygon", "coordinates": [[[[[1]]]]]})),
    Nasty("POST", E, {"id": "urn:x:" + "a" * 60_000, "type": "T"}),
    Nasty("POST", E, {"id": "urn:x:2", "type": "T", "a" * 60_000: 1}),
    Nasty("POST", E, text=b'{"id":"urn:x:3","type":"T","p":1e999}'),
    Nasty("POST", E, text=b'{"id":"urn:x:3","type":"T","p":{"value":12345678901234567890123}}'),
    Nasty("POST", E, text=b'{"id":"urn:x:4","type":"T","p":"\\ud800"}'),
    Nasty("POST", E, text=b"\x00\x01\x02"),
    Nasty("POST", E, {"id": "urn:x:5"}, headers={"Content-Type": "application/json; charset=x"}),
    Nasty("POST", E, {"id": "urn:x:6"}, headers={"Content-Type": ";;;"}),
    Nasty("POST", E, entity_with(**{"@context": {"T": {"@context": {}}}}), headers=LD_TYPE),
    Nasty("POST", E, entity_with(**{"@context": {"@vocab": []}}), headers=LD_TYPE),
    Nasty("POST", E, entity_with(**{"@context": [[[{}]]]}), headers=LD_TYPE),
    Nasty("POST", E, entity_with(**{"@context": {"id": "@type"}}), headers=LD_TYPE),
    Nasty("PATCH", V1, {"speed": {"type": [1], "value": 1}}),
    Nasty("PATCH", V1, {"speed": {"value": 1, "sub": {"type": {}, "value": 1}}}),
    Nasty("PATCH", V1, {"speed": {"value": DEEP}}),
    Nasty("PATCH", V1, {"type": [[1]], "scope": {"a": 1}}),
    Nasty("PATCH", V1, {"temperature": [{"value": 1, "datasetId": "urn:d:1"}, 5]}),
    Nasty("PATCH", V1 + "/attrs/speed", {"type": {}, "value": 1}),
    Nasty("PATCH", V1 + "/attrs/speed", {"type": [], "value": 1}),
    Nasty("PATCH", V1 + "/attrs/speed", {"datasetId": [1], "value": 3}),
    Nasty("PATCH", V1 + "/attrs/speed", {"value": DEEP}),
    Nasty("PUT", V1 + "/attrs/speed", {"type": [], "value": 1}),
    Nasty("POST", V1 + "/attrs", {"p": DEEP}),
    Nasty("POST", "/entityOperations/create", [entity_with(p=DEEP)]),
    Nasty("POST", "/entityOperations/upsert", [entity_with(p={"type": [], "value": 1})]),
    Nasty("POST", "/entityOperations/update", [{"id": V1_ID, "p": {"type": []}}, 5, [], {"id": 5}]),
    Nasty("POST", "/entityOperations/merge", [{"id": V1_ID, "speed": {"type": []}}, {"id": []}]),
    Nasty("POST", "/entityOperations/delete", [5, {"a": 1}, ["x"], True, "x" * 10_000]),
    Nasty("POST", Q, query_with(entities=[{"type": "T", "id": {"a": [1]}}])),
    Nasty("POST", Q, query_with(entities=[{"type": ["T"]}])),
    Nasty("POST", Q, query_with(entities=[5])),
    Nasty("POST", Q, query_with(attrs=[[]], q={})),
    Nasty(
        "POST",
        Q,
        query_with(geoQ={"geometry": "Point", "coordinates": [[[[1]]]], "georel": "within"}),
    ),
    Nasty("POST", Q, query_with(geoQ={"geometry": [], "coordinates": {}, "georel": 5})),
    Nasty("POST", Q, query_with(scopeQ=5)),
    Nasty("POST", Q, query_with(), params={"limit": "9" * 400}),
    # URL parameters
    Nasty("GET", E, params={"q": "(" * 3000 + "a" + ")" * 3000}),
    Nasty("GET", E, params={"q": "a" + "[b" * 500}),
    Nasty("GET", E, params={"q": "a==" + '"' * 101}),
    Nasty("GET", E, params={"q": "a==1e999"}),
    Nasty("GET", E, params={"q": "a.b.c.d.e.f.g.h.i.j.k.l.m.n==1"}),
    Nasty("GET", E, params={"q": "a{b{c{d{e}}}}==1"}),
    Nasty("GET", E, params={"q": "a~=(a+)+$"}),
    Nasty("GET", E, params={"q": "a~=" + "(" * 200 + ")" * 200}),
    Nasty("GET", E, params={"type": "(" * 3000 + "a" + ")" * 3000}),
    Nasty("GET", E, params={"scopeQ": "(" * 3000 + "/a" + ")" * 3000}),
    Nasty("GET", E, params={"type": "T", "pick": "a{" * 300 + "a" + "}" * 300}),
    Nasty("GET", E, params={"type": "T", "attrs": "a{" * 300 + "a" + "}" * 300}),
    Nasty("GET", E, params={"idPattern": "(" * 400 + ")" * 400}),
    Nasty("GET", E, params={"idPattern": "(?P<a>x)(?P=b)"}),
    Nasty("GET", E, params={"idPattern": "\\"}),
    Nasty("GET", E, params={"type": "T", "limit": "9" * 5000}),
    Nasty("GET", E, params={"type": "T", "offset": "9" * 30}),
    Nasty("GET", E, params={"type": "T", "lang": ";q=" * 100}),
    Nasty(
        "GET",
        E,
        params={
            "type": "T",
            "georel": "near;maxDistance==1e400",
            "geometry": "Point",
            "coordinates": "[1,2]",
        },
    ),
    Nasty(
        "GET",
        E,
        params={
            "type": "T",
            "georel": "within",
            "geometry": "Point",
            "coordinates": "[" * 900 + "]" * 900,
        },
    ),
    Nasty(
        "GET",
        E,
        params={
            "type": "T",
            "georel": "intersects",
            "geometry": "Polygon",
            "coordinates": "[[[0,0],[1,1],[1,0],[0,1],[0,0]]]",
        },
    ),
    Nasty(
        "GET",
        E,
        params={
            "type": "T",
            "georel": "near;minDistance==-1",
            "geometry": "Point",
            "coordinates": "[NaN,2]",
        },
    ),
    Nasty("GET", V1, params={"lang": "en;q=nan"}),
    Nasty("GET", V1, params={"datasetId": ",,,"}),
    Nasty(
        "GET", V1, params={"geometryProperty": "@id"}, headers={"Accept": "application/geo+json"}
    ),
    Nasty("GET", V1, params={"type": "@id"}),
    Nasty("GET", V1, params={"attrs": "@id,@type"}),
    Nasty("GET", V1, params={"options": "sysAttrs," * 1000}),
    # headers
    Nasty("GET", V1, headers={"Accept": "application/json;q=abc"}),
    Nasty("GET", V1, headers={"Accept": ",,,;;;"}),
    Nasty("GET", V1, headers={"Accept": "application/json;q=" + "9" * 400}),
    Nasty("GET", V1, headers={"Link": "<"}),
    Nasty("GET", V1, headers={"Link": "<urn:x>; rel=" + '"' * 50}),
    Nasty("GET", V1, headers={"Link": link_to("relative.jsonld")}),
    Nasty("GET", V1, headers={"NGSILD-Tenant": "x" * 10_000}),
    Nasty("GET", V1, headers={"Prefer": "body=json;" * 100}),
    # paths
    Nasty("GET", "/entities/urn:x%00"),
    Nasty("GET", "/entities/%FF%FE"),
    Nasty("GET", "/entities/%"),
    Nasty("GET", "/entities/urn:a%2Fb/attrs/x/y"),
    Nasty("GET", "/types/%00"),
    Nasty("GET", "/types/" + "a:" * 500),
    Nasty("GET", "/attributes/%20"),
    Nasty("DELETE", V1 + "/attrs/%40id"),
    Nasty("DELETE", V1 + "/attrs/" + "x" * 5000, params={"deleteAll": "true"}),
    Nasty("PATCH", V1 + "/attrs/%2F", {"value": 1}),
]


async def test_nothing_nasty_causes_a_server_error(lenient: httpx.AsyncClient) -> None:
    assert (await lenient.post("/entities", json=vehicle())).status_code == 201
    crashes: list[str] = []
    for nasty in NASTY:
        response = await lenient.request(nasty.method, nasty.path, **nasty.options())
        if response.status_code >= 500:
            crashes.append(f"{nasty.method} {nasty.path[:60]} -> {response.text[:200]}")
        elif response.status_code in (411, 415):
            assert response.content == b"", "6.3.4: 411 and 415 carry no payload body"
        elif response.status_code >= 400:
            problem = response.json()
            assert problem["status"] == response.status_code
            assert problem["type"] and problem["title"] and problem["detail"]
    assert crashes == []
    assert (await lenient.get(V1)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", E),
        ("PATCH", V1),
        ("PUT", V1),
        ("POST", V1 + "/attrs"),
        ("PATCH", V1 + "/attrs"),
        ("PATCH", V1 + "/attrs/speed"),
        ("PUT", V1 + "/attrs/speed"),
        ("POST", "/entityOperations/create"),
        ("POST", "/entityOperations/merge"),
        ("POST", Q),
    ],
)
async def test_too_deep_bodies_are_rejected_whole(
    client: httpx.AsyncClient, before: list[dict[str, Any]], method: str, path: str
) -> None:
    # Any request body nesting deeper than 128 levels is BadRequestData, batches included.
    text = '{"id":"urn:x:1","type":"T","value":' + deep_text(150) + "}"
    if path.startswith("/entityOperations") and not path.endswith("query"):
        text = f"[{text}]"
    response = await client.request(method, path, content=text, headers=JSON_TYPE)
    assert_problem(response)
    assert "deeper" in response.json()["detail"]
    assert await snapshot(client) == before
