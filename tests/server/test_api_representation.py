"""Representations over HTTP (clauses 4.5, 4.15, 6.3.7, 6.3.11; GeoJSON 4.5.16/4.5.17, 6.3.15).

normalized (default), concise and simplified/keyValues chosen by ``format`` or ``options``;
``options=sysAttrs``; ``lang`` on LanguageProperties; ``datasetId`` instance filtering; GeoJSON
Feature and FeatureCollection with ``geometryProperty``; where the @context goes (6.3.6).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.server.conftest import CONTEXT_REL, CORE_V18, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
V1 = "/entities/urn:ngsi-ld:Vehicle:V1"
POINT = {"type": "Point", "coordinates": [8.6, 41.1]}
PARKING = {"type": "Point", "coordinates": [1.0, 2.0]}


def rich_vehicle() -> dict[str, Any]:
    """V1 with one attribute of each type, a sub-attribute and a multi-attribute."""
    return vehicle(
        speed={
            "type": "Property",
            "value": 10,
            "unitCode": "KMH",
            "accuracy": {"type": "Property", "value": 0.5},
        },
        name={
            "type": "LanguageProperty",
            "languageMap": {"en": "car", "fr": "voiture", "@none": "auto"},
        },
        category={"type": "VocabProperty", "vocab": "Commercial"},
        readings={"type": "ListProperty", "valueList": [1, 2]},
        fleet={"type": "ListRelationship", "objectList": [{"object": "urn:ngsi-ld:Fleet:F1"}]},
        config={"type": "JsonProperty", "json": {"a": [1, None]}},
        parking={"type": "GeoProperty", "value": PARKING},
        temperature=[
            {"type": "Property", "value": 20},
            {"type": "Property", "value": 21, "datasetId": "urn:ngsi-ld:Dataset:a"},
        ],
    )


NORMALIZED: dict[str, Any] = {
    "id": "urn:ngsi-ld:Vehicle:V1",
    "type": "Vehicle",
    "speed": {
        "type": "Property",
        "value": 10,
        "unitCode": "KMH",
        "accuracy": {"type": "Property", "value": 0.5},
    },
    "brandName": {"type": "Property", "value": "Mercedes"},
    "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:OffStreetParking:P1"},
    "location": {"type": "GeoProperty", "value": POINT},
    "name": {
        "type": "LanguageProperty",
        "languageMap": {"en": "car", "fr": "voiture", "@none": "auto"},
    },
    "category": {"type": "VocabProperty", "vocab": "Commercial"},
    "readings": {"type": "ListProperty", "valueList": [1, 2]},
    "fleet": {"type": "ListRelationship", "objectList": [{"object": "urn:ngsi-ld:Fleet:F1"}]},
    "config": {"type": "JsonProperty", "json": {"a": [1, None]}},
    "parking": {"type": "GeoProperty", "value": PARKING},
    "temperature": [
        {"type": "Property", "value": 20},
        {"type": "Property", "value": 21, "datasetId": "urn:ngsi-ld:Dataset:a"},
    ],
}

CONCISE: dict[str, Any] = {
    "id": "urn:ngsi-ld:Vehicle:V1",
    "type": "Vehicle",
    "speed": {"value": 10, "unitCode": "KMH", "accuracy": 0.5},
    "brandName": "Mercedes",
    "isParked": {"object": "urn:ngsi-ld:OffStreetParking:P1"},
    "location": POINT,
    "name": {"languageMap": {"en": "car", "fr": "voiture", "@none": "auto"}},
    "category": {"vocab": "Commercial"},
    "readings": {"valueList": [1, 2]},
    "fleet": {"objectList": ["urn:ngsi-ld:Fleet:F1"]},
    "config": {"json": {"a": [1, None]}},
    "parking": PARKING,
    "temperature": [{"value": 20}, {"value": 21, "datasetId": "urn:ngsi-ld:Dataset:a"}],
}

# Unsettled (spec-notes 10.10): the simplified forms of LanguageProperty, VocabProperty,
# JsonProperty and multi-attributes follow V1.9.1 ({"languageMap": ...}, {"dataset": ...}).
SIMPLIFIED: dict[str, Any] = {
    "id": "urn:ngsi-ld:Vehicle:V1",
    "type": "Vehicle",
    "speed": 10,
    "brandName": "Mercedes",
    "isParked": "urn:ngsi-ld:OffStreetParking:P1",
    "location": POINT,
    "name": {"languageMap": {"en": "car", "fr": "voiture", "@none": "auto"}},
    "category": {"vocab": "Commercial"},
    "readings": [1, 2],
    "fleet": ["urn:ngsi-ld:Fleet:F1"],
    "config": {"json": {"a": [1, None]}},
    "parking": PARKING,
    "temperature": {"dataset": {"@none": 20, "urn:ngsi-ld:Dataset:a": 21}},
}


@pytest.fixture
async def v1(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", json=rich_vehicle())
    assert response.status_code == 201, response.text


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, NORMALIZED),
        ({"format": "normalized"}, NORMALIZED),
        ({"options": "normalized"}, NORMALIZED),
        ({"format": "concise"}, CONCISE),
        ({"options": "concise"}, CONCISE),
        ({"format": "keyValues"}, SIMPLIFIED),
        ({"format": "simplified"}, SIMPLIFIED),
        ({"options": "keyValues"}, SIMPLIFIED),
        ({"options": "simplified"}, SIMPLIFIED),
        ({"format": "keyValues", "options": "keyValues"}, SIMPLIFIED),
    ],
)
async def test_representations(
    client: httpx.AsyncClient, v1: None, params: dict[str, str], expected: dict[str, Any]
) -> None:
    response = await client.get(V1, params=params)
    assert response.status_code == 200
    assert response.json() == expected
    queried = await client.get("/entities", params={"type": "Vehicle", **params})
    assert queried.json() == [expected]


async def test_conflicting_representations(client: httpx.AsyncClient, v1: None) -> None:
    # Unsettled (spec-notes 10.8): conflicting choices are rejected here.
    for params in ({"options": "keyValues,concise"}, {"format": "concise", "options": "keyValues"}):
        assert_problem(await client.get(V1, params=params), 400, "BadRequestData")


async def test_concise_output_parses_back_to_the_same_entity(
    client: httpx.AsyncClient, v1: None
) -> None:
    concise = (await client.get(V1, params={"format": "concise"})).json()
    copy = {**concise, "id": "urn:ngsi-ld:Vehicle:copy"}
    assert (await client.post("/entities", json=copy)).status_code == 201
    again = (await client.get("/entities/urn:ngsi-ld:Vehicle:copy")).json()
    assert again == {**NORMALIZED, "id": "urn:ngsi-ld:Vehicle:copy"}


async def test_sys_attrs(client: httpx.AsyncClient, v1: None) -> None:
    plain = (await client.get(V1)).json()
    assert "createdAt" not in plain and "modifiedAt" not in plain["speed"]
    body = (await client.get(V1, params={"options": "sysAttrs"})).json()
    for holder in (body, body["speed"], body["speed"]["accuracy"], body["temperature"][1]):
        assert holder["createdAt"].endswith("Z")
        assert holder["modifiedAt"] >= holder["createdAt"]
    combined = (await client.get(V1, params={"options": "sysAttrs,keyValues"})).json()
    assert combined["createdAt"].endswith("Z")
    assert combined["speed"] == 10


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "fr"}, {"type": "Property", "value": "voiture", "lang": "fr"}),
        ({"lang": "en-GB"}, {"type": "Property", "value": "car", "lang": "en"}),
        ({"lang": "de,fr;q=0.5"}, {"type": "Property", "value": "voiture", "lang": "fr"}),
        # No match: 4.15 asks for any language; the @none entry is chosen (spec-notes 10.22).
        ({"lang": "de"}, {"type": "Property", "value": "auto", "lang": "@none"}),
        ({"lang": "fr", "format": "concise"}, {"value": "voiture", "lang": "fr"}),
        ({"lang": "fr", "format": "keyValues"}, "voiture"),
    ],
)
async def test_lang_on_language_property(
    client: httpx.AsyncClient, v1: None, params: dict[str, str], expected: object
) -> None:
    body = (await client.get(V1, params=params)).json()
    assert body["name"] == expected


async def test_dataset_id_selects_instances(client: httpx.AsyncClient, v1: None) -> None:
    one = (await client.get(V1, params={"datasetId": "urn:ngsi-ld:Dataset:a"})).json()
    assert one == {
        "id": "urn:ngsi-ld:Vehicle:V1",
        "type": "Vehicle",
        "temperature": NORMALIZED["temperature"][1],
    }
    default = (await client.get(V1, params={"datasetId": "@none", "attrs": "temperature"})).json()
    assert default["temperature"] == NORMALIZED["temperature"][0]


# --- where the @context goes (6.3.6) ---------------------------------------------------------


async def test_json_answer_links_the_context(client: httpx.AsyncClient, v1: None) -> None:
    response = await client.get(V1)
    assert response.headers["content-type"] == "application/json"
    link = response.headers["link"]
    assert f"<{CORE_V18}>" in link
    assert f'rel="{CONTEXT_REL}"' in link
    assert "@context" not in response.json()


async def test_ld_json_answer_embeds_the_context(client: httpx.AsyncClient, v1: None) -> None:
    headers = {"Accept": "application/ld+json"}
    one = await client.get(V1, headers=headers)
    assert one.headers["content-type"] == "application/ld+json"
    assert "link" not in one.headers
    assert one.json() == {**NORMALIZED, "@context": CORE_V18}
    many = await client.get("/entities", params={"type": "Vehicle"}, headers=headers)
    assert [e["@context"] for e in many.json()] == [CORE_V18]


# --- GeoJSON (4.5.16, 4.5.17) ---------------------------------------------------------------

GEO = {"Accept": "application/geo+json"}


async def test_geojson_feature(client: httpx.AsyncClient, v1: None) -> None:
    response = await client.get(V1, headers=GEO)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == "urn:ngsi-ld:Vehicle:V1"
    assert feature["geometry"] == POINT
    assert feature["properties"]["type"] == "Vehicle"
    assert feature["properties"]["speed"] == NORMALIZED["speed"]
    assert "id" not in feature["properties"]
    assert feature["@context"] == CORE_V18


async def test_geojson_geometry_property_and_simplified(
    client: httpx.AsyncClient, v1: None
) -> None:
    params = {"geometryProperty": "parking", "format": "keyValues"}
    feature = (await client.get(V1, params=params, headers=GEO)).json()
    assert feature["geometry"] == PARKING
    assert feature["properties"]["speed"] == 10
    nothing = (await client.get(V1, params={"geometryProperty": "speed"}, headers=GEO)).json()
    assert nothing["geometry"] is None


async def test_geojson_feature_collection(client: httpx.AsyncClient, v1: None) -> None:
    await client.post("/entities", json={"id": "urn:ngsi-ld:Vehicle:V2", "type": "Vehicle"})
    response = await client.get("/entities", params={"type": "Vehicle"}, headers=GEO)
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [
        "urn:ngsi-ld:Vehicle:V1",
        "urn:ngsi-ld:Vehicle:V2",
    ]
    assert collection["features"][1]["geometry"] is None
    assert collection["@context"] == CORE_V18
    empty = await client.get("/entities", params={"type": "Ship"}, headers=GEO)
    assert empty.json()["features"] == []


async def test_geojson_prefer_body_json_moves_context_to_link(
    client: httpx.AsyncClient, v1: None
) -> None:
    response = await client.get(V1, headers={**GEO, "Prefer": "body=json"})
    assert "@context" not in response.json()
    assert f"<{CORE_V18}>" in response.headers["link"]


async def test_geometry_property_needs_geojson(client: httpx.AsyncClient, v1: None) -> None:
    response = await client.get(V1, params={"geometryProperty": "parking"})
    assert_problem(response, 400, "BadRequestData")
