"""The probe's guarantees (mim_suite/probe.py), each against an httpx.MockTransport that
records what actually went over the wire."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import re
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qs

import httpx
import pytest

from mim_suite.probe import Auth, Probe, Target, WriteRefused

ROOT = "http://platform.test/ngsi-ld/v1"
TOKEN_URL = "http://auth.test/realms/city/token"

Handler = Callable[[httpx.Request], httpx.Response]


class Wire:
    """A MockTransport that answers with ``handler`` and keeps every request it saw."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.seen: list[httpx.Request] = []
        self._handler = handler or (lambda _: httpx.Response(200, json=[]))
        self.transport = httpx.MockTransport(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self._handler(request)

    def probe(self, **target: object) -> Probe:
        return Probe(Target(api_root=ROOT, **target), transport=self.transport)  # type: ignore[arg-type]


@pytest.fixture
async def wire() -> AsyncIterator[Wire]:
    yield Wire()


async def streamed(data: bytes, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """``data`` as a response stream, the way a real connection delivers it."""
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


# -- read-only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "post"])
async def test_read_only_refuses_writes_before_sending_anything(wire: Wire, method: str) -> None:
    probe = wire.probe(read_only=True)
    with pytest.raises(WriteRefused, match="read-only"):
        await probe.request(method, "/entities", json_body={"id": "urn:x:1", "type": "T"})
    await probe.aclose()
    assert wire.seen == []


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
async def test_read_only_lets_reads_through(wire: Wire, method: str) -> None:
    probe = wire.probe(read_only=True)
    response, _ = await probe.request(method, "/entities")
    await probe.aclose()
    assert response.status == 200
    assert [r.method for r in wire.seen] == [method]


async def test_writes_are_sent_without_the_read_only_profile(wire: Wire) -> None:
    probe = wire.probe()
    await probe.request("DELETE", "/entities/urn:x:1")
    await probe.aclose()
    assert [r.method for r in wire.seen] == ["DELETE"]


# -- credentials and secrets -------------------------------------------------------------------

SECRET_TOKEN = "tok-Zq81-secret"
SECRET_KEY = "key-7Hh2-secret"


async def test_bearer_and_api_key_are_sent_and_redacted_in_evidence(wire: Wire) -> None:
    auth = Auth(bearer_token=SECRET_TOKEN, api_key_header="X-Gravitee-Api-Key", api_key=SECRET_KEY)
    probe = wire.probe(auth=auth)
    _, exchange = await probe.request("GET", "/entities", params={"type": "Vehicle"})
    await probe.aclose()

    sent = wire.seen[0].headers
    assert sent["authorization"] == f"Bearer {SECRET_TOKEN}"
    assert sent["x-gravitee-api-key"] == SECRET_KEY

    recorded = {k.lower(): v for k, v in exchange.request.headers.items()}
    assert recorded["authorization"] == "<redacted>"
    assert recorded["x-gravitee-api-key"] == "<redacted>"
    evidence = json.dumps(exchange.as_dict())
    assert SECRET_TOKEN not in evidence
    assert SECRET_KEY not in evidence
    assert re.search(r'-H "authorization: \$MIM_SECRET"', exchange.curl, re.IGNORECASE)
    assert re.search(r'-H "x-gravitee-api-key: \$MIM_SECRET"', exchange.curl, re.IGNORECASE)
    assert exchange.curl.startswith("curl -i -X GET ")
    assert "type=Vehicle" in exchange.curl


async def test_secret_headers_given_as_extra_headers_are_redacted_too(wire: Wire) -> None:
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}", "Cookie": f"session={SECRET_KEY}"}
    probe = wire.probe(headers=headers)
    _, exchange = await probe.request("GET", "/types")
    await probe.aclose()
    assert wire.seen[0].headers["cookie"] == f"session={SECRET_KEY}"
    evidence = json.dumps(exchange.as_dict())
    assert SECRET_TOKEN not in evidence
    assert SECRET_KEY not in evidence


def token_endpoint(fetches: list[httpx.Request], *, expires_in: int = 3600) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            fetches.append(request)
            body = {"access_token": f"tok-{len(fetches)}", "expires_in": expires_in}
            return httpx.Response(200, json=body)
        return httpx.Response(200, json=[])

    return handler


OAUTH = Auth(
    oauth2_token_url=TOKEN_URL,
    oauth2_client_id="mim-client",
    oauth2_client_secret="client-s3cret",
    oauth2_scope="ngsi-ld",
)


async def test_oauth2_client_credentials_token_is_fetched_once_and_sent() -> None:
    fetches: list[httpx.Request] = []
    wire = Wire(token_endpoint(fetches))
    probe = wire.probe(auth=OAUTH)
    _, first = await probe.request("GET", "/entities")
    await probe.request("GET", "/types")
    await asyncio.gather(*(probe.request("GET", "/attributes") for _ in range(5)))
    await probe.aclose()

    assert len(fetches) == 1, "the token is cached"
    token_request = fetches[0]
    assert token_request.method == "POST"
    form = parse_qs(token_request.content.decode())
    assert form == {"grant_type": ["client_credentials"], "scope": ["ngsi-ld"]}
    basic = base64.b64encode(b"mim-client:client-s3cret").decode()
    assert token_request.headers["authorization"] == f"Basic {basic}"

    to_platform = [r for r in wire.seen if r.url.host == "platform.test"]
    assert len(to_platform) == 7
    assert all(r.headers["authorization"] == "Bearer tok-1" for r in to_platform)
    assert "tok-1" not in json.dumps(first.as_dict())
    assert "client-s3cret" not in json.dumps(first.as_dict())


async def test_oauth2_token_is_renewed_when_it_expires() -> None:
    fetches: list[httpx.Request] = []
    wire = Wire(token_endpoint(fetches, expires_in=0))
    probe = wire.probe(auth=OAUTH)
    await probe.request("GET", "/entities")
    await probe.request("GET", "/entities")
    await probe.aclose()
    assert len(fetches) == 2
    assert wire.seen[-1].headers["authorization"] == "Bearer tok-2"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(401, json={"error": "invalid_client"}),
        httpx.Response(200, text="<html>login</html>"),
        httpx.Response(200, json={"token_type": "Bearer"}),
        httpx.Response(200, json=["not", "an", "object"]),
    ],
    ids=["401", "not-json", "no-access-token", "not-an-object"],
)
async def test_a_broken_token_endpoint_is_an_http_error(answer: httpx.Response) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return answer if request.url.host == "auth.test" else httpx.Response(200, json=[])

    wire = Wire(handler)
    probe = wire.probe(auth=OAUTH)
    with pytest.raises(httpx.HTTPError):  # the runner's "network trouble", preflight's reason
        await probe.request("GET", "/entities")
    await probe.aclose()
    assert not [r for r in wire.seen if r.url.host == "platform.test"]


