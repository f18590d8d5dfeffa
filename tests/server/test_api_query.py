"""Query Entities, GET /entities (clauses 5.7.2, 6.4.3.2): selection by id, idPattern, type
(4.17), attrs, q (4.9), scopeQ (4.19), and the projections pick/omit (4.21)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from reference_server.app import create_app
from reference_server.config import Settings
from tests.server.conftest import API

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
A = "urn:ngsi-ld:Vehicle:A"
B = "urn:ngsi-ld:Vehicle:B"
C = "urn:ngsi-ld:Car:C"
D = "urn:ngsi-ld:Bike:D"

ENTITIES: list[dict[str, Any]] = [
    {
        "id": A,
        "type": "Vehicle",
        "scope": "/Berlin/Mitte",
        "speed": {
            "type": "Property",
            "value": 80,
            "unitCode": "KMH",
            "observedAt": "2024-01-01T10:00:00Z",
        },
        "brandName": {"type": "Property", "value": "Mercedes"},
        "address": {"type": "Property", "value": {"city": "Berlin", "zip": "10115"}},
        "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:Parking:P1"},
        "registered": {"type": "Property", "value": "2020-05-01T00:00:00Z"},
        "inService": {"type": "Property", "value": True},
    },
    {
        "id": B,
        "type": "Vehicle",
        "scope": "/Porto",
        "speed": {
            "type": "Property",
            "value": 120,
            "unitCode": "KMH",
            "observedAt": "2024-02-01T10:00:00Z",
        },
        "brandName": {"type": "Property", "value": "Audi"},
        "address": {"type": "Property", "value": {"city": "Porto"}},
        "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:Parking:P2"},
        "registered": {"type": "Property", "value": "2022-05-01T00:00:00Z"},
        "inService": {"type": "Property", "value": False},
    },
    {
        "id": C,
        "type": ["Car", "Vehicle"],
        "speed": {"type": "Property", "value": 50},
        "brandName": {"type": "Property", "value": "Tesla"},
    },
    {
        "id": D,
        "type": "Bike",
        "brandName": {"type": "Property", "value": "Brompton"},
    },
]


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)
    assert body["title"] and body["detail"]


@pytest.fixture
async def data(client: httpx.AsyncClient) -> None:
    for entity in ENTITIES:
        assert (await client.post("/entities", json=entity)).status_code == 201


async def ids(client: httpx.AsyncClient, params: dict[str, str]) -> list[str]:
    response = await client.get("/entities", params=params)
    assert response.status_code == 200, response.text
    return sorted(e["id"] for e in response.json())


ALL_TYPES = {"type": "*"}


# --- id, idPattern, type --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Vehicle"}, [A, B, C]),
        ({"type": "Bike"}, [D]),
        ({"type": "Car,Bike"}, [C, D]),  # legacy OR (4.17)
        ({"type": "Car|Bike"}, [C, D]),
        ({"type": "(Car;Vehicle)"}, [C]),  # AND needs parentheses
        ({"type": "(Car;Bike)"}, []),
        ({"type": "(Car;Vehicle)|Bike"}, [C, D]),
        ({"type": "*"}, [A, B, C, D]),
        ({"type": "https://uri.etsi.org/ngsi-ld/default-context/Bike"}, [D]),  # full IRI
        ({"type": "Unknown"}, []),
        ({"type": "Vehicle", "id": f"{A},{C}"}, [A, C]),
        ({"type": "Vehicle", "id": D}, []),
        ({"type": "Vehicle", "idPattern": "^urn:ngsi-ld:Vehicle:"}, [A, B]),
        ({"type": "*", "idPattern": "[CD]$"}, [C, D]),
        # Unsettled (spec-notes 10.3): ids alone are accepted here (Orion-LD's reading).
        ({"id": B}, [B]),
        ({"idPattern": "Bike"}, [D]),
        ({"local": "true"}, [A, B, C, D]),
    ],
)
async def test_select_by_id_and_type(
    client: httpx.AsyncClient, data: None, params: dict[str, str], expected: list[str]
) -> None:
    assert await ids(client, params) == sorted(expected)


# --- attrs ----------------------------------------------------------------------------------


async def test_attrs_filters_and_projects(client: httpx.AsyncClient, data: None) -> None:
    response = await client.get("/entities", params={"attrs": "address,nothere"})
    bodies = response.json()
    assert sorted(e["id"] for e in bodies) == [A, B]
    assert all(set(e) - {"scope"} == {"id", "type", "address"} for e in bodies)


async def test_pick_and_omit(client: httpx.AsyncClient, data: None) -> None:
    picked = (await client.get("/entities", params={"type": "Bike", "pick": "id,brandName"})).json()
    assert picked == [{"id": D, "brandName": {"type": "Property", "value": "Brompton"}}]
    omitted = (await client.get("/entities", params={"type": "Bike", "omit": "brandName"})).json()
    assert omitted == [{"id": D, "type": "Bike"}]


# --- q (4.9) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # numbers
        ("speed>100", [B]),
        ("speed>=80", [A, B]),
        ("speed<80", [C]),
        ("speed<=80", [A, C]),
        ("speed==80", [A]),
        ("speed!=80", [B, C]),
        ("speed==50..90", [A, C]),  # range
        ("speed==50,120", [B, C]),  # value list
        ("speed==80.0", [A]),
        # strings
        ('brandName=="Audi"', [B]),
        ('brandName=="Audi","Tesla"', [B, C]),
        ('brandName>"B"', [A, C, D]),  # code point order
        ('brandName=="A".."N"', [A, B, D]),
        ("brandName~=^Me", [A]),
        ("brandName~=(?i)^me", [A]),
        ("brandName!~=^Me", [B, C, D]),
        # booleans, relationships, URIs
        ("inService==true", [A]),
        ("inService==false", [B]),
        ("isParked==urn:ngsi-ld:Parking:P1", [A]),
        ('isParked=="urn:ngsi-ld:Parking:P2"', [B]),
        # dates: DateTime values and metadata paths
        ("registered>2021-01-01T00:00:00Z", [B]),
        ("registered==2020-01-01T00:00:00Z..2021-01-01T00:00:00Z", [A]),
        ("speed.observedAt>=2024-01-15T00:00:00Z", [B]),
        ("speed.observedAt<2024-01-15T00:00:00Z", [A]),
        ('speed.unitCode=="KMH"', [A, B]),
        # compound values
        ('address[city]=="Berlin"', [A]),
        ('address[zip]=="10115"', [A]),
        ("address[zip]", [A]),
        ('address[country]=="DE"', []),
        # existence
        ("address", [A, B]),
        ("isParked", [A, B]),
        ("!address", [C, D]),
        # logic: ; binds tighter than |
        ('speed>90;brandName=="Audi"', [B]),
        ('speed>90;brandName=="Tesla"', []),
        ('speed>90|brandName=="Tesla"', [B, C]),
        ('speed<60|speed>100;brandName=="Audi"', [B, C]),
        ('(speed<60|speed>100);brandName=="Audi"', [B]),
        ('((speed<60|speed>100));(brandName=="Audi"|brandName=="Tesla")', [B, C]),
        # system attributes need sysAttrs only for display, not for querying
        ("speed.createdAt>2000-01-01T00:00:00Z", [A, B, C]),
    ],
)
async def test_q(client: httpx.AsyncClient, data: None, q: str, expected: list[str]) -> None:
    assert await ids(client, {**ALL_TYPES, "q": q}) == sorted(expected)


async def test_q_alone_is_a_valid_filter(client: httpx.AsyncClient, data: None) -> None:
    assert await ids(client, {"q": "speed>100"}) == [B]


# --- scopeQ (4.19) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope_q", "expected"),
    [
        ("/Berlin/Mitte", [A]),
        ("/Berlin/#", [A]),
        ("/Berlin", []),
        ("/Porto", [B]),
        ("/Berlin/Mitte,/Porto", [A, B]),
        ("/Berlin/Mitte|/Porto", [A, B]),
        ("/#", [A, B]),
        ("/+/Mitte", [A]),
    ],
)
async def test_scope_q(
    client: httpx.AsyncClient, data: None, scope_q: str, expected: list[str]
) -> None:
    assert await ids(client, {**ALL_TYPES, "scopeQ": scope_q}) == sorted(expected)


# --- empty results and errors ---------------------------------------------------------------


async def test_no_match_is_an_empty_array(client: httpx.AsyncClient, data: None) -> None:
    response = await client.get("/entities", params={"type": "Ship"})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({}, 400, "BadRequestData"),  # too wide (5.7.2.4)
        ({"attrs": "createdAt"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "speed>"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "(speed>1"}, 400, "BadRequestData"),  # unbalanced
        ({"type": "Vehicle", "q": "speed>1)"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "speed=>1"}, 400, "BadRequestData"),  # bad operator
        ({"type": "Vehicle", "q": "speed===1"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "speed>1;;speed<3"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "sp eed>1"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "speed>1..3"}, 400, "BadRequestData"),  # range needs ==
        ({"type": "Vehicle", "q": "speed==2024-13-01T00:00:00Z"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "speed~=(["}, 400, "BadRequestData"),
        ({"type": "Vehicle", "q": "a" * 5000}, 403, "TooComplexQuery"),
        ({"type": "Vehicle", "idPattern": "(["}, 400, "BadRequestData"),
        ({"type": "Vehicle", "idPattern": "*a"}, 400, "BadRequestData"),
        ({"type": "(Vehicle"}, 400, "BadRequestData"),
        ({"type": "Vehicle;"}, 400, "BadRequestData"),
        ({"type": "Vehi cle"}, 400, "BadRequestData"),
        ({"type": ""}, 400, "BadRequestData"),
        ({"type": "Vehicle", "id": "not-a-uri"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "id": ","}, 400, "BadRequestData"),
        ({"type": "Vehicle", "scopeQ": "Berlin Mitte"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "scopeQ": "/Berlin/"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "attrs": "a b"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "pick": "speed", "omit": "speed"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "pick": "sp;eed"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "local": "maybe"}, 400, "BadRequestData"),
        # spec-notes 2.3: type=* implies local scope; local=false contradicts it ([TS-x] 019_26)
        ({"type": "*", "local": "false"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "geometryProperty": "location"}, 400, "BadRequestData"),
        # Unsettled (spec-notes 10.8): InvalidRequest or BadRequestData; BadRequestData here.
        ({"type": "Vehicle", "format": "fancy"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "options": "fancy"}, 400, "InvalidRequest"),
        ({"type": "Vehicle", "options": "keyValues,concise"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "colour": "red"}, 400, "InvalidRequest"),  # 6.3.20
        (
            {"type": "Vehicle", "georel": "near;maxDistance==1", "geometry": "Point"},
            400,
            "BadRequestData",
        ),
    ],
)
async def test_query_errors(
    client: httpx.AsyncClient, data: None, params: dict[str, str], status: int, error: str
) -> None:
    assert_problem(await client.get("/entities", params=params), status, error)


async def test_context_source_filter_is_not_implemented(
    client: httpx.AsyncClient, data: None
) -> None:
    # 501 is listed for Query Entities (context sources); csf is not supported here.
    response = await client.get("/entities", params={"type": "Vehicle", "csf": "x==1"})
    assert response.status_code == 501
    assert response.json()["status"] == 501


async def test_query_id_without_valid_scheme_is_bad_request(
    client: httpx.AsyncClient, data: None
) -> None:
    response = await client.get("/entities", params={"type": "Vehicle", "id": "1:x"})
    assert_problem(response, 400, "BadRequestData")


async def test_q_on_system_attributes_alone_is_too_wide(
    client: httpx.AsyncClient, data: None
) -> None:
    # [TS-x] 5722_01 (spec-notes 2.3): like attrs=createdAt alone, which is rejected.
    response = await client.get("/entities", params={"q": "modifiedAt>2000-01-01T00:00:00Z"})
    assert_problem(response, 400, "BadRequestData")


@pytest.fixture
async def lenient(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client that receives server crashes as 500 answers instead of exceptions."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        yield http
    await app.state.ngsi.store.close()
    await app.state.ngsi.resolver.aclose()


async def test_id_pattern_with_huge_repeat_is_bad_request(lenient: httpx.AsyncClient) -> None:
    params = {"type": "Vehicle", "idPattern": "a{99999999999}"}
    assert_problem(await lenient.get("/entities", params=params), 400, "BadRequestData")


async def test_q_regex_with_huge_repeat_is_bad_request(lenient: httpx.AsyncClient) -> None:
    params = {"type": "Vehicle", "q": "brandName~=a{99999999999}"}
    assert_problem(await lenient.get("/entities", params=params), 400, "BadRequestData")
