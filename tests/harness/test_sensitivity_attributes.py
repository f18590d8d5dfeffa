"""Attribute checks fail on a platform broken in the matching way, with readable evidence.

Besides :class:`Breakage` (which alters responses), these tests need platforms that misread
the request: :class:`Rewrite` changes a matching request before the reference server sees it
(method, path, query parameters, JSON body) or answers it without doing anything (a platform
that acknowledges writes and ignores them). The batch sensitivity tests reuse it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mim_suite.checks import catalogue
from mim_suite.model import Evidence, Outcome
from tests.harness.breakage import Breakage, broken, run_check
from tests.harness.conftest import reference_app

BodyEdit = Callable[[Any], Any]


@dataclass(frozen=True)
class Rewrite:
    """One misread request: leave a member at its default to keep that part intact."""

    method: str
    path: str
    content_type: str | None = None  # match only requests with this Content-Type
    new_method: str | None = None
    path_sub: tuple[str, str] | None = None  # (pattern, replacement) applied to the path
    add_params: dict[str, str] = field(default_factory=dict)
    edit_request: BodyEdit | None = None
    answer: int | None = None  # answer with this status at once, the server untouched
    answer_body: Any = None

    def matches(self, scope: Scope) -> bool:
        if scope["method"] != self.method or not re.search(self.path, scope["path"]):
            return False
        if self.content_type is None:
            return True
        headers = dict(scope["headers"])
        return headers.get(b"content-type", b"").decode().startswith(self.content_type)


def rewritten(app: ASGIApp, *rules: Rewrite) -> ASGIApp:
    """The app seeing every matching request as the first matching rule rewrites it."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        rule = next((r for r in rules if scope["type"] == "http" and r.matches(scope)), None)
        if rule is None:
            await app(scope, receive, send)
        elif rule.answer is not None:
            await _answer(send, rule.answer, rule.answer_body)
        else:
            body = await _read(receive)
            await _forward(app, scope, body, rule, send)

    return wrapped