# -- headers and tenant ------------------------------------------------------------------------


async def test_extra_headers_and_the_tenant_are_applied(wire: Wire) -> None:
    probe = wire.probe(headers={"X-Extra": "yes", "Fiware-Service": "old"}, tenant="acme")
    await probe.request("GET", "/entities")
    await probe.request("GET", "/entities", tenant="other")
    await probe.request("GET", "/entities", use_default_tenant=False)
    await probe.request("GET", "/entities", headers={"X-Extra": "overridden"})
    await probe.aclose()

    first, other, untenanted, overridden = (r.headers for r in wire.seen)
    assert first["x-extra"] == "yes"
    assert first["fiware-service"] == "old"
    assert first["ngsild-tenant"] == "acme"
    assert other["ngsild-tenant"] == "other"
    assert "ngsild-tenant" not in untenanted
    assert untenanted["x-extra"] == "yes"
    assert overridden["x-extra"] == "overridden"


async def test_json_body_and_paths_relative_to_the_api_root(wire: Wire) -> None:
    probe = wire.probe()
    await probe.request("POST", "/entities", json_body={"id": "urn:x:1", "type": "T"})
    await probe.request("GET", "entities/urn:x:1")
    await probe.aclose()
    created, retrieved = wire.seen
    assert str(created.url) == f"{ROOT}/entities"
    assert created.headers["content-type"] == "application/json"
    assert json.loads(created.content) == {"id": "urn:x:1", "type": "T"}
    assert str(retrieved.url) == f"{ROOT}/entities/urn:x:1"


# -- redirects ---------------------------------------------------------------------------------


def redirecting(location: str, status: int = 307) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/old"):
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"at": request.url.path})

    return handler


@pytest.mark.parametrize(
    "location",
    ["/ngsi-ld/v1/new", "http://platform.test/ngsi-ld/v1/new", "new"],
    ids=["absolute-path", "absolute-url", "relative"],
)
async def test_a_redirect_on_the_same_origin_is_followed(location: str) -> None:
    wire = Wire(redirecting(location))
    probe = wire.probe()
    response, _ = await probe.request("GET", "/old")
    await probe.aclose()
    assert response.status == 200
    assert response.json() == {"at": "/ngsi-ld/v1/new"}
    assert [r.url.path for r in wire.seen] == ["/ngsi-ld/v1/old", "/ngsi-ld/v1/new"]


@pytest.mark.parametrize(
    "location",
    [
        "http://elsewhere.test/ngsi-ld/v1/new",
        "https://platform.test/ngsi-ld/v1/new",
        "http://platform.test:8080/ngsi-ld/v1/new",
        "//elsewhere.test/steal",
    ],
    ids=["other-host", "other-scheme", "other-port", "scheme-relative"],
)
async def test_a_redirect_to_another_origin_is_returned_not_followed(location: str) -> None:
    wire = Wire(redirecting(location, 302))
    probe = wire.probe(auth=Auth(bearer_token=SECRET_TOKEN))
    response, _ = await probe.request("GET", "/old")
    await probe.aclose()
    assert response.status == 302
    assert response.header("location") == location
    assert len(wire.seen) == 1, "nothing is sent to the other origin (nor the token)"


