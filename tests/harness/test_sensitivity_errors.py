"""Error and HTTP-status checks fail on a platform broken in the matching way, with evidence.

Besides :class:`~tests.harness.breakage.Breakage`, a few wrappers here alter what it cannot:
a proxy that buffers chunked bodies (so no 411 ever comes), a response header added on one
status, and a breakage applied only when a request header says so. The discovery, tenant and
read-only sensitivity tests reuse them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mim_suite.model import Evidence, Outcome
from tests.harness.breakage import Breakage, broken, run_check
from tests.harness.conftest import API_ROOT, reference_app

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
Platform = Callable[[ASGIApp], ASGIApp]


# -- wrappers Breakage does not offer ----------------------------------------------------------


def buffering(app: ASGIApp) -> ASGIApp:
    """A proxy in front of ``app`` that reads chunked bodies whole and adds Content-Length."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        names = {k.lower() for k, _ in scope.get("headers", [])}
        if scope["type"] != "http" or b"content-length" in names:
            await app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"transfer-encoding"]
        headers.append((b"content-length", str(len(body)).encode()))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app({**scope, "headers": headers}, replay, send)

    return wrapped


def header_on_status(status: int, name: str, value: str) -> Platform:
    """Adds a response header to every answer with ``status``."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            async def patched(message: Message) -> None:
                if message["type"] == "http.response.start" and message["status"] == status:
                    extra = (name.lower().encode(), value.encode())
                    message = {**message, "headers": [*message.get("headers", []), extra]}
                await send(message)

            await app(scope, receive, patched)

        return wrapped

    return wrap


def when_request_header(name: str, contains: str, breakage: Breakage) -> Platform:
    """Applies ``breakage`` only to requests whose header ``name`` contains ``contains``."""

    def wrap(app: ASGIApp) -> ASGIApp:
        altered = broken(app, breakage)

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
            hit = contains.encode() in headers.get(name.lower().encode(), b"")
            await (altered if hit else app)(scope, receive, send)

        return wrapped

    return wrap


def with_breakage(*breakages: Breakage) -> Platform:
    return lambda app: broken(app, *breakages)


# -- running one check -------------------------------------------------------------------------


async def seed(app: ASGIApp, count: int = 7) -> None:
    """Existing data, written around any breakage: ``count`` entities of type Seeded."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API_ROOT + "/") as http:
        for n in range(count):
            entity = {
                "id": f"urn:ngsi-ld:Seeded:s{n}",
                "type": "Seeded",
                "level": {"type": "Property", "value": n},
            }
            assert (await http.post("entities", json=entity)).status_code == 201


async def verdict(
    check_id: str, platform: Platform, *, seeded: bool = False
) -> tuple[Outcome, Evidence | None, str | None]:
    base = reference_app()
    if seeded:
        await seed(base)
    result = await run_check(check_id, platform(base))
    return result.outcome, result.evidence, result.reason


def assert_fails_with_evidence(outcome: Outcome, evidence: Evidence | None, reason: Any) -> None:
    assert outcome is Outcome.FAIL, reason
    assert evidence is not None
    assert evidence.expected and evidence.received
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")


def _set(member: str, value: Any) -> Callable[[Any], Any]:
    return lambda b: {**b, member: value} if isinstance(b, dict) else b


def _drop(member: str) -> Callable[[Any], Any]:
    return lambda b: {k: v for k, v in b.items() if k != member} if isinstance(b, dict) else b


ONE_ENTITY = "/entities/[^/]+$"

CASES: list[tuple[str, Platform]] = [
    (
        "MIM1.ERR.PROBLEM.MEDIA",
        with_breakage(
            Breakage(method="GET", path=ONE_ENTITY, set_headers={"content-type": "text/plain"})
        ),
    ),
    (
        "MIM1.ERR.PROBLEM.MEDIA_ANY_ACCEPT",
        when_request_header(
            "accept",
            "ld+json",
            Breakage(path=ONE_ENTITY, set_headers={"content-type": "application/ld+json"}),
        ),
    ),
    (
        "MIM1.ERR.PROBLEM.MEMBERS",
        with_breakage(Breakage(method="GET", path=ONE_ENTITY, edit_body=_drop("title"))),
    ),
    (
        "MIM1.ERR.PROBLEM.STATUS",
        with_breakage(Breakage(method="GET", path=ONE_ENTITY, edit_body=_set("status", 500))),
    ),
    (
        "MIM1.ERR.BODY.MALFORMED_JSON",
        with_breakage(
            Breakage(
                method="POST", path="/entities$", edit_body=_set("type", ERR + "BadRequestData")
            )
        ),
    ),
    (
        "MIM1.ERR.BODY.NOT_OBJECT",
        with_breakage(Breakage(method="POST", path="/entities$", status=500)),
    ),
    ("MIM1.ERR.NAME.SPACE", with_breakage(Breakage(method="POST", path="/entities$", status=201))),
    ("MIM1.ERR.GEOPROPERTY.INVALID", with_breakage(Breakage(method="POST", status=201))),
    (
        "MIM1.ERR.OBSERVEDAT.INVALID",
        with_breakage(Breakage(method="POST", edit_body=_set("type", ERR + "InvalidRequest"))),
    ),
    (
        "MIM1.ERR.NULL.CREATE_VALUE",
        with_breakage(Breakage(method="POST", edit_body=_set("type", ERR + "InternalError"))),
    ),
    ("MIM1.ERR.METHOD.405", with_breakage(Breakage(method="PUT", path="/entities$", status=400))),
    (
        "MIM1.ERR.METHOD.ALLOW",
        with_breakage(Breakage(method="PUT", path="/entities$", drop_headers=("allow",))),
    ),
    ("MIM1.ERR.PATH.404", with_breakage(Breakage(method="GET", path="/mimtest", status=200))),
    (
        "MIM1.ERR.PARAM.UNKNOWN",
        with_breakage(Breakage(method="GET", path="/entities$", drop_params=("mimtestBogus",))),
    ),
    ("MIM1.ERR.LENGTH.411", buffering),
    (
        "MIM1.ERR.LENGTH.411_NO_BODY",
        with_breakage(
            Breakage(method="POST", path="/entities$", edit_body=lambda b: b or {"detail": "no"})
        ),
    ),
    ("MIM1.ERR.SIZE.413", with_breakage(Breakage(method="POST", path="/entities$", status=500))),
    ("MIM1.ERR.NOCONTENT.NO_LENGTH", header_on_status(204, "content-length", "0")),
]


@pytest.mark.parametrize(("check_id", "platform"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, platform: Platform) -> None:
    assert_fails_with_evidence(*await verdict(check_id, platform))


@pytest.mark.parametrize("check_id", [c[0] for c in CASES])
async def test_check_passes_on_the_intact_platform(check_id: str) -> None:
    outcome, _, reason = await verdict(check_id, lambda app: app)
    assert outcome is Outcome.PASS, reason


async def test_oversize_body_accepted_is_a_skip_not_a_fail() -> None:
    platform = with_breakage(Breakage(method="POST", path="/entities$", status=201))
    outcome, _, reason = await verdict("MIM1.ERR.SIZE.413", platform)
    assert outcome is Outcome.SKIP
    assert reason is not None and "limit" in reason
