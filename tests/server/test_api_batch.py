"""Batch entity operations (clauses 5.6.7-5.6.10, 5.6.20, 5.7.2; 6.14-6.18, 6.23, 6.31).

All succeeded: 201 (create; upsert that created something) or 204; otherwise 207 with a
BatchOperationResult ``{success: [id], errors: [{entityId, error: ProblemDetails}]}`` (5.2.16,
5.2.17), always ``application/json`` (6.3.6). A failed item leaves no trace.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.server.conftest import CORE_V18, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
IDS = [f"urn:ngsi-ld:Vehicle:V{n}" for n in range(1, 4)]


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert (body["type"], body["status"]) == (ERR + error, status)
    assert body["title"] and body["detail"]


def batch_result(response: httpx.Response) -> tuple[list[str], dict[str, str]]:
    """Check a 207 BatchOperationResult; returns (success ids, {failed id: error name})."""
    assert response.status_code == 207, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "link" not in response.headers
    body = response.json()
    assert set(body) == {"success", "errors"}
    errors: dict[str, str] = {}
    for entry in body["errors"]:
        problem = entry["error"]
        assert problem["type"].startswith(ERR)
        assert problem["title"] and problem["detail"] and problem["status"] >= 400
        errors[entry["entityId"]] = problem["type"].removeprefix(ERR)
    return body["success"], errors


async def entity(client: httpx.AsyncClient, entity_id: str) -> dict[str, Any] | None:
    response = await client.get(f"/entities/{entity_id}", params={"options": "sysAttrs"})
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_all(client: httpx.AsyncClient, *numbers: int) -> None:
    for n in numbers:
        assert (await client.post("/entities", json=vehicle(n))).status_code == 201


# --- whole-request errors -------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["create", "upsert", "update", "delete", "merge"])
@pytest.mark.parametrize(
    ("body", "error"),
    [
        ([], "BadRequestData"),  # 5.6.8.4: empty array
        ([None], "BadRequestData"),  # 5.6.8.4: a null item
        ({"id": "urn:a:b", "type": "T"}, "BadRequestData"),  # not an array
        ("urn:a:b", "BadRequestData"),
    ],
)
async def test_batch_body_must_be_a_non_empty_array(
    client: httpx.AsyncClient, operation: str, body: object, error: str
) -> None:
    response = await client.post(f"/entityOperations/{operation}", json=body)
    assert_problem(response, 400, error)


async def test_batch_size_limit(client: httpx.AsyncClient) -> None:
    ids = [f"urn:x:{n}" for n in range(1001)]
    assert_problem(await client.post("/entityOperations/delete", json=ids), 400, "BadRequestData")


async def test_batch_unknown_option_and_parameter(client: httpx.AsyncClient) -> None:
    body = [vehicle(1)]
    response = await client.post("/entityOperations/upsert", json=body, params={"options": "x"})
    assert_problem(response, 400, "InvalidRequest")
    response = await client.post("/entityOperations/create", json=body, params={"limit": "1"})
    assert_problem(response, 400, "InvalidRequest")
    assert await entity(client, IDS[0]) is None


# --- Batch Create (5.6.7) -------------------------------------------------------------------


async def test_batch_create_all_ok(client: httpx.AsyncClient) -> None:
    response = await client.post("/entityOperations/create", json=[vehicle(1), vehicle(2)])
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == IDS[:2]
    assert (await entity(client, IDS[1]) or {})["speed"]["value"] == 20


async def test_batch_create_partial_failure_leaves_no_trace(client: httpx.AsyncClient) -> None:
    await create_all(client, 3)
    existing = await entity(client, IDS[2])
    items: list[Any] = [
        vehicle(1),
        {
            "id": "urn:ngsi-ld:Vehicle:bad",
            "type": "Vehicle",
            "speed": {"value": 1, "observedAt": "x"},
        },
        {"id": "not a uri", "type": "Vehicle"},
        {"id": "urn:ngsi-ld:Vehicle:notype"},
        vehicle(3, speed=999),  # exists already
        vehicle(1),  # duplicate in the batch (TS 003_10)
        "urn:ngsi-ld:Vehicle:string",
    ]
    success, errors = batch_result(await client.post("/entityOperations/create", json=items))
    assert success == [IDS[0]]
    assert errors == {
        "urn:ngsi-ld:Vehicle:bad": "BadRequestData",
        "not a uri": "BadRequestData",
        "urn:ngsi-ld:Vehicle:notype": "BadRequestData",
        IDS[2]: "AlreadyExists",
        IDS[0]: "AlreadyExists",  # the duplicate: its first occurrence created V1
        "urn:ngsi-ld:Vehicle:string": "BadRequestData",  # not an object
    }
    for missing in ("urn:ngsi-ld:Vehicle:bad", "urn:ngsi-ld:Vehicle:notype"):
        assert await entity(client, missing) is None
    assert await entity(client, IDS[2]) == existing


async def test_batch_create_ld_json_with_context_per_item(client: httpx.AsyncClient) -> None:
    items = [
        {**vehicle(1), "@context": [{"speed": "https://example.org/speed"}, CORE_V18]},
        {**vehicle(2), "@context": CORE_V18},
    ]
    response = await client.post(
        "/entityOperations/create",
        content=json.dumps(items),
        headers={"Content-Type": "application/ld+json"},
    )
    assert response.status_code == 201
    first = await entity(client, IDS[0]) or {}
    assert "https://example.org/speed" in first
    assert "speed" in (await entity(client, IDS[1]) or {})


async def test_batch_create_ld_json_item_without_context(client: httpx.AsyncClient) -> None:
    items = [{**vehicle(1), "@context": CORE_V18}, vehicle(2)]
    response = await client.post(
        "/entityOperations/create",
        content=json.dumps(items),
        headers={"Content-Type": "application/ld+json"},
    )
    assert_problem(response, 400, "BadRequestData")
    assert await entity(client, IDS[0]) is None


# --- Batch Upsert (5.6.8) -------------------------------------------------------------------


async def test_batch_upsert_outcomes(client: httpx.AsyncClient) -> None:
    first = await client.post("/entityOperations/upsert", json=[vehicle(1), vehicle(2)])
    assert first.status_code == 201
    assert first.json() == IDS[:2]
    # All existed: 204, no body.
    again = await client.post("/entityOperations/upsert", json=[vehicle(1), vehicle(2)])
    assert again.status_code == 204
    assert again.content == b""
    # Some created: 201 lists only the created ids (5.6.8.5).
    mixed = await client.post("/entityOperations/upsert", json=[vehicle(2), vehicle(3)])
    assert mixed.status_code == 201
    assert mixed.json() == [IDS[2]]


async def test_batch_upsert_replace_is_the_default(client: httpx.AsyncClient) -> None:
    await create_all(client, 1)
    created = (await entity(client, IDS[0]) or {})["createdAt"]
    item = {"id": IDS[0], "type": "Vehicle", "colour": "red"}
    assert (await client.post("/entityOperations/upsert", json=[item])).status_code == 204
    got = await entity(client, IDS[0]) or {}
    assert set(got) == {"id", "type", "createdAt", "modifiedAt", "colour"}
    assert got["createdAt"] == created
    explicit = await client.post(
        "/entityOperations/upsert", json=[vehicle(1)], params={"options": "replace"}
    )
    assert explicit.status_code == 204
    assert "colour" not in (await entity(client, IDS[0]) or {})


async def test_batch_upsert_update_keeps_other_attributes(client: httpx.AsyncClient) -> None:
    await create_all(client, 1)
    item = {"id": IDS[0], "type": "Asset", "colour": "red", "speed": 5}
    response = await client.post(
        "/entityOperations/upsert", json=[item], params={"options": "update"}
    )
    assert response.status_code == 204
    got = await entity(client, IDS[0]) or {}
    assert got["type"] == ["Vehicle", "Asset"]
    assert got["colour"]["value"] == "red"
    assert got["speed"]["value"] == 5
    assert got["brandName"]["value"] == "Mercedes"


async def test_batch_upsert_duplicates_last_wins(client: httpx.AsyncClient) -> None:
    items = [vehicle(1, speed=1), vehicle(1, speed=2)]
    response = await client.post("/entityOperations/upsert", json=items)
    assert response.status_code == 201
    assert response.json() == [IDS[0]]  # TS 004_07: ids listed once
    assert (await entity(client, IDS[0]) or {})["speed"]["value"] == 2


async def test_batch_upsert_failed_item_leaves_original(client: httpx.AsyncClient) -> None:
    await create_all(client, 1)
    before = await entity(client, IDS[0])
    bad = vehicle(1, speed={"type": "Relationship", "object": "not a uri"})
    success, errors = batch_result(
        await client.post("/entityOperations/upsert", json=[bad, vehicle(2)])
    )
    assert success == [IDS[1]]
    assert errors == {IDS[0]: "BadRequestData"}
    assert await entity(client, IDS[0]) == before


# --- Batch Update (5.6.9) -------------------------------------------------------------------


async def test_batch_update(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2)
    items = [
        {"id": IDS[0], "type": "Vehicle", "speed": 11, "colour": "red"},
        {"id": IDS[1], "type": "Vehicle", "speed": 22},
    ]
    assert (await client.post("/entityOperations/update", json=items)).status_code == 204
    first = await entity(client, IDS[0]) or {}
    assert (first["speed"]["value"], first["colour"]["value"]) == (11, "red")
    assert first["brandName"]["value"] == "Mercedes"
    assert (await entity(client, IDS[1]) or {})["speed"]["value"] == 22


async def test_batch_update_no_overwrite(client: httpx.AsyncClient) -> None:
    await create_all(client, 1)
    items = [{"id": IDS[0], "type": "Vehicle", "speed": 11, "colour": "red"}]
    response = await client.post(
        "/entityOperations/update", json=items, params={"options": "noOverwrite"}
    )
    assert response.status_code == 204
    got = await entity(client, IDS[0]) or {}
    assert (got["speed"]["value"], got["colour"]["value"]) == (10, "red")


async def test_batch_update_failures(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2)
    before = await entity(client, IDS[1])
    items: list[Any] = [
        {"id": IDS[0], "type": "Vehicle", "speed": 11},
        {"id": IDS[1], "type": "Vehicle", "speed": 1, "bad name": 2},
        {"id": "urn:ngsi-ld:Vehicle:missing", "type": "Vehicle", "speed": 1},
        {"type": "Vehicle", "speed": 1},
    ]
    success, errors = batch_result(await client.post("/entityOperations/update", json=items))
    assert success == [IDS[0]]
    assert errors == {
        IDS[1]: "BadRequestData",
        "urn:ngsi-ld:Vehicle:missing": "ResourceNotFound",
        "": "BadRequestData",
    }
    assert await entity(client, IDS[1]) == before
    assert await entity(client, "urn:ngsi-ld:Vehicle:missing") is None


# --- Batch Delete (5.6.10) ------------------------------------------------------------------


async def test_batch_delete(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2, 3)
    response = await client.post("/entityOperations/delete", json=IDS[:2])
    assert response.status_code == 204
    assert await entity(client, IDS[0]) is None
    assert await entity(client, IDS[2]) is not None


async def test_batch_delete_failures(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2)
    items: list[Any] = [IDS[0], "urn:ngsi-ld:Vehicle:missing", "not-a-uri", 42]
    success, errors = batch_result(await client.post("/entityOperations/delete", json=items))
    assert success == [IDS[0]]
    assert errors == {
        "urn:ngsi-ld:Vehicle:missing": "ResourceNotFound",  # TS 006_02
        "not-a-uri": "BadRequestData",
        "": "BadRequestData",
    }
    assert await entity(client, IDS[1]) is not None


# --- Batch Merge (5.6.20) -------------------------------------------------------------------


async def test_batch_merge(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2)
    items = [
        {"id": IDS[0], "type": "Vehicle", "speed": {"value": 1}, "brandName": "urn:ngsi-ld:null"},
        {"id": IDS[1], "type": "Vehicle", "colour": "red"},
    ]
    assert (await client.post("/entityOperations/merge", json=items)).status_code == 204
    first = await entity(client, IDS[0]) or {}
    assert first["speed"] == {
        "type": "Property",
        "value": 1,
        "unitCode": "KMH",
        "createdAt": first["speed"]["createdAt"],
        "modifiedAt": first["speed"]["modifiedAt"],
    }
    assert "brandName" not in first
    assert (await entity(client, IDS[1]) or {})["colour"]["value"] == "red"


async def test_batch_merge_failures(client: httpx.AsyncClient) -> None:
    await create_all(client, 1)
    before = await entity(client, IDS[0])
    items: list[Any] = [
        {"id": IDS[0], "type": "Vehicle", "location": {"type": "Property", "value": 1}},
        {"id": "urn:ngsi-ld:Vehicle:missing", "type": "Vehicle", "speed": 1},
    ]
    success, errors = batch_result(await client.post("/entityOperations/merge", json=items))
    assert success == []
    assert errors == {IDS[0]: "BadRequestData", "urn:ngsi-ld:Vehicle:missing": "ResourceNotFound"}
    assert await entity(client, IDS[0]) == before


# --- Query via POST (5.7.2, 6.23) -----------------------------------------------------------


def query(**members: Any) -> dict[str, Any]:
    return {"type": "Query", **members}


@pytest.fixture
async def fleet(client: httpx.AsyncClient) -> None:
    await create_all(client, 1, 2, 3)
    boat = {"id": "urn:ngsi-ld:Boat:B1", "type": "Boat", "speed": 5}
    assert (await client.post("/entities", json=boat)).status_code == 201


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (query(entities=[{"type": "Vehicle"}]), IDS),
        (
            query(entities=[{"type": "Boat"}, {"id": IDS[0], "type": "Vehicle"}]),
            [IDS[0], "urn:ngsi-ld:Boat:B1"],
        ),
        (query(entities=[{"idPattern": "V[12]$", "type": "Vehicle"}]), IDS[:2]),
        (query(entities=[{"type": "Vehicle"}], q="speed>15"), IDS[1:]),
        (query(attrs=["speed"], q="speed<=10"), [IDS[0], "urn:ngsi-ld:Boat:B1"]),
        (query(entities=[{"type": "Vehicle|Boat"}], q="speed==5"), ["urn:ngsi-ld:Boat:B1"]),
    ],
)
async def test_post_query_selects(
    client: httpx.AsyncClient, fleet: None, body: dict[str, Any], expected: list[str]
) -> None:
    response = await client.post("/entityOperations/query", json=body)
    assert response.status_code == 200, response.text
    assert sorted(e["id"] for e in response.json()) == sorted(expected)


async def test_post_query_representation_and_paging(client: httpx.AsyncClient, fleet: None) -> None:
    body = query(entities=[{"type": "Vehicle"}], attrs=["speed"])
    response = await client.post(
        "/entityOperations/query",
        json=body,
        params={"options": "keyValues", "limit": "2", "count": "true"},
    )
    assert response.status_code == 200
    assert response.json() == [
        {"id": IDS[0], "type": "Vehicle", "speed": 10},
        {"id": IDS[1], "type": "Vehicle", "speed": 20},
    ]
    assert response.headers["ngsild-results-count"] == "3"
    assert 'rel="next"' in response.headers["link"]


async def test_post_query_ld_json_and_geo_json(client: httpx.AsyncClient, fleet: None) -> None:
    body = {**query(entities=[{"type": "Vehicle"}]), "@context": CORE_V18}
    response = await client.post(
        "/entityOperations/query",
        content=json.dumps(body),
        headers={"Content-Type": "application/ld+json", "Accept": "application/ld+json"},
    )
    assert response.status_code == 200
    assert all(e["@context"] == CORE_V18 for e in response.json())
    geo = await client.post(
        "/entityOperations/query",
        json=query(entities=[{"type": "Vehicle"}]),
        headers={"Accept": "application/geo+json"},
    )
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert geo.json()["type"] == "FeatureCollection"
    assert len(geo.json()["features"]) == 3


@pytest.mark.parametrize(
    "body",
    [
        {"entities": [{"type": "Vehicle"}]},  # type: Query missing
        query(entities={"type": "Vehicle"}),
        query(entities=[{"type": 5}]),
        query(entities=[{"type": "Vehicle"}], attrs="speed"),
        query(entities=[{"type": "Vehicle"}], q="speed>>1"),
        query(entities=[{"type": "Vehicle", "idPattern": "(["}]),
        query(),  # too wide: no filter at all (5.7.2.4)
        query(entities=[{}]),
        [query(entities=[{"type": "Vehicle"}])],
    ],
)
async def test_post_query_bad_bodies(client: httpx.AsyncClient, fleet: None, body: object) -> None:
    response = await client.post("/entityOperations/query", json=body)
    assert_problem(response, 400, "BadRequestData")


async def test_post_query_not_acceptable(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/entityOperations/query",
        json=query(entities=[{"type": "Vehicle"}]),
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 406
