"""A deliberately broken platform: the reference server with one behaviour altered.

``Breakage`` wraps the reference ASGI app. Each breakage matches requests by method and a
path regular expression (and optionally a query parameter) and then alters either the request
before the server sees it (drop a query parameter, drop a header, rewrite the body) or the
response it gives (status, headers, body). Sensitivity tests run a check against such a
platform and assert that the check fails with evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mim_suite.checks import catalogue, select
from mim_suite.model import CheckResult
from mim_suite.probe import Probe, Target
from mim_suite.runner import RunSettings, run_checks
from tests.harness.conftest import API_ROOT

BodyEdit = Callable[[Any], Any]


@dataclass(frozen=True)
class Breakage:
    """One altered behaviour; leave a member at its default to keep that part intact."""

    method: str | None = None
    path: str = ".*"
    when_param: str | None = None
    drop_params: tuple[str, ...] = ()
    drop_request_headers: tuple[str, ...] = ()
    status: int | None = None
    drop_headers: tuple[str, ...] = ()
    set_headers: dict[str, str] = field(default_factory=dict)
    edit_body: BodyEdit | None = None

    def matches(self, scope: Scope) -> bool:
        if self.method is not None and scope["method"] != self.method:
            return False
        if not re.search(self.path, scope["path"]):
            return False
        if self.when_param is None:
            return True
        params = dict(parse_qsl(scope.get("query_string", b"").decode()))
        return self.when_param in params


def broken(app: ASGIApp, *breakages: Breakage) -> ASGIApp:
    """The app with every matching breakage applied."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        active = [b for b in breakages if b.matches(scope)]
        if not active:
            await app(scope, receive, send)
            return
        scope = _alter_request(scope, active)
        await _respond_altered(app, scope, receive, send, active)

    return wrapped


def _alter_request(scope: Scope, active: list[Breakage]) -> Scope:
    drop = {p for b in active for p in b.drop_params}
    drop_headers = {h.lower().encode() for b in active for h in b.drop_request_headers}
    query = scope.get("query_string", b"").decode()
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in drop]
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in drop_headers]
    return {**scope, "query_string": urlencode(kept).encode(), "headers": headers}


async def _respond_altered(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, active: list[Breakage]
) -> None:
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    status = start["status"]
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    body = b"".join(chunks)
    for b in active:
        status = b.status or status
        for name in b.drop_headers:
            headers.pop(name.lower(), None)
        headers.update({k.lower(): v for k, v in b.set_headers.items()})
        if b.edit_body is not None:
            body = json.dumps(b.edit_body(json.loads(body) if body else None)).encode()
    headers["content-length"] = str(len(body))
    if not body:
        headers.pop("content-length")
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def run_check(check_id: str, app: ASGIApp) -> CheckResult:
    """Run one catalogue check against ``app`` through the harness's own Probe."""
    probe = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=app))
    try:
        run = await run_checks(select(catalogue(), [check_id]), probe, RunSettings())
    finally:
        await probe.aclose()
    assert len(run.results) == 1, f"{check_id} is not in the catalogue"
    return run.results[0]
