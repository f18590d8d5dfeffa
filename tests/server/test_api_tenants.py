"""Tenants (clauses 4.14, 5.5.10, 6.3.14).

``NGSILD-Tenant`` names the tenant; creating operations create it implicitly; other operations
on a tenant that does not exist are NonexistentTenant (404); tenants are isolated, discovery
included; the tenant is echoed in every response, errors included.
"""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
V1 = "/entities/urn:ngsi-ld:Vehicle:V1"
ACME = {"NGSILD-Tenant": "acme"}
NOWHERE = {"NGSILD-Tenant": "nowhere"}


def assert_nonexistent_tenant(response: httpx.Response, tenant: str = "nowhere") -> None:
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["type"] == ERR + "NonexistentTenant"
    assert body["title"] and body["detail"]
    assert response.headers["ngsild-tenant"] == tenant


READS_AND_UPDATES: list[tuple[str, str, object]] = [
    ("GET", V1, None),
    ("GET", "/entities?type=Vehicle", None),
    ("GET", "/entities?local=true", None),
    ("DELETE", V1, None),
    ("PATCH", V1, {"speed": 1}),
    ("PUT", V1, {"type": "Vehicle"}),
    ("POST", V1 + "/attrs", {"speed": 1}),
    ("PATCH", V1 + "/attrs", {"speed": 1}),
    ("PATCH", V1 + "/attrs/speed", {"value": 1}),
    ("PUT", V1 + "/attrs/speed", {"value": 1}),
    ("DELETE", V1 + "/attrs/speed", None),
    ("POST", "/entityOperations/query", {"type": "Query", "entities": [{"type": "Vehicle"}]}),
    ("POST", "/entityOperations/update", [vehicle()]),
    ("POST", "/entityOperations/merge", [vehicle()]),
    ("POST", "/entityOperations/delete", ["urn:ngsi-ld:Vehicle:V1"]),
    ("GET", "/types", None),
    ("GET", "/types/Vehicle", None),
    ("GET", "/attributes", None),
    ("GET", "/attributes/speed", None),
]


@pytest.mark.parametrize(("method", "path", "body"), READS_AND_UPDATES)
async def test_unknown_tenant_is_nonexistent(
    client: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    response = await client.request(method, path, json=body, headers=NOWHERE)
    assert_nonexistent_tenant(response)
    # ... and none of these created the tenant.
    assert_nonexistent_tenant(await client.get("/types", headers=NOWHERE))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/entities", vehicle()),
        ("/entityOperations/create", [vehicle()]),
        # Unsettled (spec-notes 10.16): upsert is not in the creating list of 5.5.10, but
        # creates the tenant here as most brokers do.
        ("/entityOperations/upsert", [vehicle()]),
    ],
)
async def test_creating_operations_create_the_tenant(
    client: httpx.AsyncClient, path: str, body: object
) -> None:
    response = await client.post(path, json=body, headers=ACME)
    assert response.status_code == 201
    assert response.headers["ngsild-tenant"] == "acme"
    got = await client.get(V1, headers=ACME)
    assert got.status_code == 200
    assert got.headers["ngsild-tenant"] == "acme"


async def test_failed_create_does_not_create_the_tenant(client: httpx.AsyncClient) -> None:
    bad = {"id": "not a uri", "type": "Vehicle"}
    assert (await client.post("/entities", json=bad, headers=NOWHERE)).status_code == 400
    assert (
        await client.post("/entityOperations/create", json=[bad], headers=NOWHERE)
    ).status_code == 207
    assert_nonexistent_tenant(await client.get("/types", headers=NOWHERE))


async def test_tenants_are_isolated(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(1))
    await client.post(
        "/entities", json={"id": "urn:ngsi-ld:Boat:B1", "type": "Boat", "draft": 2}, headers=ACME
    )
    await client.post("/entities", json=vehicle(2, colour="red"), headers=ACME)

    default_ids = [e["id"] for e in (await client.get("/entities?local=true")).json()]
    acme_ids = [e["id"] for e in (await client.get("/entities?local=true", headers=ACME)).json()]
    assert default_ids == ["urn:ngsi-ld:Vehicle:V1"]
    assert acme_ids == ["urn:ngsi-ld:Boat:B1", "urn:ngsi-ld:Vehicle:V2"]
    assert (await client.get(V1, headers=ACME)).status_code == 404

    # Discovery is per tenant ([TS-x] 414_01, 577_01).
    assert (await client.get("/types")).json()["typeList"] == ["Vehicle"]
    assert (await client.get("/types", headers=ACME)).json()["typeList"] == ["Boat", "Vehicle"]
    assert "colour" not in (await client.get("/attributes")).json()["attributeList"]
    assert "colour" in (await client.get("/attributes", headers=ACME)).json()["attributeList"]
    assert (await client.get("/types/Boat")).status_code == 404
    counted = (await client.get("/types/Vehicle", headers=ACME)).json()
    assert counted["entityCount"] == 1


async def test_same_id_in_two_tenants(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(1, speed=1))
    assert (
        await client.post("/entities", json=vehicle(1, speed=2), headers=ACME)
    ).status_code == 201
    assert (await client.patch(V1, json={"speed": 3}, headers=ACME)).status_code == 204
    assert (await client.get(V1)).json()["speed"]["value"] == 1
    assert (await client.get(V1, headers=ACME)).json()["speed"]["value"] == 3
    assert (await client.delete(V1, headers=ACME)).status_code == 204
    assert (await client.get(V1)).status_code == 200
    # A tenant stays after its last entity is gone.
    assert (await client.get("/entities?local=true", headers=ACME)).json() == []


async def test_batch_operations_stay_in_their_tenant(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(1))
    await client.post("/entities", json=vehicle(9), headers=ACME)
    response = await client.post(
        "/entityOperations/delete", json=["urn:ngsi-ld:Vehicle:V1"], headers=ACME
    )
    assert response.status_code == 207
    assert response.json()["errors"][0]["error"]["type"] == ERR + "ResourceNotFound"
    assert (await client.get(V1)).status_code == 200


async def test_tenant_is_echoed_on_every_answer(client: httpx.AsyncClient) -> None:
    await client.post("/entities", json=vehicle(), headers=ACME)
    answers = [
        await client.get(V1, headers=ACME),
        await client.patch(V1, json={"speed": 1}, headers=ACME),
        await client.get("/entities/urn:ngsi-ld:Vehicle:missing", headers=ACME),
        await client.get("/entities", headers=ACME),  # 400: too wide
        await client.post(
            "/entities", content=b"{", headers={**ACME, "Content-Type": "application/json"}
        ),
        await client.get(V1, headers={**ACME, "Accept": "text/html"}),  # 406
        await client.delete("/entities", headers=ACME),  # 405
    ]
    assert [a.status_code for a in answers] == [200, 204, 404, 400, 400, 406, 405]
    for answer in answers:
        assert answer.headers["ngsild-tenant"] == "acme"
    assert "ngsild-tenant" not in (await client.get(V1)).headers
