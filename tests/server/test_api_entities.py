"""Entity lifecycle through the HTTP API (clauses 5.6.1, 5.6.6, 5.6.17, 5.6.18, 5.7.1)."""

from __future__ import annotations

import httpx

from tests.server.conftest import CORE_V18, link_to, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"


async def test_create_returns_201_and_location(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", json=vehicle())
    assert response.status_code == 201
    assert response.headers["location"] == "/ngsi-ld/v1/entities/urn:ngsi-ld:Vehicle:V1"
    assert response.content == b""


async def test_create_twice_is_already_exists(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    response = await client.post("/entities", json=vehicle())
    assert response.status_code == 409
    assert response.json()["type"] == ERR + "AlreadyExists"


async def test_retrieve_normalized_round_trip(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    response = await client.get("/entities/urn:ngsi-ld:Vehicle:V1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert CORE_V18 in response.headers["link"]
    body = response.json()
    assert body["id"] == "urn:ngsi-ld:Vehicle:V1"
    assert body["type"] == "Vehicle"
    assert body["speed"] == {"type": "Property", "value": 10, "unitCode": "KMH"}
    assert body["isParked"]["object"] == "urn:ngsi-ld:OffStreetParking:P1"
    assert "createdAt" not in body


async def test_retrieve_key_values(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    for params in ({"options": "keyValues"}, {"format": "simplified"}):
        body = (await client.get("/entities/urn:ngsi-ld:Vehicle:V1", params=params)).json()
        assert body["speed"] == 10
        assert body["isParked"] == "urn:ngsi-ld:OffStreetParking:P1"


async def test_retrieve_sys_attrs(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    body = (
        await client.get("/entities/urn:ngsi-ld:Vehicle:V1", params={"options": "sysAttrs"})
    ).json()
    assert body["createdAt"].endswith("Z")
    assert "modifiedAt" in body["speed"]


async def test_retrieve_ld_json_puts_context_in_body(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    response = await client.get(
        "/entities/urn:ngsi-ld:Vehicle:V1", headers={"Accept": "application/ld+json"}
    )
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"] == CORE_V18
    assert "link" not in response.headers


async def test_retrieve_unknown_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/entities/urn:ngsi-ld:Vehicle:nope")
    assert response.status_code == 404
    assert response.json()["type"] == ERR + "ResourceNotFound"


async def test_delete_then_gone(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    assert (await client.delete("/entities/urn:ngsi-ld:Vehicle:V1")).status_code == 204
    assert (await client.get("/entities/urn:ngsi-ld:Vehicle:V1")).status_code == 404
    assert (await client.delete("/entities/urn:ngsi-ld:Vehicle:V1")).status_code == 404


async def test_entity_id_with_slash(client: httpx.AsyncClient) -> None:
    body = vehicle()
    body["id"] = "https://example.org/cars/1"
    assert (await client.post("/entities", json=body)).status_code == 201
    response = await client.get("/entities/https:%2F%2Fexample.org%2Fcars%2F1")
    assert response.status_code == 200
    assert response.json()["id"] == "https://example.org/cars/1"


async def test_merge_patch(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    patch = {
        "speed": {"type": "Property", "value": 99},
        "colour": {"type": "Property", "value": "red"},
    }
    response = await client.patch("/entities/urn:ngsi-ld:Vehicle:V1", json=patch)
    assert response.status_code == 204
    body = (await client.get("/entities/urn:ngsi-ld:Vehicle:V1")).json()
    assert body["speed"]["value"] == 99
    assert body["colour"]["value"] == "red"
    assert body["brandName"]["value"] == "Mercedes"


async def test_replace_put(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    new = {"type": "Vehicle", "speed": {"type": "Property", "value": 1}}
    assert (await client.put("/entities/urn:ngsi-ld:Vehicle:V1", json=new)).status_code == 204
    body = (await client.get("/entities/urn:ngsi-ld:Vehicle:V1")).json()
    assert set(body) == {"id", "type", "speed"}


async def test_user_context_by_link_header(client: httpx.AsyncClient) -> None:
    body = vehicle()
    response = await client.post("/entities", json=body, headers={"Link": link_to(CORE_V18)})
    assert response.status_code == 201
    got = (await client.get("/entities/urn:ngsi-ld:Vehicle:V1")).json()
    assert got["speed"]["value"] == 10


async def test_ld_json_body_context(client: httpx.AsyncClient) -> None:
    body = {**vehicle(), "@context": {"speed": "https://example.org/speed"}}
    response = await client.post(
        "/entities",
        content=httpx.Request("POST", "/", json=body).content,
        headers={"Content-Type": "application/ld+json"},
    )
    assert response.status_code == 201
    plain = (await client.get("/entities/urn:ngsi-ld:Vehicle:V1")).json()
    assert "https://example.org/speed" in plain