async def _read(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(send: Send, status: int, body: Any) -> None:
    raw = b"" if body is None else json.dumps(body).encode()
    headers = [(b"content-type", b"application/json")] if raw else []
    if raw:
        headers.append((b"content-length", str(len(raw)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})


async def _forward(app: ASGIApp, scope: Scope, body: bytes, rule: Rewrite, send: Send) -> None:
    if rule.edit_request is not None and body:
        body = json.dumps(rule.edit_request(json.loads(body))).encode()
    path = scope["path"]
    if rule.path_sub is not None:
        path = re.sub(rule.path_sub[0], rule.path_sub[1], path)
    query = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
    query += list(rule.add_params.items())
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    new_scope = {
        **scope,
        "method": rule.new_method or scope["method"],
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(query).encode(),
        "headers": headers,
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    await app(new_scope, receive, send)


async def verdict(check_id: str, app: ASGIApp) -> tuple[Outcome, Evidence | None]:
    result = await run_check(check_id, app)
    return result.outcome, result.evidence


Platform = Callable[[], ASGIApp]


def breaking(*breakages: Breakage) -> Platform:
    return lambda: broken(reference_app(), *breakages)


def misreading(*rules: Rewrite, breakages: tuple[Breakage, ...] = ()) -> Platform:
    return lambda: broken(rewritten(reference_app(), *rules), *breakages)


async def assert_fails(check_id: str, platform: Platform) -> None:
    outcome, evidence = await verdict(check_id, platform())
    assert outcome is Outcome.FAIL, check_id
    assert evidence is not None
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")


# -- the broken platforms ----------------------------------------------------------------------

ATTRS = r"/attrs$"
ATTR = r"/attrs/[^/]+$"
ENTITY = r"/entities/[^/]+$"


def _without_dataset(body: Any) -> Any:
    """Drop every datasetId from an attribute fragment or an entity fragment."""
    if isinstance(body, dict):
        return {k: _without_dataset(v) for k, v in body.items() if k != "datasetId"}
    return body


def _frozen(*members: str) -> BodyEdit:
    """A body edit that keeps the first value seen of entity and speed ``members``."""
    first: dict[str, Any] = {}

    def edit(body: Any) -> Any:
        if not isinstance(body, dict):
            return body
        speed = body.get("speed")
        for key in members:
            first.setdefault(key, body.get(key))
            body[key] = first[key]
            if isinstance(speed, dict):
                first.setdefault("speed." + key, speed.get(key))
                speed[key] = first["speed." + key]
        return body

    return edit


def _shifted_created() -> BodyEdit:
    """A body edit that moves createdAt to 2000 on every retrieval but the first."""
    seen = [0]

    def edit(body: Any) -> Any:
        seen[0] += 1
        if seen[0] > 1 and isinstance(body, dict):
            body["createdAt"] = "2000-01-01T00:00:00Z"
        return body

    return edit


def _no_not_updated(body: Any) -> Any:
    return {"updated": body.get("updated", [])} if isinstance(body, dict) else body


def _drop(name: str) -> BodyEdit:
    return lambda b: {k: v for k, v in b.items() if k != name} if isinstance(b, dict) else b


CASES: list[tuple[str, Platform]] = [
    # Append Entity Attributes
    ("MIM1.ATTR.APPEND.204", breaking(Breakage(method="POST", path=ATTRS, status=200))),
    ("MIM1.ATTR.APPEND.VISIBLE", misreading(Rewrite("POST", ATTRS, answer=204))),
    (
        "MIM1.ATTR.APPEND.OVERWRITE",
        misreading(Rewrite("POST", ATTRS, add_params={"options": "noOverwrite"})),
    ),
    (
        "MIM1.ATTR.APPEND.NOOVERWRITE.KEPT",
        breaking(Breakage(method="POST", path=ATTRS, drop_params=("options",))),
    ),
    (
        "MIM1.ATTR.APPEND.NOOVERWRITE.NEW",
        misreading(Rewrite("POST", ATTRS, answer=207, answer_body={"updated": []})),
    ),
    (
        "MIM1.ATTR.APPEND.NOOVERWRITE.207",
        breaking(Breakage(method="POST", path=ATTRS, edit_body=_no_not_updated)),
    ),
    ("MIM1.ATTR.APPEND.404", breaking(Breakage(method="POST", path=ATTRS, status=400))),
    ("MIM1.ATTR.APPEND.INVALID", misreading(Rewrite("POST", ATTRS, answer=204))),
    ("MIM1.ATTR.APPEND.NULL", misreading(Rewrite("POST", ATTRS, answer=204))),
    (
        "MIM1.ATTR.APPEND.DATASET",
        misreading(Rewrite("POST", ATTRS, edit_request=_without_dataset)),
    ),
    # Update Entity Attributes
    ("MIM1.ATTR.UPDATE.204", breaking(Breakage(method="PATCH", path=ATTRS, status=200))),
    ("MIM1.ATTR.UPDATE.VISIBLE", misreading(Rewrite("PATCH", ATTRS, answer=204))),
    (
        "MIM1.ATTR.UPDATE.REPLACES",
        misreading(Rewrite("PATCH", ATTRS, path_sub=(ATTRS, ""))),  # merged instead
    ),
    (
        "MIM1.ATTR.UPDATE.OTHERS",
        breaking(Breakage(method="GET", path=ENTITY, edit_body=_drop("brandName"))),
    ),
    ("MIM1.ATTR.UPDATE.404", breaking(Breakage(method="PATCH", path=ATTRS, status=400))),
    ("MIM1.ATTR.UPDATE.NEWATTR", breaking(Breakage(method="PATCH", path=ATTRS, status=204))),
    ("MIM1.ATTR.UPDATE.NULL", misreading(Rewrite("PATCH", ATTRS, answer=204))),
    # Partial Attribute Update
    ("MIM1.ATTR.PATCH.204", breaking(Breakage(method="PATCH", path=ATTR, status=200))),
    ("MIM1.ATTR.PATCH.PARTIAL", misreading(Rewrite("PATCH", ATTR, new_method="PUT"))),
    (
        "MIM1.ATTR.PATCH.DATASET",
        misreading(Rewrite("PATCH", ATTR, edit_request=_without_dataset)),
    ),
    ("MIM1.ATTR.PATCH.404", breaking(Breakage(method="PATCH", path=ATTR, status=400))),
    ("MIM1.ATTR.PATCH.404ENTITY", breaking(Breakage(method="PATCH", path=ATTR, status=400))),
    (
        "MIM1.ATTR.PATCH.MERGEPATCH",
        misreading(Rewrite("PATCH", ATTR, content_type="application/merge-patch+json", answer=415)),
    ),
    # Replace Attribute
    ("MIM1.ATTR.REPLACE.204", breaking(Breakage(method="PUT", path=ATTR, status=200))),
    ("MIM1.ATTR.REPLACE.WHOLE", misreading(Rewrite("PUT", ATTR, new_method="PATCH"))),
    ("MIM1.ATTR.REPLACE.404", breaking(Breakage(method="PUT", path=ATTR, status=400))),
    # Delete Attribute
    ("MIM1.ATTR.DELETE.204", breaking(Breakage(method="DELETE", path=ATTR, status=200))),
    ("MIM1.ATTR.DELETE.GONE", misreading(Rewrite("DELETE", ATTR, answer=204))),
    ("MIM1.ATTR.DELETE.404", breaking(Breakage(method="DELETE", path=ATTR, status=400))),
    (
        "MIM1.ATTR.DELETE.DATASET",
        breaking(Breakage(method="DELETE", path=ATTR, drop_params=("datasetId",))),
    ),
    (
        "MIM1.ATTR.DELETE.DEFAULT",
        misreading(Rewrite("DELETE", ATTR, add_params={"deleteAll": "true"})),
    ),
    (
        "MIM1.ATTR.DELETE.ALL",
        breaking(Breakage(method="DELETE", path=ATTR, drop_params=("deleteAll",))),
    ),
    # Merge Entity, Replace Entity
    ("MIM1.ENT.MERGE.204", breaking(Breakage(method="PATCH", path=ENTITY, status=200))),
    ("MIM1.ENT.MERGE.APPLIED", misreading(Rewrite("PATCH", ENTITY, answer=204))),
    (
        "MIM1.ENT.MERGE.DEEP",
        misreading(  # an update (replacing speed) passed off as a merge
            Rewrite("PATCH", ENTITY, path_sub=("$", "/attrs")),
            breakages=(Breakage(method="PATCH", path=ENTITY, status=204),),
        ),
    ),
    ("MIM1.ENT.MERGE.NULL", misreading(Rewrite("PATCH", ENTITY, answer=204))),
    ("MIM1.ENT.MERGE.404", breaking(Breakage(method="PATCH", path=ENTITY, status=400))),
    ("MIM1.ENT.REPLACE.204", breaking(Breakage(method="PUT", path=ENTITY, status=200))),
    ("MIM1.ENT.REPLACE.CONTENT", misreading(Rewrite("PUT", ENTITY, new_method="PATCH"))),
    ("MIM1.ENT.REPLACE.404", breaking(Breakage(method="PUT", path=ENTITY, status=400))),
    # System attributes
    (
        "MIM1.ATTR.SYSATTRS.CREATED",
        breaking(Breakage(method="GET", path=ENTITY, edit_body=_shifted_created())),
    ),
    (
        "MIM1.ATTR.SYSATTRS.MODIFIED",
        breaking(Breakage(method="GET", path=ENTITY, edit_body=_frozen("modifiedAt"))),
    ),
]


@pytest.mark.parametrize(("check_id", "platform"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, platform: Platform) -> None:
    await assert_fails(check_id, platform)


async def test_every_case_names_a_check() -> None:
    known = {c.info.id for c in catalogue()}
    assert [c for c, _ in CASES if c not in known] == []
