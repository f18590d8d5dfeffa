"""HTTP binding rules (clauses 6.3.2-6.3.6, 6.3.20): content negotiation (406, 415), bodies
(411, 413, malformed JSON), @context placement in requests, response headers, ProblemDetails,
405 with Allow, unknown URL parameters."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.server.conftest import CORE_V18, link_to, vehicle

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
V1 = "/entities/urn:ngsi-ld:Vehicle:V1"
MISSING = "/entities/urn:ngsi-ld:Vehicle:missing"


def assert_bare_415(response: httpx.Response) -> None:
    """6.3.4: an unsupported Content-Type is "just a 415" without any payload body."""
    assert response.status_code == 415, response.text
    assert response.content == b""
    assert "application/json" in response.headers["accept-post"]


def assert_problem(response: httpx.Response, status: int, error: str | None = None) -> None:
    """ProblemDetails (5.5.3): application/json, type/title/status/detail, no Link (6.3.6).

    ``error`` None means a plain HTTP problem (``about:blank``, RFC 7807 4.2).
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert "link" not in response.headers
    body = response.json()
    assert body["type"] == (ERR + error if error else "about:blank")
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["detail"] != body["title"]  # [TS] requires a distinct detail (spec-notes 7)


async def stored(client: httpx.AsyncClient) -> dict[str, Any] | None:
    response = await client.get(V1, params={"options": "sysAttrs"})
    if response.status_code == 404:
        return None
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def v1(client: httpx.AsyncClient) -> dict[str, Any]:
    assert (await client.post("/entities", json=vehicle())).status_code == 201
    return await stored(client) or {}


# --- Accept (6.3.4): 406 ------------------------------------------------------------------

GET_RESOURCES = [V1, MISSING, "/entities?type=Vehicle", "/types", "/attributes", "/types/Vehicle"]


@pytest.mark.parametrize("path", GET_RESOURCES)
async def test_not_acceptable(client: httpx.AsyncClient, v1: dict[str, Any], path: str) -> None:
    # [TS] 049_01: 406 comes before 404 for an unknown entity.
    for accept in ("application/xml", "text/html", "image/*", "application/json;q=0"):
        response = await client.get(path, headers={"Accept": accept})
        assert_problem(response, 406)
        assert "application/json" in response.json()["detail"]  # lists what is available


