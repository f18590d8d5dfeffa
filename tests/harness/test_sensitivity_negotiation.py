"""Content negotiation and @context checks (MIM1.NEG.*, MIM1.CTX.*) fail on a platform broken
in the matching way, with readable evidence."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.model import Outcome
from tests.harness.breakage import Breakage
from tests.harness.test_sensitivity_representation import verdict

ONE = "/entities/[^/]+$"
ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
VOCAB = "https://example.org/mim-suite/vocab/"


def _problem_type(error_type: str) -> Any:
    def edit(body: Any) -> Any:
        return {**body, "type": ERRORS + error_type} if isinstance(body, dict) else body

    return edit


def _rename(old: str, new: str) -> Any:
    def rename(item: Any) -> Any:
        if isinstance(item, dict):
            return {(new if k == old else k): v for k, v in item.items()}
        return item

    def edit(body: Any) -> Any:
        return [rename(i) for i in body] if isinstance(body, list) else rename(body)

    return edit


def _without_context(body: Any) -> Any:
    if isinstance(body, list):
        return [_without_context(i) for i in body]
    return {k: v for k, v in body.items() if k != "@context"} if isinstance(body, dict) else body


LDJSON = {"Content-Type": "application/ld+json"}

CASES = [
    ("MIM1.NEG.ACCEPT.WILDCARD", Breakage(method="GET", path=ONE, set_headers=LDJSON)),
    ("MIM1.NEG.ACCEPT.SUBTYPE_WILDCARD", Breakage(method="GET", path=ONE, set_headers=LDJSON)),
    ("MIM1.NEG.ACCEPT.ORDER", Breakage(method="GET", path=ONE, set_headers=LDJSON)),
    (
        "MIM1.NEG.ACCEPT.QVALUES",
        Breakage(method="GET", path=ONE, drop_request_headers=("accept",)),
    ),
    (
        "MIM1.NEG.ACCEPT.QZERO",
        Breakage(method="GET", path=ONE, drop_request_headers=("accept",)),
    ),
    (
        "MIM1.NEG.ACCEPT.LDJSON",
        Breakage(method="GET", path=ONE, set_headers={"Content-Type": "application/json"}),
    ),
    ("MIM1.NEG.LDJSON.CONTEXT", Breakage(method="GET", path=ONE, edit_body=_without_context)),
    (
        "MIM1.NEG.LDJSON.QUERY_CONTEXT",
        Breakage(method="GET", path="/entities$", edit_body=_without_context),
    ),
    ("MIM1.NEG.JSON.LINK", Breakage(method="GET", path=ONE, drop_headers=("link",))),
    (
        "MIM1.NEG.JSON.LINK_QUERY",
        Breakage(
            method="GET",
            path="/entities$",
            set_headers={"Link": '<https://example.org/ctx.jsonld>; rel="alternate"'},
        ),
    ),
    ("MIM1.NEG.406.RETRIEVE", Breakage(method="GET", path=ONE, status=200)),
    (
        "MIM1.NEG.406.UNKNOWN_ENTITY",
        Breakage(method="GET", path=ONE, drop_request_headers=("accept",)),
    ),
    ("MIM1.NEG.406.QUERY", Breakage(method="GET", path="/entities$", status=400)),
    (
        "MIM1.NEG.406.POST_QUERY",
        Breakage(method="POST", path="/entityOperations/query$", drop_request_headers=("accept",)),
    ),
    (
        "MIM1.NEG.406.BODY",
        Breakage(method="GET", path=ONE, edit_body=lambda b: {"detail": "not acceptable"}),
    ),
    ("MIM1.NEG.406.GEOJSON_TYPES", Breakage(method="GET", path="/types$", status=200)),
    ("MIM1.NEG.415.CREATE", Breakage(method="POST", path="/entities$", status=400)),
    ("MIM1.NEG.415.UNKNOWN_ENTITY", Breakage(method="PATCH", path="/attrs/", status=404)),
    (
        "MIM1.NEG.415.MISSING",
        Breakage(
            method="POST", path="/entities$", edit_body=_problem_type("BadRequestData"), status=400
        ),
    ),
    ("MIM1.NEG.MERGE_PATCH.ATTRIBUTE", Breakage(method="PATCH", path="/attrs/", status=415)),
    ("MIM1.NEG.MERGE_PATCH.ENTITY", Breakage(method="PATCH", path=ONE, status=415)),
    (
        "MIM1.CTX.LDJSON.NO_CONTEXT",
        Breakage(method="POST", path="/entities$", edit_body=_problem_type("InvalidRequest")),
    ),
    (
        "MIM1.CTX.LDJSON.WITH_LINK",
        Breakage(method="POST", path="/entities$", drop_request_headers=("link",)),
    ),
    ("MIM1.CTX.JSON.BODY_CONTEXT", Breakage(method="POST", path="/entities$", status=201)),
    (
        "MIM1.CTX.JSON.BODY_CONTEXT_PATCH",
        Breakage(method="PATCH", path="/attrs$", status=204),
    ),
    (
        "MIM1.CTX.USER.EXPANDED",
        Breakage(method="GET", path=ONE, edit_body=_rename(VOCAB + "mimSpeed", "mimSpeed")),
    ),
    (
        "MIM1.CTX.USER.COMPACTED",
        Breakage(
            method="POST",
            path="/entityOperations/query$",
            edit_body=_rename("mimSpeed", VOCAB + "mimSpeed"),
        ),
    ),
    (
        "MIM1.CTX.IRI.CORE_TERM",
        Breakage(
            method="GET",
            path=ONE,
            edit_body=_rename("location", "https://uri.etsi.org/ngsi-ld/location"),
        ),
    ),
    ("MIM1.CTX.REMOTE.UNAVAILABLE", Breakage(method="GET", path="/entities$", status=400)),
]


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
