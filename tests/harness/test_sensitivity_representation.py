"""Representation checks (MIM1.REPR.*) fail on a platform broken in the matching way, with
readable evidence."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.model import Outcome
from tests.harness.breakage import Breakage, broken, run_check
from tests.harness.conftest import reference_app

ONE = "/entities/[^/]+$"


def _simplify(body: Any) -> Any:
    """A normalized entity turned into keyValues (values and objects only)."""
    if not isinstance(body, dict):
        return body
    return {
        k: (v.get("value", v.get("object")) if isinstance(v, dict) and "type" in v else v)
        for k, v in body.items()
    }


def _edit_attribute(name: str, change: Any) -> Any:
    def edit(body: Any) -> Any:
        if isinstance(body, dict) and name in body:
            return {**body, name: change(body[name])}
        return body

    return edit


def _without(*keys: str) -> Any:
    def edit(value: Any) -> Any:
        return (
            {k: v for k, v in value.items() if k not in keys} if isinstance(value, dict) else value
        )

    return edit


def _strip_attribute_timestamps(body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    drop = _without("createdAt", "modifiedAt")
    return {k: drop(v) if k not in ("createdAt", "modifiedAt") else v for k, v in body.items()}


def _rename(old: str, new: str) -> Any:
    def edit(body: Any) -> Any:
        if isinstance(body, dict):
            return {(new if k == old else k): v for k, v in body.items()}
        return body

    return edit


CASES = [
    ("MIM1.REPR.NORMALIZED.DEFAULT", Breakage(method="GET", path=ONE, edit_body=_simplify)),
    ("MIM1.REPR.KEYVALUES.OPTIONS", Breakage(method="GET", path=ONE, drop_params=("options",))),
    ("MIM1.REPR.SIMPLIFIED.FORMAT", Breakage(method="GET", path=ONE, drop_params=("format",))),
    (
        "MIM1.REPR.KEYVALUES.QUERY",
        Breakage(method="GET", path="/entities$", drop_params=("options",)),
    ),
    ("MIM1.REPR.CONCISE.PROPERTY", Breakage(method="GET", path=ONE, drop_params=("format",))),
    (
        "MIM1.REPR.CONCISE.LOSSLESS",
        Breakage(method="GET", path=ONE, edit_body=_edit_attribute("speed", _without("unitCode"))),
    ),
    ("MIM1.REPR.SYSATTRS.ENTITY", Breakage(method="GET", path=ONE, drop_params=("options",))),
    (
        "MIM1.REPR.SYSATTRS.ATTRIBUTE",
        Breakage(method="GET", path=ONE, edit_body=_strip_attribute_timestamps),
    ),
    (
        "MIM1.REPR.SYSATTRS.ABSENT",
        Breakage(
            method="GET",
            path=ONE,
            edit_body=lambda b: {**b, "createdAt": "2024-01-01T00:00:00Z"},
        ),
    ),
    ("MIM1.REPR.ATTRS.PROJECTION", Breakage(method="GET", path=ONE, drop_params=("attrs",))),
    ("MIM1.REPR.ATTRS.NONE_404", Breakage(method="GET", path=ONE, drop_params=("attrs",))),
    ("MIM1.REPR.PICK", Breakage(method="GET", path=ONE, drop_params=("pick",))),
    ("MIM1.REPR.OMIT", Breakage(method="GET", path=ONE, drop_params=("omit",))),
    ("MIM1.REPR.LANG.FILTER", Breakage(method="GET", path=ONE, drop_params=("lang",))),
    (
        "MIM1.REPR.LANG.TAG",
        Breakage(method="GET", path=ONE, edit_body=_edit_attribute("says", _without("lang"))),
    ),
    (
        "MIM1.REPR.MULTI.ARRAY",
        Breakage(method="GET", path=ONE, edit_body=_edit_attribute("speed", lambda v: v[0])),
    ),
    (
        "MIM1.REPR.GEOJSON.MEDIA",
        Breakage(method="GET", path=ONE, set_headers={"Content-Type": "application/json"}),
    ),
    (
        "MIM1.REPR.GEOJSON.FEATURE",
        Breakage(method="GET", path=ONE, edit_body=lambda b: {**b, "geometry": None}),
    ),
    (
        "MIM1.REPR.GEOJSON.CONTEXT",
        Breakage(method="GET", path=ONE, edit_body=_without("@context")),
    ),
    (
        "MIM1.REPR.GEOJSON.PREFER_LINK",
        Breakage(method="GET", path=ONE, drop_request_headers=("prefer",)),
    ),
    (
        "MIM1.REPR.GEOJSON.COLLECTION",
        Breakage(method="GET", path="/entities$", edit_body=lambda b: b.get("features")),
    ),
    (
        "MIM1.REPR.GEOJSON.GEOMETRY_PROPERTY",
        Breakage(method="GET", path=ONE, drop_params=("geometryProperty",)),
    ),
    (
        "MIM1.REPR.GEOJSON.SIMPLIFIED",
        Breakage(method="GET", path=ONE, drop_params=("format",)),
    ),
]


async def verdict(check_id: str, breakage: Breakage) -> tuple[Outcome, object]:
    result = await run_check(check_id, broken(reference_app(), breakage))
    return result.outcome, result.evidence


@pytest.mark.parametrize(("check_id", "breakage"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, breakage: Breakage) -> None:
    outcome, evidence = await verdict(check_id, breakage)
    assert outcome is Outcome.FAIL
    assert evidence is not None
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")


@pytest.mark.parametrize("check_id", sorted({c[0] for c in CASES}))
async def test_check_passes_on_the_intact_platform(check_id: str) -> None:
    outcome, _ = await verdict(check_id, Breakage(method="NONE"))
    assert outcome is Outcome.PASS
