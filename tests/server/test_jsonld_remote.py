"""Remote user @context retrieval and caching, over httpx.MockTransport (CIM 009 6.3.5, 5.5.2)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from reference_server.jsonld import (
    CORE_CONTEXT_URL,
    ContextResolver,
    ContextSettings,
    InvalidContext,
    LdContextNotAvailable,
)

NGSI = "https://uri.etsi.org/ngsi-ld/"
DEFAULT_CONTEXT = NGSI + "default-context/"
EX = "http://example.org/"
CTX = "https://contexts.example/parking.jsonld"

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


class FakeServer:
    """Routes URLs to handlers and counts the requests each URL received."""

    def __init__(self, routes: dict[str, Handler] | None = None) -> None:
        self.routes: dict[str, Handler] = dict(routes or {})
        self.calls: Counter[str] = Counter()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.calls[url] += 1
        handler = self.routes.get(url)
        if handler is None:
            return httpx.Response(404)
        result = handler(request)
        return result if isinstance(result, httpx.Response) else await result

    def serve(self, url: str, context: object) -> None:
        self.routes[url] = lambda request: httpx.Response(200, json={"@context": context})

    def resolver(
        self, settings: ContextSettings | None = None, clock: Callable[[], float] | None = None
    ) -> ContextResolver:
        transport = httpx.MockTransport(self)
        return ContextResolver(settings or ContextSettings(), transport=transport, clock=clock)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> FakeServer:
    fake = FakeServer()
    fake.serve(CTX, {"Parking": EX + "Parking", "spots": EX + "spots"})
    return fake


@pytest.fixture
async def resolver(server: FakeServer) -> AsyncIterator[ContextResolver]:
    resolver = server.resolver()
    yield resolver
    await resolver.aclose()


async def _not_available(resolver: ContextResolver, context: object) -> LdContextNotAvailable:
    with pytest.raises(LdContextNotAvailable) as caught:
        await resolver.resolve(context)
    return caught.value


async def test_fetch_success(resolver: ContextResolver, server: FakeServer) -> None:
    active = await resolver.resolve(CTX)
    assert active.expand_term("Parking") == EX + "Parking"
    assert active.compact_iri(EX + "spots") == "spots"
    assert active.expand_term("Property") == NGSI + "Property"
    assert active.urls == (CTX,)
    assert server.calls[CTX] == 1
    listed = await resolver.resolve([CORE_CONTEXT_URL, CTX, {"a": EX + "a"}, CTX])
    assert listed.urls == (CTX, CTX)


async def test_fetch_sends_accept_header(server: FakeServer) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["accept"])
        return httpx.Response(200, json={"@context": {}})

    server.routes[CTX] = handler
    resolver = server.resolver()
    await resolver.resolve(CTX)
    await resolver.aclose()
    assert "application/ld+json" in seen[0]
    assert "application/json" in seen[0]


async def test_fetch_logs_one_info_line(
    resolver: ContextResolver, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="reference_server.jsonld"):
        await resolver.resolve(CTX)
        await resolver.resolve(CTX)
    lines = [r for r in caplog.records if r.name.startswith("reference_server.jsonld")]
    assert len(lines) == 1
    assert lines[0].levelno == logging.INFO
    assert CTX in lines[0].getMessage()


async def test_connect_timeout(server: FakeServer) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("no answer", request=request)

    server.routes[CTX] = handler
    resolver = server.resolver()
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert error.url == CTX
    assert "timed out" in error.reason


async def test_slow_server_hits_total_timeout(server: FakeServer) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200, json={"@context": {}})

    server.routes[CTX] = handler
    resolver = server.resolver(ContextSettings(timeout_s=0.01))
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert "timed out" in error.reason


async def test_oversize_with_content_length(server: FakeServer) -> None:
    server.serve(CTX, {"a": "x" * 500})
    resolver = server.resolver(ContextSettings(max_bytes=100))
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert "larger than 100 bytes" in error.reason


async def test_oversize_streamed_without_content_length(server: FakeServer) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"@context": {"a": "'
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 64

    server.routes[CTX] = lambda request: httpx.Response(200, content=chunks())
    resolver = server.resolver(ContextSettings(max_bytes=1000))
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert "larger than 1000 bytes" in error.reason
    assert len(sent) < 100


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx.Response(200, content=b"<html>nope</html>"), "not JSON"),
        (httpx.Response(200, content=b"\xff\xfe\x00"), "not JSON"),
        (httpx.Response(200, json={"context": {}}), "no top-level @context"),
        (httpx.Response(200, json=[{"@context": {}}]), "no top-level @context"),
        (httpx.Response(404), "HTTP status 404"),
        (httpx.Response(500), "HTTP status 500"),
    ],
)
async def test_bad_documents(server: FakeServer, response: httpx.Response, reason: str) -> None:
    server.routes[CTX] = lambda request: response
    resolver = server.resolver()
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert error.url == CTX
    assert reason in error.reason
    assert CTX in str(error)


async def test_transport_error(server: FakeServer) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    server.routes[CTX] = handler
    resolver = server.resolver()
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert "ConnectError" in error.reason


async def test_allow_list_refusal_sends_nothing(server: FakeServer) -> None:
    resolver = server.resolver(ContextSettings(allow_list=("https://trusted.example/",)))
    error = await _not_available(resolver, CTX)
    await resolver.aclose()
    assert "allow-list" in error.reason
    assert server.calls[CTX] == 0


async def test_allow_list_accepts_listed_prefix(server: FakeServer) -> None:
    resolver = server.resolver(ContextSettings(allow_list=("https://contexts.example/",)))
    active = await resolver.resolve(CTX)
    await resolver.aclose()
    assert active.expand_term("Parking") == EX + "Parking"


async def test_remote_disabled(server: FakeServer) -> None:
    resolver = server.resolver(ContextSettings(remote_enabled=False))
    error = await _not_available(resolver, [CTX])
    assert "disabled" in error.reason
    core_only = await resolver.resolve(CORE_CONTEXT_URL)
    await resolver.aclose()
    assert core_only.is_core_only
    assert server.calls[CTX] == 0


async def test_redirects_are_followed(server: FakeServer) -> None:
    moved = "https://contexts.example/old.jsonld"
    server.routes[moved] = lambda request: httpx.Response(302, headers={"Location": CTX})
    resolver = server.resolver()
    active = await resolver.resolve(moved)
    await resolver.aclose()
    assert active.expand_term("Parking") == EX + "Parking"


async def test_redirect_outside_allow_list_is_refused(server: FakeServer) -> None:
    moved = "https://trusted.example/ctx.jsonld"
    server.routes[moved] = lambda request: httpx.Response(302, headers={"Location": CTX})
    resolver = server.resolver(ContextSettings(allow_list=("https://trusted.example/",)))
    error = await _not_available(resolver, moved)
    await resolver.aclose()
    assert "allow-list" in error.reason
    assert server.calls[CTX] == 0


async def test_too_many_redirects(server: FakeServer) -> None:
    loop = "https://contexts.example/loop.jsonld"
    server.routes[loop] = lambda request: httpx.Response(302, headers={"Location": loop})
    resolver = server.resolver()
    error = await _not_available(resolver, loop)
    await resolver.aclose()
    assert "redirects" in error.reason
    assert server.calls[loop] == 6


async def test_cache_hit_one_transport_call(resolver: ContextResolver, server: FakeServer) -> None:
    first = await resolver.resolve(CTX)
    second = await resolver.resolve(CTX)
    other = await resolver.resolve([CTX, {"extra": EX + "extra"}])
    assert first is second
    assert other is not first
    assert other.expand_term("Parking") == EX + "Parking"
    assert server.calls[CTX] == 1


async def test_concurrent_requests_share_one_fetch(server: FakeServer) -> None:
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return httpx.Response(200, json={"@context": {"Parking": EX + "Parking"}})

    server.routes[CTX] = handler
    resolver = server.resolver()
    tasks = [
        asyncio.create_task(resolver.resolve(CTX)),
        asyncio.create_task(resolver.resolve([CTX, {"a": EX + "a"}])),
        asyncio.create_task(resolver.resolve({"@import": CTX})),
    ]
    for _ in range(20):
        await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks)
    await resolver.aclose()
    assert server.calls[CTX] == 1
    assert all(r.expand_term("Parking") == EX + "Parking" for r in results)


async def test_concurrent_failure_reaches_every_waiter(server: FakeServer) -> None:
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return httpx.Response(503)

    server.routes[CTX] = handler
    resolver = server.resolver()
    tasks = [asyncio.create_task(resolver.resolve(c)) for c in (CTX, [CTX], [CTX, {}])]
    for _ in range(20):
        await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await resolver.aclose()
    assert all(isinstance(r, LdContextNotAvailable) for r in results)
    assert server.calls[CTX] == 1


async def test_failures_are_not_cached(server: FakeServer) -> None:
    outcomes = iter([httpx.Response(500), httpx.Response(200, json={"@context": {}})])
    server.routes[CTX] = lambda request: next(outcomes)
    resolver = server.resolver()
    await _not_available(resolver, CTX)
    active = await resolver.resolve(CTX)
    await resolver.aclose()
    assert active.source == CTX
    assert server.calls[CTX] == 2


async def test_ttl_expiry_refetches(server: FakeServer) -> None:
    clock = FakeClock()
    resolver = server.resolver(ContextSettings(cache_ttl_s=60), clock=clock)
    first = await resolver.resolve(CTX)
    clock.now += 59
    assert await resolver.resolve(CTX) is first
    assert server.calls[CTX] == 1
    clock.now += 2
    server.serve(CTX, {"Parking": EX + "ParkingV2"})
    second = await resolver.resolve(CTX)
    await resolver.aclose()
    assert server.calls[CTX] == 2
    assert second is not first
    assert second.expand_term("Parking") == EX + "ParkingV2"


async def test_inline_contexts_never_expire(server: FakeServer) -> None:
    clock = FakeClock()
    resolver = server.resolver(ContextSettings(cache_ttl_s=1), clock=clock)
    first = await resolver.resolve({"a": EX + "a"})
    clock.now += 1e9
    assert await resolver.resolve({"a": EX + "a"}) is first
    await resolver.aclose()


async def test_lru_bound(server: FakeServer) -> None:
    resolver = server.resolver(ContextSettings(cache_max_entries=1))
    other = "https://contexts.example/other.jsonld"
    server.serve(other, {})
    await resolver.resolve(CTX)
    await resolver.resolve(other)
    await resolver.resolve(CTX)
    await resolver.aclose()
    assert server.calls[CTX] == 2


async def test_nested_remote_contexts(server: FakeServer) -> None:
    outer = "https://contexts.example/outer.jsonld"
    server.serve(outer, [CTX, {"extra": EX + "extra"}, CORE_CONTEXT_URL])
    resolver = server.resolver()
    active = await resolver.resolve(outer)
    await resolver.aclose()
    assert active.expand_term("Parking") == EX + "Parking"
    assert active.expand_term("extra") == EX + "extra"
    assert active.urls == (outer,)


async def test_remote_import(server: FakeServer) -> None:
    server.serve(CTX, {"Parking": EX + "Parking", "spots": EX + "old-spots"})
    resolver = server.resolver()
    active = await resolver.resolve({"@import": CTX, "spots": EX + "spots"})
    await resolver.aclose()
    assert active.expand_term("Parking") == EX + "Parking"
    assert active.expand_term("spots") == EX + "spots"


@pytest.mark.parametrize("imported", [[{"a": EX}], "https://x.example/", {"@import": CTX}])
async def test_import_must_be_one_plain_object(server: FakeServer, imported: object) -> None:
    url = "https://contexts.example/import.jsonld"
    server.serve(url, imported)
    resolver = server.resolver()
    with pytest.raises(InvalidContext, match="@import"):
        await resolver.resolve({"@import": url})
    await resolver.aclose()


async def test_cyclic_remote_contexts(server: FakeServer) -> None:
    a = "https://contexts.example/a.jsonld"
    b = "https://contexts.example/b.jsonld"
    server.serve(a, [{"x": EX + "x"}, b])
    server.serve(b, [a])
    resolver = server.resolver()
    with pytest.raises(InvalidContext, match="cyclic"):
        await resolver.resolve(a)
    await resolver.aclose()
    assert server.calls[a] == 1
    assert server.calls[b] == 1


async def test_self_referencing_remote_context(server: FakeServer) -> None:
    server.serve(CTX, CTX)
    resolver = server.resolver()
    with pytest.raises(InvalidContext, match="cyclic"):
        await resolver.resolve(CTX)
    await resolver.aclose()


async def test_remote_depth_limit(server: FakeServer) -> None:
    urls = [f"https://contexts.example/level{i}.jsonld" for i in range(5)]
    for here, there in itertools.pairwise(urls):
        server.serve(here, there)
    server.serve(urls[-1], {"deep": EX + "deep"})
    shallow = server.resolver(ContextSettings(max_remote_depth=5))
    assert (await shallow.resolve(urls[0])).expand_term("deep") == EX + "deep"
    await shallow.aclose()
    strict = server.resolver(ContextSettings(max_remote_depth=3))
    with pytest.raises(InvalidContext, match="deeper than 3"):
        await strict.resolve(urls[0])
    await strict.aclose()


async def test_aclose_is_idempotent_and_client_reopens(server: FakeServer) -> None:
    resolver = server.resolver(ContextSettings(cache_max_entries=0))
    await resolver.resolve(CTX)
    await resolver.aclose()
    await resolver.aclose()
    await resolver.resolve(CTX)
    await resolver.aclose()
    assert server.calls[CTX] == 2
