"""Discovery of entity types and attributes (clauses 5.7.5-5.7.10; 6.25-6.28).

EntityTypeList, EntityType, EntityTypeInfo, AttributeList and Attribute (5.2.24-5.2.28),
computed from the entities that exist now.
"""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import CORE_V18, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
DEFAULT = "https://uri.etsi.org/ngsi-ld/default-context/"
NGSI = "https://uri.etsi.org/ngsi-ld/"


@pytest.fixture
async def data(client: httpx.AsyncClient) -> None:
    entities = [
        vehicle(1),
        vehicle(2, colour="red"),
        {
            "id": "urn:ngsi-ld:Boat:B1",
            "type": ["Boat", "Vehicle"],
            "speed": 3,
            "name": {"type": "LanguageProperty", "languageMap": {"en": "Nautilus"}},
        },
    ]
    for entity in entities:
        assert (await client.post("/entities", json=entity)).status_code == 201


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)
    assert body["title"] and body["detail"]


async def test_types(client: httpx.AsyncClient, data: None) -> None:
    response = await client.get("/types")
    assert response.status_code == 200
    assert CORE_V18 in response.headers["link"]
    body = response.json()
    assert body["type"] == "EntityTypeList"
    assert body["id"].startswith("urn:ngsi-ld:EntityTypeList:")
    assert body["typeList"] == ["Boat", "Vehicle"]


async def test_types_details(client: httpx.AsyncClient, data: None) -> None:
    body = (await client.get("/types", params={"details": "true"})).json()
    assert body == [
        {
            "id": DEFAULT + "Boat",
            "type": "EntityType",
            "typeName": "Boat",
            "attributeNames": ["name", "speed"],
        },
        {
            "id": DEFAULT + "Vehicle",
            "type": "EntityType",
            "typeName": "Vehicle",
            "attributeNames": sorted(
                ["brandName", "colour", "isParked", "location", "name", "speed"]
            ),
        },
    ]
    assert (await client.get("/types", params={"details": "false"})).json()["type"] == (
        "EntityTypeList"
    )


async def test_type_info(client: httpx.AsyncClient, data: None) -> None:
    body = (await client.get("/types/Vehicle")).json()
    assert body["id"] == DEFAULT + "Vehicle"
    assert body["type"] == "EntityTypeInfo"
    assert body["typeName"] == "Vehicle"
    assert body["entityCount"] == 3
    details = {d["attributeName"]: d for d in body["attributeDetails"]}
    assert details["isParked"] == {
        "id": DEFAULT + "isParked",
        "type": "Attribute",
        "attributeName": "isParked",
        "attributeTypes": ["Relationship"],
    }
    assert details["location"]["attributeTypes"] == ["GeoProperty"]
    assert details["location"]["id"] == NGSI + "location"
    assert details["name"]["attributeTypes"] == ["LanguageProperty"]
    # The full IRI, URL-encoded, names the same type.
    by_iri = await client.get("/types/" + (DEFAULT + "Boat").replace("/", "%2F"))
    assert by_iri.json()["entityCount"] == 1


async def test_attributes(client: httpx.AsyncClient, data: None) -> None:
    body = (await client.get("/attributes")).json()
    assert body["type"] == "AttributeList"
    assert body["id"].startswith("urn:ngsi-ld:AttributeList:")
    assert sorted(body["attributeList"]) == sorted(
        ["brandName", "colour", "isParked", "location", "name", "speed"]
    )
    # id, type, scope and system attributes are not attributes ([TS-x] 5710_01).
    assert not {"id", "type", "createdAt", "modifiedAt"} & set(body["attributeList"])


async def test_attributes_details_and_info(client: httpx.AsyncClient, data: None) -> None:
    details = (await client.get("/attributes", params={"details": "true"})).json()
    speed = next(a for a in details if a["attributeName"] == "speed")
    assert speed == {
        "id": DEFAULT + "speed",
        "type": "Attribute",
        "attributeName": "speed",
        "attributeCount": 3,
        "attributeTypes": ["Property"],
        "typeNames": ["Boat", "Vehicle"],
    }
    assert (await client.get("/attributes/speed")).json() == speed
    colour = (await client.get("/attributes/colour")).json()
    assert (colour["attributeCount"], colour["typeNames"]) == (1, ["Vehicle"])


async def test_discovery_follows_deletions(client: httpx.AsyncClient, data: None) -> None:
    assert (await client.delete("/entities/urn:ngsi-ld:Boat:B1")).status_code == 204
    assert (await client.get("/types")).json()["typeList"] == ["Vehicle"]
    assert_problem(await client.get("/types/Boat"), 404, "ResourceNotFound")
    assert_problem(await client.get("/attributes/name"), 404, "ResourceNotFound")


async def test_empty_platform(client: httpx.AsyncClient) -> None:
    assert (await client.get("/types")).json()["typeList"] == []
    assert (await client.get("/types", params={"details": "true"})).json() == []
    assert (await client.get("/attributes")).json()["attributeList"] == []


async def test_ld_json_discovery(client: httpx.AsyncClient, data: None) -> None:
    response = await client.get("/types", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json()["@context"] == CORE_V18
    details = await client.get(
        "/attributes", params={"details": "true"}, headers={"Accept": "application/ld+json"}
    )
    assert all(a["@context"] == CORE_V18 for a in details.json())


@pytest.mark.parametrize(
    ("path", "params", "status", "error"),
    [
        ("/types/Ship", {}, 404, "ResourceNotFound"),
        ("/attributes/height", {}, 404, "ResourceNotFound"),
        ("/types", {"details": "yes"}, 400, "BadRequestData"),
        ("/attributes", {"details": "1"}, 400, "BadRequestData"),
        ("/types", {"type": "Vehicle"}, 400, "InvalidRequest"),
        ("/attributes", {"attrs": "speed"}, 400, "InvalidRequest"),
        # Unsettled (spec-notes 10.19): limit/offset/count are accepted here; they are checked.
        ("/types", {"limit": "-1"}, 400, "BadRequestData"),
        ("/attributes", {"offset": "x"}, 400, "BadRequestData"),
        ("/types", {"count": "maybe"}, 400, "BadRequestData"),
        ("/types", {"local": "maybe"}, 400, "BadRequestData"),
    ],
)
async def test_discovery_errors(
    client: httpx.AsyncClient,
    data: None,
    path: str,
    params: dict[str, str],
    status: int,
    error: str,
) -> None:
    assert_problem(await client.get(path, params=params), status, error)
