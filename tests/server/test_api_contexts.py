"""User @context over HTTP (clauses 5.5.5, 5.5.7, 6.3.5, 6.3.6).

Names are expanded and compacted with the @context of the current request: a Link header
(application/json) or the body (application/ld+json). A remote user @context is served by an
httpx.MockTransport standing in for the network.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from reference_server.app import create_app
from reference_server.config import Settings
from reference_server.jsonld import ContextResolver, ContextSettings
from tests.server.conftest import API, CORE_V18, link_to

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
EX = "https://example.org/"
DEFAULT = "https://uri.etsi.org/ngsi-ld/default-context/"
USER_CTX = "https://contexts.example.org/vehicle.jsonld"
OTHER_CTX = "https://contexts.example.org/other.jsonld"
CONTEXTS: dict[str, Any] = {
    USER_CTX: {
        "Vehicle": EX + "Vehicle",
        "speed": EX + "speed",
        "brand": "https://schema.org/brand",
        "category": {"@id": EX + "category", "@type": "@vocab"},
        "Commercial": EX + "Commercial",
    },
    OTHER_CTX: {"Vehicle": "https://other.example/Vehicle", "velocity": EX + "speed"},
}
LINK = {"Link": link_to(USER_CTX)}
V1 = "/entities/urn:ngsi-ld:Vehicle:V1"


def serve(request: httpx.Request) -> httpx.Response:
    context = CONTEXTS.get(str(request.url))
    if context is None:
        return httpx.Response(404)
    return httpx.Response(200, json={"@context": context})


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The platform with remote @context fetching routed to ``serve``."""
    app = create_app(settings)
    resolver = ContextResolver(
        ContextSettings(remote_enabled=True), transport=httpx.MockTransport(serve)
    )
    app.state.ngsi = dataclasses.replace(app.state.ngsi, resolver=resolver)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        yield http
    await app.state.ngsi.store.close()
    await resolver.aclose()


def entity(**members: Any) -> dict[str, Any]:
    return {
        "id": "urn:ngsi-ld:Vehicle:V1",
        "type": "Vehicle",
        "speed": {"type": "Property", "value": 80},
        "brand": {"type": "Property", "value": "Mercedes"},
        "colour": {"type": "Property", "value": "red"},
        **members,
    }


