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


# --- helpers ------------------------------------------------------------------------------

V1 = "/entities/urn:ngsi-ld:Vehicle:V1"


def assert_problem(response: httpx.Response, status: int, error: str) -> None:
    """A ProblemDetails answer (clause 5.5.3) of the given status and NGSI-LD error type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["type"] == ERR + error
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]


async def stored(client: httpx.AsyncClient, path: str = V1) -> dict[str, object]:
    response = await client.get(path, params={"options": "sysAttrs"})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


# --- Create Entity (5.6.1) ------------------------------------------------------------------


async def test_create_concise_input_is_normalized(client: httpx.AsyncClient) -> None:
    body = {
        "id": "urn:ngsi-ld:Vehicle:C1",
        "type": "Vehicle",
        "speed": 50,
        "brandName": {"value": "Seat"},
        "isParked": {"object": "urn:ngsi-ld:Parking:P9"},
        "location": {"type": "Point", "coordinates": [1.0, 2.0]},
    }
    assert (await client.post("/entities", json=body)).status_code == 201
    got = (await client.get("/entities/urn:ngsi-ld:Vehicle:C1")).json()
    assert got["speed"] == {"type": "Property", "value": 50}
    assert got["brandName"] == {"type": "Property", "value": "Seat"}
    assert got["isParked"] == {"type": "Relationship", "object": "urn:ngsi-ld:Parking:P9"}
    assert got["location"]["type"] == "GeoProperty"


async def test_create_with_several_types(client: httpx.AsyncClient) -> None:
    body = {"id": "urn:ngsi-ld:Thing:1", "type": ["Vehicle", "Asset"]}
    assert (await client.post("/entities", json=body)).status_code == 201
    got = (await client.get("/entities/urn:ngsi-ld:Thing:1")).json()
    assert got["type"] == ["Vehicle", "Asset"]


async def test_create_location_percent_encodes_the_id(client: httpx.AsyncClient) -> None:
    body = {"id": "urn:ngsi-ld:Vehicle:with space?", "type": "Vehicle"}
    # A space is not allowed in a URI: the id is rejected, nothing is created.
    assert_problem(await client.post("/entities", json=body), 400, "BadRequestData")
    body = {"id": "https://example.org/cars/1?x=1#frag", "type": "Vehicle"}
    response = await client.post("/entities", json=body)
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith("/ngsi-ld/v1/entities/")
    assert (await client.get(location.removeprefix("/ngsi-ld/v1"))).json()["id"] == body["id"]


async def test_create_ignores_client_system_attributes(client: httpx.AsyncClient) -> None:
    # Unsettled (spec-notes 10.13): createdAt/modifiedAt from clients are ignored, not rejected.
    body = vehicle(createdAt="2000-01-01T00:00:00Z", modifiedAt="2000-01-01T00:00:00Z")
    assert (await client.post("/entities", json=body)).status_code == 201
    got = await stored(client)
    assert got["createdAt"] != "2000-01-01T00:00:00Z"


async def test_failed_create_409_keeps_the_original(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    before = await stored(client)
    other = {"id": "urn:ngsi-ld:Vehicle:V1", "type": "Boat", "speed": 1}
    assert_problem(await client.post("/entities", json=other), 409, "AlreadyExists")
    assert await stored(client) == before


# --- Retrieve Entity (5.7.1) ----------------------------------------------------------------


async def test_retrieve_with_matching_and_other_type(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    assert (await client.get(V1, params={"type": "Vehicle"})).status_code == 200
    assert (await client.get(V1, params={"type": "Boat|Vehicle"})).status_code == 200
    assert_problem(await client.get(V1, params={"type": "Boat"}), 404, "ResourceNotFound")


async def test_retrieve_attrs_projects_and_404s_without_any(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    body = (await client.get(V1, params={"attrs": "speed,nothere"})).json()
    assert set(body) == {"id", "type", "speed"}
    # 5.7.1.4: none of the listed attributes -> ResourceNotFound.
    assert_problem(await client.get(V1, params={"attrs": "nothere"}), 404, "ResourceNotFound")


async def test_retrieve_pick_and_omit(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    picked = (await client.get(V1, params={"pick": "id,speed"})).json()
    assert picked == {
        "id": "urn:ngsi-ld:Vehicle:V1",
        "speed": {"type": "Property", "value": 10, "unitCode": "KMH"},
    }
    omitted = (await client.get(V1, params={"omit": "type,speed,location"})).json()
    assert set(omitted) == {"id", "brandName", "isParked"}
    both = await client.get(V1, params={"pick": "speed", "omit": "type"})
    assert_problem(both, 400, "BadRequestData")


async def test_retrieve_invalid_path_ids_are_bad_request(client: httpx.AsyncClient) -> None:
    for raw in ("abc", "1:abc", "urn", "%20urn:x:1", "urn:ngsi-ld:null"):
        assert_problem(await client.get(f"/entities/{raw}"), 400, "BadRequestData")


# --- Delete Entity (5.6.6) ------------------------------------------------------------------


async def test_delete_with_type_parameter(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    # 5.6.6.4: with ``type``, an entity of another type is not found and stays.
    assert_problem(await client.delete(V1, params={"type": "Boat"}), 404, "ResourceNotFound")
    assert (await client.get(V1)).status_code == 200
    assert_problem(await client.delete(V1, params={"type": "(("}), 400, "BadRequestData")
    assert (await client.delete(V1, params={"type": "Vehicle"})).status_code == 204
    assert (await client.get(V1)).status_code == 404


async def test_delete_invalid_id(client: httpx.AsyncClient) -> None:
    assert_problem(await client.delete("/entities/not-a-uri"), 400, "BadRequestData")


# --- Merge Entity (5.6.17, 5.5.12) ----------------------------------------------------------


async def test_merge_null_deletes_attribute_and_value_keys(client: httpx.AsyncClient) -> None:
    entity = vehicle(
        address={"type": "Property", "value": {"city": "Porto", "zip": "4000"}},
        colour={
            "type": "Property",
            "value": "red",
            "shade": {"type": "Property", "value": "dark"},
        },
    )
    await client.post("/entities", json=entity)
    patch = {
        "brandName": "urn:ngsi-ld:null",
        "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:null"},
        "address": {"type": "Property", "value": {"zip": "urn:ngsi-ld:null", "street": "Rua"}},
        # A type-less object needs a value member, else it is itself a Property value.
        "colour": {"value": "red", "shade": "urn:ngsi-ld:null"},
    }
    assert (await client.patch(V1, json=patch)).status_code == 204
    got = (await client.get(V1)).json()
    assert "brandName" not in got
    assert "isParked" not in got
    assert got["address"]["value"] == {"city": "Porto", "street": "Rua"}
    assert got["colour"] == {"type": "Property", "value": "red"}
    assert got["speed"] == {"type": "Property", "value": 10, "unitCode": "KMH"}


async def test_merge_keeps_unmentioned_members(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    assert (await client.patch(V1, json={"speed": {"value": 77}})).status_code == 204
    assert (await client.get(V1)).json()["speed"] == {
        "type": "Property",
        "value": 77,
        "unitCode": "KMH",
    }


async def test_merge_adds_types_and_replaces_scope(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(scope="/Madrid"))
    patch = {"type": "Asset", "scope": ["/Porto/Centre"]}
    assert (await client.patch(V1, json=patch)).status_code == 204
    got = (await client.get(V1)).json()
    assert got["type"] == ["Vehicle", "Asset"]
    assert got["scope"] == "/Porto/Centre"


async def test_merge_patch_content_type(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    response = await client.patch(
        V1,
        content=b'{"speed": 5}',
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 204
    assert (await client.get(V1)).json()["speed"]["value"] == 5


async def test_merge_errors(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    before = await stored(client)
    unknown = await client.patch("/entities/urn:ngsi-ld:Vehicle:nope", json={"speed": 1})
    assert_problem(unknown, 404, "ResourceNotFound")
    other_id = await client.patch(V1, json={"id": "urn:ngsi-ld:Vehicle:V2", "speed": 1})
    assert_problem(other_id, 400, "BadRequestData")
    other_type = await client.patch(V1, json={"speed": 1}, params={"type": "Boat"})
    assert_problem(other_type, 404, "ResourceNotFound")
    not_object = await client.patch(V1, json=[{"speed": 1}])
    assert_problem(not_object, 400, "BadRequestData")
    assert await stored(client) == before


# --- Replace Entity (5.6.18) ----------------------------------------------------------------


async def test_replace_keeps_created_at_and_may_change_type(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    created = (await stored(client))["createdAt"]
    new = {"id": "urn:ngsi-ld:Vehicle:V1", "type": "Car", "colour": "blue"}
    assert (await client.put(V1, json=new)).status_code == 204
    got = await stored(client)
    assert got["createdAt"] == created
    assert got["type"] == "Car"
    assert set(got) == {"id", "type", "createdAt", "modifiedAt", "colour"}


async def test_replace_errors_leave_the_entity(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle())
    before = await stored(client)
    cases: list[tuple[object, int, str]] = [
        ({"type": "Vehicle", "id": "urn:ngsi-ld:Vehicle:V2"}, 400, "BadRequestData"),
        ({"speed": 1}, 400, "BadRequestData"),  # type is required
        ({"type": "Vehicle", "speed": "urn:ngsi-ld:null"}, 400, "BadRequestData"),
        ({"type": "Vehicle", "bad name": 1}, 400, "BadRequestData"),
        (["type", "Vehicle"], 400, "BadRequestData"),
    ]
    for body, status, error in cases:
        assert_problem(await client.put(V1, json=body), status, error)
    assert await stored(client) == before
    missing = await client.put("/entities/urn:ngsi-ld:Vehicle:nope", json={"type": "Vehicle"})
    assert_problem(missing, 404, "ResourceNotFound")
    assert (await client.get("/entities/urn:ngsi-ld:Vehicle:nope")).status_code == 404
