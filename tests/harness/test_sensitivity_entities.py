"""Entity checks fail on a platform broken in the matching way, with readable evidence."""

from __future__ import annotations

import pytest

from mim_suite.model import Outcome
from tests.harness.breakage import Breakage, broken, run_check
from tests.harness.conftest import reference_app

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
    result = await run_check(check_id, broken(reference_app(), breakage))
    return result.outcome, result.evidence


@pytest.mark.parametrize(("check_id", "breakage"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, breakage: Breakage) -> None:
    outcome, evidence = await verdict(check_id, breakage)
    assert outcome is Outcome.FAIL
    assert evidence is not None
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")
