"""Attribute operations through the HTTP API (clauses 5.6.2-5.6.5, 5.6.19; 6.6, 6.7).

Append (POST .../attrs), Update (PATCH .../attrs), Partial Attribute Update (PATCH
.../attrs/{attrId}), Replace Attribute (PUT .../attrs/{attrId}), Delete Attribute (DELETE
.../attrs/{attrId}) and multi-attributes (datasetId, clause 4.5.5).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.server.conftest import vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
DEFAULT = "https://uri.etsi.org/ngsi-ld/default-context/"
V1 = "/entities/urn:ngsi-ld:Vehicle:V1"
ATTRS = V1 + "/attrs"
MISSING = "/entities/urn:ngsi-ld:Vehicle:missing"


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)
    assert body["title"] and body["detail"]


def assert_no_content(response: httpx.Response) -> None:
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert "content-length" not in response.headers


async def get(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get(V1, params={"options": "sysAttrs", **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def temperatures() -> list[dict[str, Any]]:
    """A multi-attribute: a default instance and two datasetIds (clause 4.5.5)."""
    return [
        {"type": "Property", "value": 20},
        {"type": "Property", "value": 21, "datasetId": "urn:ngsi-ld:Dataset:a"},
        {"type": "Property", "value": 22, "datasetId": "urn:ngsi-ld:Dataset:b"},
    ]


@pytest.fixture
async def v1(client: httpx.AsyncClient) -> dict[str, Any]:
    """Vehicle V1 with a multi-attribute ``temperature``; returns its stored form."""
    body = vehicle(temperature=temperatures())
    assert (await client.post("/entities", json=body)).status_code == 201
    return await get(client)


# --- Append Entity Attributes (5.6.3) -------------------------------------------------------


async def test_append_new_and_overwrite(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    fragment = {"speed": {"type": "Property", "value": 99}, "colour": "red"}
    assert_no_content(await client.post(ATTRS, json=fragment))
    got = await get(client)
    assert got["speed"]["value"] == 99
    assert "unitCode" not in got["speed"]  # overwritten as a whole
    assert got["speed"]["createdAt"] == v1["speed"]["createdAt"]  # 5.6.3.4 keeps createdAt
    assert got["colour"]["value"] == "red"
    assert got["modifiedAt"] >= v1["modifiedAt"]


async def test_append_no_overwrite_reports_207(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    fragment = {"speed": 1, "colour": "red"}
    response = await client.post(ATTRS, json=fragment, params={"options": "noOverwrite"})
    assert response.status_code == 207
    assert response.headers["content-type"].startswith("application/json")
    assert "link" not in response.headers
    result = response.json()
    # UpdateResult (5.2.18) with full IRIs (6.3.6).
    assert result["updated"] == [DEFAULT + "colour"]
    assert [n["attributeName"] for n in result["notUpdated"]] == [DEFAULT + "speed"]
    assert result["notUpdated"][0]["reason"]
    got = await get(client)
    assert got["speed"]["value"] == 10
    assert got["colour"]["value"] == "red"


async def test_append_no_overwrite_with_only_new_attributes_is_204(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    response = await client.post(ATTRS, json={"colour": "red"}, params={"options": "noOverwrite"})
    assert_no_content(response)


async def test_append_adds_type_and_dataset_instance(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    fragment = {
        "type": "Asset",
        "temperature": {"value": 30, "datasetId": "urn:ngsi-ld:Dataset:c"},
    }
    assert_no_content(await client.post(ATTRS, json=fragment))
    got = await get(client)
    assert got["type"] == ["Vehicle", "Asset"]
    assert [i["value"] for i in got["temperature"]] == [20, 21, 22, 30]


async def test_append_to_unknown_entity_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(MISSING + "/attrs", json={"a": 1}), 404, "ResourceNotFound")


# --- Update Entity Attributes (5.6.2) -------------------------------------------------------


async def test_update_existing_attributes(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    fragment = {
        "speed": {"value": 55},
        "temperature": {"value": 31, "datasetId": "urn:ngsi-ld:Dataset:a"},
    }
    assert_no_content(await client.patch(ATTRS, json=fragment))
    got = await get(client)
    assert got["speed"]["value"] == 55
    assert [i["value"] for i in got["temperature"]] == [20, 31, 22]


async def test_update_unknown_attribute_is_reported(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    # Unsettled (spec-notes 10.2): V1.9.1 appends unknown attributes, the V1.7.1 OAS reports them
    # in notUpdated with 207. This server follows the OAS reading.
    response = await client.patch(ATTRS, json={"speed": 3, "colour": "red"})
    assert response.status_code == 207
    result = response.json()
    assert result["updated"] == [DEFAULT + "speed"]
    assert result["notUpdated"][0]["attributeName"] == DEFAULT + "colour"
    got = await get(client)
    assert got["speed"]["value"] == 3
    assert "colour" not in got


async def test_update_null_deletes_the_instance(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    fragment = {
        "brandName": "urn:ngsi-ld:null",
        "temperature": {"value": "urn:ngsi-ld:null", "datasetId": "urn:ngsi-ld:Dataset:b"},
    }
    assert_no_content(await client.patch(ATTRS, json=fragment))
    got = await get(client)
    assert "brandName" not in got
    assert [i["value"] for i in got["temperature"]] == [20, 21]


async def test_update_accepts_merge_patch_content_type(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    # 6.3.4: PATCH requests also accept application/merge-patch+json.
    response = await client.patch(
        ATTRS, content=b'{"speed": 4}', headers={"Content-Type": "application/merge-patch+json"}
    )
    assert_no_content(response)
    assert (await get(client))["speed"]["value"] == 4


async def test_update_errors_leave_the_entity(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    cases: list[tuple[str, str, dict[str, Any], dict[str, str], int, str]] = [
        ("PATCH", MISSING + "/attrs", {"speed": 1}, {}, 404, "ResourceNotFound"),
        ("PATCH", ATTRS, {"id": "urn:ngsi-ld:Vehicle:V2", "speed": 1}, {}, 400, "BadRequestData"),
        ("PATCH", ATTRS, {"speed": 1}, {"type": "Boat"}, 404, "ResourceNotFound"),
        (
            "PATCH",
            ATTRS,
            {"speed": {"value": 1, "observedAt": "yesterday"}},
            {},
            400,
            "BadRequestData",
        ),
        ("POST", ATTRS, {"speed": "urn:ngsi-ld:null"}, {}, 400, "BadRequestData"),
        ("POST", ATTRS, {"speed": 1}, {"options": "sometimes"}, 400, "InvalidRequest"),
        ("POST", ATTRS, {"location": {"value": 5}}, {}, 400, "BadRequestData"),
        ("POST", ATTRS, {"speed": 1}, {"bogus": "1"}, 400, "InvalidRequest"),
    ]
    for method, path, body, params, status, error in cases:
        response = await client.request(method, path, json=body, params=params)
        assert_problem(response, status, error)
    assert await get(client) == v1


# --- Partial Attribute Update (5.6.4) -------------------------------------------------------


async def test_partial_update_changes_only_given_members(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    response = await client.patch(ATTRS + "/speed", json={"value": 70})
    assert_no_content(response)
    got = await get(client)
    assert (got["speed"]["value"], got["speed"]["unitCode"]) == (70, "KMH")
    assert got["speed"]["createdAt"] == v1["speed"]["createdAt"]


async def test_partial_update_selects_dataset_and_deletes_members(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    patch = {"value": 40, "datasetId": "urn:ngsi-ld:Dataset:a"}
    assert_no_content(await client.patch(ATTRS + "/temperature", json=patch))
    assert_no_content(await client.patch(ATTRS + "/speed", json={"unitCode": "urn:ngsi-ld:null"}))
    got = await get(client)
    assert [i["value"] for i in got["temperature"]] == [20, 40, 22]
    assert "unitCode" not in got["speed"]


async def test_partial_update_errors_leave_the_entity(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    cases: list[tuple[str, object, int, str]] = [
        (ATTRS + "/nothere", {"value": 1}, 404, "ResourceNotFound"),
        (MISSING + "/attrs/speed", {"value": 1}, 404, "ResourceNotFound"),
        (
            ATTRS + "/temperature",
            {"value": 1, "datasetId": "urn:ngsi-ld:Dataset:z"},
            404,
            "ResourceNotFound",
        ),
        # 5.6.4.4: changing the attribute type is not allowed.
        (
            ATTRS + "/brandName",
            {"type": "Relationship", "object": "urn:a:b"},
            400,
            "BadRequestData",
        ),
        (ATTRS + "/speed", {}, 400, "BadRequestData"),
        (ATTRS + "/speed", {"value": {"a": "urn:ngsi-ld:null"}}, 400, "BadRequestData"),
        (ATTRS + "/speed", {"observedAt": "2024-13-01T00:00:00Z"}, 400, "BadRequestData"),
        (ATTRS + "/speed", [{"value": 1}], 400, "BadRequestData"),
        (ATTRS + "/scope", {"value": 1}, 400, "BadRequestData"),
        (ATTRS + "/bad%20name", {"value": 1}, 400, "BadRequestData"),
        (ATTRS + "/isParked", {"object": "not a uri"}, 400, "BadRequestData"),
    ]
    for path, body, status, error in cases:
        assert_problem(await client.patch(path, json=body), status, error)
    assert await get(client) == v1


# --- Replace Attribute (5.6.19) -------------------------------------------------------------


async def test_replace_attribute(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    body = {"type": "Property", "value": 12, "observedAt": "2024-01-01T00:00:00Z"}
    assert_no_content(await client.put(ATTRS + "/speed", json=body))
    got = await get(client)
    assert got["speed"]["value"] == 12
    assert "unitCode" not in got["speed"]
    assert got["speed"]["observedAt"] == "2024-01-01T00:00:00Z"
    assert got["speed"]["createdAt"] == v1["speed"]["createdAt"]


async def test_replace_attribute_instance_by_dataset_id(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    body = {"value": 50, "datasetId": "urn:ngsi-ld:Dataset:b"}
    assert_no_content(await client.put(ATTRS + "/temperature", json=body))
    assert [i["value"] for i in (await get(client))["temperature"]] == [20, 21, 50]


async def test_replace_attribute_errors(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    cases: list[tuple[str, object, int, str]] = [
        (ATTRS + "/nothere", {"value": 1}, 404, "ResourceNotFound"),
        (MISSING + "/attrs/speed", {"value": 1}, 404, "ResourceNotFound"),
        (ATTRS + "/speed", {"value": "urn:ngsi-ld:null"}, 400, "BadRequestData"),
        (ATTRS + "/location", {"type": "Property", "value": 1}, 400, "BadRequestData"),
        (ATTRS + "/id", {"value": 1}, 400, "BadRequestData"),
        (ATTRS + "/speed", "fast", 400, "BadRequestData"),
    ]
    for path, body, status, error in cases:
        assert_problem(await client.put(path, json=body), status, error)
    assert await get(client) == v1


# --- Delete Attribute (5.6.5) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "left"),
    [
        ({}, [21, 22]),
        ({"datasetId": "urn:ngsi-ld:Dataset:a"}, [20, 22]),
        ({"datasetId": "@none"}, [21, 22]),
        ({"deleteAll": "true"}, None),
        ({"deleteAll": "false"}, [21, 22]),
    ],
)
async def test_delete_attribute(
    client: httpx.AsyncClient, v1: dict[str, Any], params: dict[str, str], left: list[int] | None
) -> None:
    assert_no_content(await client.delete(ATTRS + "/temperature", params=params))
    got = await get(client)
    if left is None:
        assert "temperature" not in got
    else:
        assert [i["value"] for i in got["temperature"]] == left
    assert got["modifiedAt"] >= v1["modifiedAt"]


async def test_delete_last_instance_removes_the_attribute(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    assert_no_content(await client.delete(ATTRS + "/speed"))
    assert "speed" not in await get(client)


async def test_delete_scope(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(scope="/Madrid"))
    assert_no_content(await client.delete(ATTRS + "/scope"))
    assert "scope" not in await get(client)
    assert_problem(await client.delete(ATTRS + "/scope"), 404, "ResourceNotFound")


async def test_delete_attribute_errors(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    cases: list[tuple[str, dict[str, str], int, str]] = [
        (ATTRS + "/nothere", {}, 404, "ResourceNotFound"),
        (MISSING + "/attrs/speed", {}, 404, "ResourceNotFound"),
        # Unsettled (spec-notes 10.15): an absent datasetId instance is ResourceNotFound.
        (ATTRS + "/temperature", {"datasetId": "urn:ngsi-ld:Dataset:z"}, 404, "ResourceNotFound"),
        (ATTRS + "/temperature", {"datasetId": "not a uri"}, 400, "BadRequestData"),
        (ATTRS + "/temperature", {"deleteAll": "yes"}, 400, "BadRequestData"),
        (ATTRS + "/temperature", {"type": "Boat"}, 404, "ResourceNotFound"),
        (ATTRS + "/temperature", {"limit": "1"}, 400, "InvalidRequest"),
        (ATTRS + "/%40id", {}, 400, "BadRequestData"),
        (ATTRS + "/a%3Bb", {}, 400, "BadRequestData"),
    ]
    for path, params, status, error in cases:
        assert_problem(await client.delete(path, params=params), status, error)
    assert await get(client) == v1


# --- Multi-attributes (4.5.5) ---------------------------------------------------------------


async def test_multi_attribute_round_trip(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    body = (await client.get(V1, params={"attrs": "temperature"})).json()
    assert body["temperature"] == temperatures()
    one = (await client.get(V1, params={"datasetId": "urn:ngsi-ld:Dataset:b"})).json()
    assert one["temperature"] == temperatures()[2]
    assert "speed" not in one  # no instance with that datasetId


@pytest.mark.parametrize(
    "instances",
    [
        [{"value": 1}, {"value": 2}],  # two default instances
        [{"value": 1, "datasetId": "urn:d:1"}, {"value": 2, "datasetId": "urn:d:1"}],
        [{"value": 1, "datasetId": "not a uri"}],
        [{"value": 1, "datasetId": "urn:ngsi-ld:null"}],
    ],
)
async def test_invalid_multi_attributes_are_rejected(
    client: httpx.AsyncClient, instances: list[dict[str, Any]]
) -> None:
    body = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "temperature": instances}
    assert_problem(await client.post("/entities", json=body), 400, "BadRequestData")
    assert (await client.get("/entities/urn:ngsi-ld:Thing:1")).status_code == 404
