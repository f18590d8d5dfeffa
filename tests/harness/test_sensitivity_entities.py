"""Entity checks fail on a platform broken in the matching way, with readable evidence."""

from __future__ import annotations

import httpx
import pytest

from mim_suite.checks import catalogue, select
from mim_suite.model import Outcome
from mim_suite.probe import Probe, Target
from mim_suite.runner import RunSettings, run_checks
from tests.harness.breakage import Breakage, broken
from tests.harness.conftest import API_ROOT, reference_app

CASES = [
    ("MIM1.ENT.CREATE.201", Breakage(method="POST", path="/entities$", status=200)),
    (
        "MIM1.ENT.CREATE.LOCATION",
        Breakage(method="POST", path="/entities$", drop_headers=("location",)),
    ),
    (
        "MIM1.ENT.CREATE.409",
        Breakage(
            method="POST",
            path="/entities$",
            edit_body=lambda b: (
                {**b, "type": "https://uri.etsi.org/ngsi-ld/errors/InternalError"}
                if isinstance(b, dict)
                else b
            ),
        ),
    ),
    ("MIM1.ENT.RETRIEVE.404", Breakage(method="GET", path="/entities/.+", status=400)),
    ("MIM1.ENT.DELETE.204", Breakage(method="DELETE", path="/entities/.+", status=200)),
    (
        "MIM1.ENT.RETRIEVE.ATTRS",
        Breakage(
            method="GET",
            path="/entities/.+",
            edit_body=lambda b: {k: v for k, v in b.items() if k != "speed"},
        ),
    ),
]


async def verdict(check_id: str, breakage: Breakage) -> tuple[Outcome, object]:
    app = broken(reference_app(), breakage)
    probe = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=app))
    try:
        run = await run_checks(select(catalogue(), [check_id]), probe, RunSettings())
    finally:
        await probe.aclose()
    result = run.results[0]
    return result.outcome, result.evidence


@pytest.mark.parametrize(("check_id", "breakage"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, breakage: Breakage) -> None:
    outcome, evidence = await verdict(check_id, breakage)
    assert outcome is Outcome.FAIL
    assert evidence is not None
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")