async def test_a_redirect_of_a_write_is_not_followed() -> None:
    wire = Wire(redirecting("/ngsi-ld/v1/new", 307))
    probe = wire.probe()
    response, _ = await probe.request("POST", "/old", json_body={})
    await probe.aclose()
    assert response.status == 307
    assert len(wire.seen) == 1


async def test_a_redirect_loop_ends() -> None:
    wire = Wire(redirecting("/ngsi-ld/v1/old", 301))
    probe = wire.probe()
    response, _ = await probe.request("GET", "/old")
    await probe.aclose()
    assert response.status == 301
    assert 1 < len(wire.seen) <= 5


# -- retries -----------------------------------------------------------------------------------


def failing(error: type[httpx.TransportError], times: int) -> tuple[Wire, list[int]]:
    attempts = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        attempts[0] += 1
        if attempts[0] <= times:
            raise error("trouble", request=request)
        return httpx.Response(200, json=[])

    return Wire(handler), attempts


async def test_a_refused_connection_is_retried_then_the_request_succeeds() -> None:
    wire, attempts = failing(httpx.ConnectError, 1)
    probe = wire.probe(connect_retries=2)
    response, _ = await probe.request("GET", "/types")
    await probe.aclose()
    assert response.status == 200
    assert attempts == [2]


async def test_connection_retries_are_bounded() -> None:
    wire, attempts = failing(httpx.ConnectError, 100)
    probe = wire.probe(connect_retries=2)
    with pytest.raises(httpx.ConnectError):
        await probe.request("GET", "/types")
    await probe.aclose()
    assert attempts == [3]


@pytest.mark.parametrize(
    "error",
    [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError],
)
async def test_trouble_after_the_connection_is_made_is_not_retried(
    error: type[httpx.TransportError],
) -> None:
    wire, attempts = failing(error, 1)
    probe = wire.probe(connect_retries=2)
    with pytest.raises(error):
        await probe.request("GET", "/types")
    await probe.aclose()
    assert attempts == [1], "the request may have had effects: it is never repeated"


async def test_an_error_status_is_not_retried() -> None:
    wire = Wire(lambda _: httpx.Response(503, text="busy"))
    probe = wire.probe(connect_retries=2)
    response, _ = await probe.request("GET", "/types")
    await probe.aclose()
    assert response.status == 503
    assert len(wire.seen) == 1


# -- bounds ------------------------------------------------------------------------------------


async def test_the_timeout_bounds_the_whole_exchange_not_each_read() -> None:
    async def drip() -> AsyncIterator[bytes]:
        for _ in range(1000):
            await asyncio.sleep(0.02)
            yield b" "

    wire = Wire(lambda _: httpx.Response(200, content=drip()))
    probe = wire.probe(timeout_s=0.3)
    with pytest.raises(httpx.ReadTimeout, match=r"0\.3 s"):
        await probe.request("GET", "/entities")
    await probe.aclose()


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "read-by-transport"])
async def test_a_body_over_the_cap_is_truncated_and_flagged(stream: bool) -> None:
    body = b"[" + b"1," * 100_000 + b"1]"
    wire = Wire(lambda _: httpx.Response(200, content=streamed(body) if stream else body))
    probe = wire.probe(max_body_bytes=1000)
    response, _ = await probe.request("GET", "/entities")
    await probe.aclose()
    assert response.truncated
    assert len(response.content) == 1000
    with pytest.raises(ValueError, match="cap"):
        response.json()


async def test_gzip_bodies_are_inflated_up_to_the_cap() -> None:
    small = json.dumps({"id": "urn:x:1"}).encode()
    bomb = gzip.compress(bytes(10_000_000))

    def handler(request: httpx.Request) -> httpx.Response:
        body = bomb if request.url.path.endswith("/bomb") else gzip.compress(small)
        return httpx.Response(200, content=streamed(body), headers={"Content-Encoding": "gzip"})

    wire = Wire(handler)
    probe = wire.probe(max_body_bytes=100_000)
    plain, _ = await probe.request("GET", "/entities/urn:x:1")
    bombed, _ = await probe.request("GET", "/bomb")
    await probe.aclose()
    assert plain.json() == {"id": "urn:x:1"}
    assert not plain.truncated
    assert bombed.truncated
    assert len(bombed.content) <= 100_000
    assert wire.seen[0].headers["accept-encoding"] == "gzip, deflate"


async def test_evidence_keeps_an_excerpt_of_large_bodies() -> None:
    wire = Wire(lambda _: httpx.Response(200, text="r" * 10_000))
    probe = wire.probe()
    _, exchange = await probe.request("POST", "/entities", json_body={"big": "q" * 10_000})
    await probe.aclose()
    assert exchange.response is not None
    response_body = exchange.response.body
    assert response_body is not None
    assert response_body.startswith("r" * 4096)
    assert len(response_body) < 4200
    assert "more characters" in response_body
    request_body = exchange.request.body
    assert request_body is not None
    assert len(request_body) < 4200
    assert "more characters" in request_body
