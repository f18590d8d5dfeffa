"""Discovery, tenant and read-only checks fail on a platform broken in the matching way.

The read-only checks read existing data, so those cases run on a platform seeded with
entities first (written around the breakage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from mim_suite.model import Outcome
from tests.harness.breakage import Breakage
from tests.harness.test_sensitivity_errors import (
    Platform,
    assert_fails_with_evidence,
    verdict,
    with_breakage,
)

TYPES = "/types$"
ONE_TYPE = "/types/.+"
NO_TENANT = ("ngsild-tenant",)


def _each(edit: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Any], Any]:
    """Applies ``edit`` to each object of an array body (or to an object body)."""

    def apply(body: Any) -> Any:
        if isinstance(body, list):
            return [edit(i) if isinstance(i, dict) else i for i in body]
        return edit(body) if isinstance(body, dict) else body

    return apply


def _plus_one(member: str) -> Callable[[Any], Any]:
    return _each(lambda b: {**b, member: b[member] + 1} if isinstance(b.get(member), int) else b)


def soft_delete(app: ASGIApp) -> ASGIApp:
    """A platform whose Delete Entity answers 204 but keeps the entity (and so its type)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "DELETE":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)

    return wrapped


CASES: list[tuple[str, Platform]] = [
    # discovery
    (
        "MIM1.DISC.TYPES.LIST",
        with_breakage(
            Breakage(method="GET", path=TYPES, edit_body=_each(lambda b: {**b, "typeList": []}))
        ),
    ),
    (
        "MIM1.DISC.TYPES.DETAILS",
        with_breakage(
            Breakage(
                method="GET",
                path=TYPES,
                when_param="details",
                edit_body=_each(lambda b: {**b, "attributeNames": []}),
            )
        ),
    ),
    (
        "MIM1.DISC.TYPE.INFO",
        with_breakage(Breakage(method="GET", path=ONE_TYPE, edit_body=_plus_one("entityCount"))),
    ),
    (
        "MIM1.DISC.TYPE.ATTRIBUTE_DETAILS",
        with_breakage(
            Breakage(
                method="GET",
                path=ONE_TYPE,
                edit_body=lambda b: {
                    **b,
                    "attributeDetails": [{**a, "type": "Property"} for a in b["attributeDetails"]],
                },
            )
        ),
    ),
    ("MIM1.DISC.TYPE.404", with_breakage(Breakage(method="GET", path=ONE_TYPE, status=200))),
    ("MIM1.DISC.TYPE.GONE", soft_delete),
    (
        "MIM1.DISC.ATTRS.LIST",
        with_breakage(
            Breakage(
                method="GET",
                path="/attributes$",
                edit_body=_each(lambda b: {**b, "attributeList": []}),
            )
        ),
    ),
    (
        "MIM1.DISC.ATTRS.DETAILS",
        with_breakage(
            Breakage(
                method="GET",
                path="/attributes$",
                edit_body=_each(lambda b: {k: v for k, v in b.items() if k != "type"}),
            )
        ),
    ),
    (
        "MIM1.DISC.ATTR.INFO",
        with_breakage(
            Breakage(method="GET", path="/attributes/.+", edit_body=_plus_one("attributeCount"))
        ),
    ),
    (
        "MIM1.DISC.ATTR.404",
        with_breakage(Breakage(method="GET", path="/attributes/.+", status=400)),
    ),
    # tenants
    ("MIM1.TEN.ECHO", with_breakage(Breakage(drop_headers=NO_TENANT))),
    (
        "MIM1.TEN.ISOLATION.DEFAULT",
        with_breakage(Breakage(method="POST", path="/entities$", drop_request_headers=NO_TENANT)),
    ),
    (
        "MIM1.TEN.ISOLATION.OTHER",
        with_breakage(
            Breakage(method="GET", drop_request_headers=NO_TENANT),
            Breakage(method="POST", path="/entities$", drop_request_headers=NO_TENANT),
        ),
    ),
    (
        "MIM1.TEN.SAME_ID",
        with_breakage(Breakage(method="POST", path="/entities$", drop_request_headers=NO_TENANT)),
    ),
    ("MIM1.TEN.DELETE.SCOPED", with_breakage(Breakage(method="DELETE", status=204))),
    (
        "MIM1.TEN.UNKNOWN.404",
        with_breakage(Breakage(method="GET", path="/entities$", drop_request_headers=NO_TENANT)),
    ),
    (
        "MIM1.TEN.DISCOVERY.TYPES",
        with_breakage(Breakage(method="GET", path=TYPES, drop_request_headers=NO_TENANT)),
    ),
    (
        "MIM1.TEN.DISCOVERY.ATTRIBUTES",
        with_breakage(
            Breakage(method="GET", path="/attributes/.+", drop_request_headers=NO_TENANT)
        ),
    ),
]

SEEDED_CASES: list[tuple[str, Platform]] = [
    (
        "MIM1.RO.TYPES",
        with_breakage(
            Breakage(method="GET", path=TYPES, edit_body=lambda b: {**b, "type": "TypeList"})
        ),
    ),
    (
        "MIM1.RO.ATTRIBUTES",
        with_breakage(
            Breakage(
                method="GET", path="/attributes$", edit_body=lambda b: {**b, "id": "not a uri"}
            )
        ),
    ),
    (
        "MIM1.RO.QUERY.TYPE",
        with_breakage(
            Breakage(
                method="GET", path="/entities$", edit_body=_each(lambda e: {**e, "type": "Other"})
            )
        ),
    ),
    (
        "MIM1.RO.QUERY.LIMIT",
        with_breakage(Breakage(method="GET", path="/entities$", drop_params=("limit",))),
    ),
    (
        "MIM1.RO.RETRIEVE.SAME",
        with_breakage(
            Breakage(
                method="GET",
                path="/entities/.+",
                edit_body=lambda e: {**e, "id": "urn:ngsi-ld:Seeded:other"},
            )
        ),
    ),
    (
        "MIM1.RO.TYPE.INFO",
        with_breakage(
            Breakage(method="GET", path=ONE_TYPE, edit_body=lambda b: {**b, "entityCount": 0})
        ),
    ),
    (
        "MIM1.RO.COUNT",
        with_breakage(
            Breakage(method="GET", path="/entities$", drop_headers=("ngsild-results-count",))
        ),
    ),
]


@pytest.mark.parametrize(("check_id", "platform"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, platform: Platform) -> None:
    assert_fails_with_evidence(*await verdict(check_id, platform))


@pytest.mark.parametrize(("check_id", "platform"), SEEDED_CASES, ids=[c[0] for c in SEEDED_CASES])
async def test_read_only_check_fails_on_broken_platform(check_id: str, platform: Platform) -> None:
    assert_fails_with_evidence(*await verdict(check_id, platform, seeded=True))


@pytest.mark.parametrize("check_id", [c[0] for c in CASES + SEEDED_CASES])
async def test_check_passes_on_the_intact_platform(check_id: str) -> None:
    outcome, _, reason = await verdict(check_id, lambda app: app, seeded=True)
    assert outcome is Outcome.PASS, reason


NEEDS_DATA = [c[0] for c in SEEDED_CASES if c[0] not in ("MIM1.RO.TYPES", "MIM1.RO.ATTRIBUTES")]


@pytest.mark.parametrize("check_id", NEEDS_DATA)
async def test_read_only_check_skips_without_data(check_id: str) -> None:
    outcome, _, reason = await verdict(check_id, lambda app: app)
    assert outcome is Outcome.SKIP
    assert reason == "no existing entities to read"