@pytest.fixture
async def v1(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", json=entity(), headers=LINK)
    assert response.status_code == 201, response.text


async def test_link_header_context_round_trip(client: httpx.AsyncClient, v1: None) -> None:
    response = await client.get(V1, headers=LINK)
    assert response.json() == entity()
    # The answer names the request's @context (6.3.6), not the core one.
    assert f"<{USER_CTX}>" in response.headers["link"]
    assert CORE_V18 not in response.headers["link"]


async def test_without_context_names_are_full_iris(client: httpx.AsyncClient, v1: None) -> None:
    body = (await client.get(V1)).json()
    assert body["type"] == EX + "Vehicle"
    assert body[EX + "speed"] == {"type": "Property", "value": 80}
    assert body["https://schema.org/brand"]["value"] == "Mercedes"
    # A name the user context did not define expanded with the core @vocab.
    assert body["colour"]["value"] == "red"


async def test_another_context_gives_other_names(client: httpx.AsyncClient, v1: None) -> None:
    other = {"Link": link_to(OTHER_CTX)}
    body = (await client.get(V1, headers=other)).json()
    assert body["velocity"] == {"type": "Property", "value": 80}
    assert body["type"] == EX + "Vehicle"  # OTHER_CTX's Vehicle is another IRI


async def test_core_created_names_seen_through_a_user_context(
    client: httpx.AsyncClient,
) -> None:
    # Created without a user context: speed is default-context/speed, not example.org/speed.
    await client.post("/entities", json=entity())
    body = (await client.get(V1, headers=LINK)).json()
    assert "speed" not in body
    assert {k for k in body if k.endswith("speed")} <= {
        DEFAULT + "speed",
        "ngsi-ld:default-context/speed",
    }
    assert body["type"] in (DEFAULT + "Vehicle", "ngsi-ld:default-context/Vehicle")


async def test_query_expands_with_the_request_context(client: httpx.AsyncClient, v1: None) -> None:
    found = await client.get("/entities", params={"type": "Vehicle", "q": "speed>50"}, headers=LINK)
    assert [e["id"] for e in found.json()] == ["urn:ngsi-ld:Vehicle:V1"]
    # Without the context, Vehicle and speed are other IRIs.
    assert (await client.get("/entities", params={"type": "Vehicle"})).json() == []
    assert (await client.get("/entities", params={"q": "speed>50"})).json() == []
    by_iri = await client.get("/entities", params={"type": EX + "Vehicle"})
    assert len(by_iri.json()) == 1
    # The type parameter of Retrieve Entity expands the same way.
    assert (await client.get(V1, params={"type": "Vehicle"}, headers=LINK)).status_code == 200
    assert (await client.get(V1, params={"type": "Vehicle"})).status_code == 404


async def test_updates_use_the_request_context(client: httpx.AsyncClient, v1: None) -> None:
    assert (
        await client.patch(V1 + "/attrs/speed", json={"value": 90}, headers=LINK)
    ).status_code == 204
    # Without the context "speed" is another attribute, which does not exist.
    assert (await client.patch(V1 + "/attrs/speed", json={"value": 1})).status_code == 404
    body = (await client.get(V1, headers=LINK)).json()
    assert body["speed"]["value"] == 90


async def test_vocab_property_values_are_compacted(client: httpx.AsyncClient, v1: None) -> None:
    fragment = {"category": {"type": "VocabProperty", "vocab": "Commercial"}}
    assert (await client.post(V1 + "/attrs", json=fragment, headers=LINK)).status_code == 204
    assert (await client.get(V1, headers=LINK)).json()["category"]["vocab"] == "Commercial"
    plain = (await client.get(V1)).json()
    assert plain[EX + "category"]["vocab"] == EX + "Commercial"


async def test_ld_json_answer_embeds_the_user_context(client: httpx.AsyncClient, v1: None) -> None:
    response = await client.get(V1, headers={**LINK, "Accept": "application/ld+json"})
    assert response.json()["@context"] == USER_CTX
    assert "link" not in response.headers


async def test_inline_context_in_ld_json_body(client: httpx.AsyncClient) -> None:
    inline = {"Vehicle": EX + "Vehicle", "speed": EX + "speed"}
    body = {**entity(), "@context": [inline, CORE_V18]}
    response = await client.post(
        "/entities",
        content=json.dumps(body),
        headers={"Content-Type": "application/ld+json"},
    )
    assert response.status_code == 201
    stored = (await client.get(V1, headers=LINK)).json()
    assert stored["speed"]["value"] == 80
    assert stored["type"] == "Vehicle"
    # An inline context answers in the body of an ld+json query.
    query = {"type": "Query", "entities": [{"type": "Vehicle"}], "@context": inline}
    answer = await client.post(
        "/entityOperations/query",
        content=json.dumps(query),
        headers={"Content-Type": "application/ld+json", "Accept": "application/ld+json"},
    )
    assert answer.status_code == 200
    [found] = answer.json()
    assert found["speed"]["value"] == 80
    assert found["@context"] == inline


async def test_discovery_uses_the_request_context(client: httpx.AsyncClient, v1: None) -> None:
    short = (await client.get("/types", headers=LINK)).json()
    assert short["typeList"] == ["Vehicle"]
    full = (await client.get("/types")).json()
    assert full["typeList"] == [EX + "Vehicle"]
    info = await client.get("/types/Vehicle", headers=LINK)
    assert info.status_code == 200
    assert info.json()["id"] == EX + "Vehicle"
    assert (await client.get("/types/Vehicle")).status_code == 404  # [TS] 024_01
    names = (await client.get("/attributes", headers=LINK)).json()["attributeList"]
    assert sorted(names) == ["brand", "colour", "speed"]


async def test_context_errors(client: httpx.AsyncClient, v1: None) -> None:
    missing = await client.get(V1, headers={"Link": link_to("https://contexts.example.org/404")})
    assert missing.status_code == 504
    assert missing.json()["type"] == ERR + "LdContextNotAvailable"
    for bad_context in (
        {"@vocab": 5},
        {"speed": {"@id": 5}},
        {"speed": {"@id": EX + "speed", "@context": {"a": EX + "a"}}},  # scoped: 5.5.7
        [None, 5],
    ):
        response = await client.post(
            "/entities",
            content=json.dumps({**entity(id="urn:ngsi-ld:Vehicle:V2"), "@context": bad_context}),
            headers={"Content-Type": "application/ld+json"},
        )
        assert response.status_code == 400, bad_context
        assert response.json()["type"] == ERR + "BadRequestData"
    assert (await client.get("/entities/urn:ngsi-ld:Vehicle:V2")).status_code == 404