@pytest.mark.parametrize("path", ["/types", "/attributes", "/types/Vehicle", "/attributes/speed"])
async def test_geojson_only_for_entities(
    client: httpx.AsyncClient, v1: dict[str, Any], path: str
) -> None:
    assert_problem(await client.get(path, headers={"Accept": "application/geo+json"}), 406)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/ld+json, application/json", "application/json"),  # json preferred
        ("application/json;q=0.1, application/ld+json;q=0.9", "application/ld+json"),
        ("application/ld+json", "application/ld+json"),
        (
            'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"',
            "application/ld+json",
        ),
        ("text/html, application/geo+json;q=0.5", "application/geo+json"),
        ("application/json;q=0, */*;q=0.1", "application/ld+json"),
    ],
)
async def test_accept_selects_the_media_type(
    client: httpx.AsyncClient, v1: dict[str, Any], accept: str | None, media: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = await client.get(V1, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media


# --- Content-Type (6.3.4): 415 ------------------------------------------------------------

WRITES: list[tuple[str, str]] = [
    ("POST", "/entities"),
    ("PATCH", V1),
    ("PUT", V1),
    ("POST", V1 + "/attrs"),
    ("PATCH", V1 + "/attrs"),
    ("PATCH", V1 + "/attrs/speed"),
    ("PUT", V1 + "/attrs/speed"),
    ("PATCH", MISSING),  # [TS] 048_01: 415 before 404
    ("POST", "/entityOperations/create"),
    ("POST", "/entityOperations/upsert"),
    ("POST", "/entityOperations/query"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_unsupported_media_type(
    client: httpx.AsyncClient, v1: dict[str, Any], method: str, path: str
) -> None:
    for content_type in ("application/xml", "text/plain", "application/geo+json", None):
        headers = {} if content_type is None else {"Content-Type": content_type}
        response = await client.request(method, path, content=b'{"speed": 1}', headers=headers)
        assert_bare_415(response)
    assert await stored(client) == v1


@pytest.mark.parametrize(("method", "path"), [("POST", "/entities"), ("PUT", V1)])
async def test_merge_patch_media_type_only_for_patch(
    client: httpx.AsyncClient, v1: dict[str, Any], method: str, path: str
) -> None:
    response = await client.request(
        method,
        path,
        content=json.dumps(vehicle(2)),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert_bare_415(response)


async def test_media_type_parameters_are_accepted(client: httpx.AsyncClient) -> None:
    # Unsettled (spec-notes 10.23): charset and other parameters are accepted.
    response = await client.post(
        "/entities",
        content=json.dumps(vehicle()),
        headers={"Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert response.status_code == 201


# --- Content-Length (6.3.4): 411, 413 -----------------------------------------------------


def assert_bare_411(response: httpx.Response) -> None:
    """6.3.4: a missing Content-Length is "just a 411 HTTP status code (without any payload
    body)"."""
    assert response.status_code == 411
    assert response.content == b""
    assert "link" not in response.headers


async def chunked(*parts: bytes) -> AsyncIterator[bytes]:
    """A streamed body: httpx sends it chunked, without Content-Length."""
    for part in parts:
        yield part


@pytest.mark.parametrize(("method", "path"), [*WRITES, ("POST", "/entityOperations/delete")])
async def test_length_required(
    client: httpx.AsyncClient, v1: dict[str, Any], method: str, path: str
) -> None:
    response = await client.request(
        method,
        path,
        content=chunked(b'{"speed":', b" 1}"),
        headers={"Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_bare_411(response)
    assert await stored(client) == v1


async def test_length_required_before_tenant_lookup(client: httpx.AsyncClient) -> None:
    # [TS-x] 046_01: 411, not NonexistentTenant.
    response = await client.request(
        "PATCH",
        V1 + "/attrs",
        content=chunked(b"{}"),
        headers={"Content-Type": "application/json", "NGSILD-Tenant": "nowhere"},
    )
    assert_bare_411(response)


async def test_payload_too_large(client: httpx.AsyncClient, v1: dict[str, Any]) -> None:
    big = vehicle(2, notes="x" * 64_000)
    response = await client.post("/entities", json=big)
    assert_problem(response, 413)
    assert (await client.get("/entities/urn:ngsi-ld:Vehicle:V2")).status_code == 404
    patch = await client.patch(V1, json={"notes": "x" * 64_000})
    assert_problem(patch, 413)
    assert await stored(client) == v1


async def test_payload_too_large_while_streaming(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    # A Content-Length that understates the body does not get past the cap.
    response = await client.post(
        "/entities",
        content=chunked(*[b" " * 10_000] * 7),
        headers={"Content-Type": "application/json", "Content-Length": "10"},
    )
    assert_problem(response, 413)


async def test_body_just_under_the_limit_is_accepted(client: httpx.AsyncClient) -> None:
    body = vehicle(2, notes="")
    padding = 64_000 - len(json.dumps(body).encode()) - 10
    body["notes"] = "x" * padding
    response = await client.post("/entities", json=body)
    assert response.status_code == 201, response.text
    got = (await client.get("/entities/urn:ngsi-ld:Vehicle:V2")).json()
    assert len(got["notes"]["value"]) == padding


@pytest.mark.parametrize("length", ["abc", "-1", "1e3"])
async def test_invalid_content_length(client: httpx.AsyncClient, length: str) -> None:
    response = await client.post(
        "/entities",
        content=chunked(json.dumps(vehicle()).encode()),
        headers={"Content-Type": "application/json", "Content-Length": length},
    )
    assert_problem(response, 400, "InvalidRequest")


# --- malformed bodies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"   ", b"{", b'{"id": "urn:a:b",}', b"NaN", b"\xff\xfe", b"{'id': 1}", b'"\\ud800"'],
)
async def test_malformed_json_is_invalid_request(
    client: httpx.AsyncClient, v1: dict[str, Any], content: bytes
) -> None:
    for method, path in [
        ("POST", "/entities"),
        ("PATCH", V1),
        ("POST", "/entityOperations/upsert"),
    ]:
        response = await client.request(
            method, path, content=content, headers={"Content-Type": "application/json"}
        )
        assert_problem(response, 400, "InvalidRequest")
    assert await stored(client) == v1


# --- @context in requests (6.3.5) ---------------------------------------------------------


def ld_json(body: object, **headers: str) -> dict[str, Any]:
    return {
        "content": json.dumps(body),
        "headers": {"Content-Type": "application/ld+json", **headers},
    }


async def test_ld_json_needs_a_context_in_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", **ld_json(vehicle()))  # [TS] 001_08
    assert_problem(response, 400, "BadRequestData")
    assert (await client.get(V1)).status_code == 404


async def test_json_must_not_carry_a_context(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", json={**vehicle(), "@context": CORE_V18})
    assert_problem(response, 400, "BadRequestData")
    assert (await client.get(V1)).status_code == 404


async def test_ld_json_with_a_link_header_is_rejected(client: httpx.AsyncClient) -> None:
    body = {**vehicle(), "@context": CORE_V18}
    response = await client.post("/entities", **ld_json(body, Link=link_to(CORE_V18)))
    assert_problem(response, 400, "BadRequestData")


async def test_ld_json_with_context_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", **ld_json({**vehicle(), "@context": CORE_V18}))
    assert response.status_code == 201


async def test_several_context_links_are_rejected(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    # Annex C.7 / JSON-LD 1.1: one context Link only; BadRequestData assumed (spec-notes 10.7).
    two = [("Link", link_to(CORE_V18)), ("Link", link_to(CORE_V18))]
    assert_problem(await client.get(V1, headers=two), 400, "BadRequestData")
    joined = {"Link": f"{link_to(CORE_V18)}, {link_to(CORE_V18)}"}
    assert_problem(await client.get(V1, headers=joined), 400, "BadRequestData")
    patch = await client.patch(V1, json={"speed": 1}, headers=two)
    assert_problem(patch, 400, "BadRequestData")
    assert await stored(client) == v1


async def test_other_link_relations_are_ignored(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    headers = {"Link": '<https://example.org/doc>; rel="describedby"'}
    assert (await client.get(V1, headers=headers)).status_code == 200


@pytest.mark.parametrize(
    "link", ["<", "garbage", '<relative.jsonld>; rel="http://www.w3.org/ns/json-ld#context"']
)
async def test_malformed_link_header(
    client: httpx.AsyncClient, v1: dict[str, Any], link: str
) -> None:
    assert_problem(await client.get(V1, headers={"Link": link}), 400, "BadRequestData")


async def test_unreachable_context_is_ld_context_not_available(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    # Remote contexts are disabled in these tests: the @context cannot be retrieved (5.5.2);
    # 504 per V1.9.1 Table 6.3.2-1 (spec-notes 10.5).
    response = await client.get(V1, headers={"Link": link_to("https://example.org/ctx.jsonld")})
    assert response.status_code == 504
    assert response.json()["type"] == ERR + "LdContextNotAvailable"


# --- responses without body (6.3.6) -------------------------------------------------------


async def test_no_content_responses_carry_no_length_and_no_link(
    client: httpx.AsyncClient, v1: dict[str, Any]
) -> None:
    responses = [
        await client.patch(V1, json={"speed": 1}),
        await client.post(V1 + "/attrs", json={"colour": "red"}),
        await client.patch(V1 + "/attrs/speed", json={"value": 2}),
        await client.delete(V1 + "/attrs/colour"),
        await client.post("/entityOperations/upsert", json=[vehicle()]),
        await client.delete(V1),
    ]
    for response in responses:
        assert response.status_code == 204
        assert response.content == b""
        assert "content-length" not in response.headers
        assert "link" not in response.headers
        assert "content-type" not in response.headers


async def test_created_carries_location_but_no_link(client: httpx.AsyncClient) -> None:
    response = await client.post("/entities", json=vehicle())
    assert response.status_code == 201
    assert "link" not in response.headers
    assert response.content == b""


# --- 405 (6.3.2) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/entities", {"GET", "POST"}),
        ("PUT", "/entities", {"GET", "POST"}),
        ("POST", V1, {"GET", "DELETE", "PATCH", "PUT"}),
        ("GET", V1 + "/attrs", {"POST", "PATCH"}),
        ("DELETE", V1 + "/attrs", {"POST", "PATCH"}),
        ("GET", V1 + "/attrs/speed", {"PATCH", "PUT", "DELETE"}),
        ("POST", V1 + "/attrs/speed", {"PATCH", "PUT", "DELETE"}),
        ("GET", "/entityOperations/create", {"POST"}),
        ("DELETE", "/entityOperations/query", {"POST"}),
        ("POST", "/types", {"GET"}),
        ("DELETE", "/types/Vehicle", {"GET"}),
        ("PATCH", "/attributes", {"GET"}),
        ("PUT", "/attributes/speed", {"GET"}),
    ],
)
async def test_method_not_allowed_lists_allowed_methods(
    client: httpx.AsyncClient, v1: dict[str, Any], method: str, path: str, allowed: set[str]
) -> None:
    response = await client.request(method, path)
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
    assert await stored(client) == v1


# --- unknown URL parameters (6.3.20) --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", V1, None),
        ("GET", "/entities?type=Vehicle", None),
        ("DELETE", V1, None),
        ("PATCH", V1, {"speed": 1}),
        ("PUT", V1, {"type": "Vehicle"}),
        ("POST", V1 + "/attrs", {"speed": 1}),
        ("PATCH", V1 + "/attrs", {"speed": 1}),
        ("PATCH", V1 + "/attrs/speed", {"value": 1}),
        ("PUT", V1 + "/attrs/speed", {"value": 1}),
        ("DELETE", V1 + "/attrs/speed", None),
        ("POST", "/entities", vehicle(2)),
        ("POST", "/entityOperations/upsert", [vehicle(2)]),
        ("POST", "/entityOperations/query", {"type": "Query", "entities": [{"type": "T"}]}),
        ("GET", "/types", None),
        ("GET", "/types/Vehicle", None),
        ("GET", "/attributes", None),
        ("GET", "/attributes/speed", None),
    ],
)
async def test_unknown_url_parameter_is_invalid_request(
    client: httpx.AsyncClient, v1: dict[str, Any], method: str, path: str, body: object
) -> None:
    separator = "&" if "?" in path else "?"
    response = await client.request(method, f"{path}{separator}fooBar=1", json=body)
    assert_problem(response, 400, "InvalidRequest")
    assert await stored(client) == v1
    assert (await client.get("/entities/urn:ngsi-ld:Vehicle:V2")).status_code == 404


# --- unknown resources ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/nothing", "/entities/urn:ngsi-ld:Vehicle:V1/other", V1 + "/attrs/speed/more", "/"],
)
async def test_unknown_path_is_resource_not_found(client: httpx.AsyncClient, path: str) -> None:
    assert_problem(await client.get(path), 404, "ResourceNotFound")
