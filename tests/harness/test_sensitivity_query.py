"""Query, q-language and geo-query checks fail on a platform broken in the matching way.

Most breakages drop the URL parameter that carries the filter (the platform then ignores it),
or add/remove entities in the answer; every broken platform must make its check FAIL with
evidence.
"""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.checks import catalogue
from mim_suite.checks.mim1.qlang import CASES as Q_CASES
from mim_suite.model import Evidence, Outcome
from tests.harness.breakage import Breakage, broken, run_check
from tests.harness.conftest import reference_app

QUERY = "/entities$"
POST_QUERY = "/entityOperations/query$"
FAKE = {"id": "urn:ngsi-ld:Intruder:mimtest-sensitivity", "type": "Intruder"}


def drop_first(body: Any) -> Any:
    return body[1:] if isinstance(body, list) else body


def add_intruder(body: Any) -> Any:
    return [*body, FAKE] if isinstance(body, list) else body


def ignore(*params: str) -> Breakage:
    """GET /entities ignores ``params`` (the server never sees them)."""
    return Breakage(method="GET", path=QUERY, drop_params=params)


GEO = ("georel", "geometry", "coordinates")

CASES: list[tuple[str, Breakage]] = [
    ("MIM1.QUERY.TYPE", Breakage(method="GET", path=QUERY, edit_body=drop_first)),
    ("MIM1.QUERY.TYPE.OR_COMMA", Breakage(method="GET", path=QUERY, edit_body=drop_first)),
    ("MIM1.QUERY.TYPE.OR_PIPE", Breakage(method="GET", path=QUERY, edit_body=add_intruder)),
    ("MIM1.QUERY.TYPE.AND", Breakage(method="GET", path=QUERY, edit_body=add_intruder)),
    ("MIM1.QUERY.TYPE.INVALID", Breakage(method="GET", path=QUERY, status=200)),
    ("MIM1.QUERY.ID", ignore("id")),
    ("MIM1.QUERY.ID.INVALID", ignore("id")),
    ("MIM1.QUERY.IDPATTERN", ignore("idPattern")),
    ("MIM1.QUERY.ATTRS.FILTER", ignore("attrs")),
    ("MIM1.QUERY.ATTRS.PROJECTION", ignore("attrs")),
    ("MIM1.QUERY.EMPTY", Breakage(method="GET", path=QUERY, edit_body=add_intruder)),
    ("MIM1.QUERY.TOO_WIDE", Breakage(method="GET", path=QUERY, status=200)),
    ("MIM1.QUERY.Q.INVALID", ignore("q")),
    ("MIM1.QUERY.POST.TYPE", Breakage(method="POST", path=POST_QUERY, edit_body=add_intruder)),
    ("MIM1.QUERY.POST.Q", Breakage(method="POST", path=POST_QUERY, edit_body=drop_first)),
    ("MIM1.QUERY.POST.NOT_QUERY", Breakage(method="POST", path=POST_QUERY, status=200)),
    *((case.check_id, ignore("q")) for case in Q_CASES),
    ("MIM1.GEO.NEAR.MAX_DISTANCE", ignore(*GEO)),
    ("MIM1.GEO.NEAR.MIN_DISTANCE", ignore(*GEO)),
    ("MIM1.GEO.WITHIN", ignore(*GEO)),
    ("MIM1.GEO.INTERSECTS", ignore(*GEO)),
    ("MIM1.GEO.DISJOINT", ignore(*GEO)),
    ("MIM1.GEO.CONTAINS", ignore(*GEO)),
    ("MIM1.GEO.GEOPROPERTY", ignore("geoproperty")),
    ("MIM1.GEO.NO_GEOPROPERTY", Breakage(method="GET", path=QUERY, edit_body=add_intruder)),
    ("MIM1.GEO.POST_GEOQ", Breakage(method="POST", path=POST_QUERY, edit_body=drop_first)),
    ("MIM1.GEO.MISSING_GEOREL", Breakage(method="GET", path=QUERY, status=200)),
    ("MIM1.GEO.BAD_COORDINATES", ignore("coordinates", "georel", "geometry")),
    ("MIM1.GEO.BAD_DISTANCE", Breakage(method="GET", path=QUERY, status=500)),
]


async def verdict(check_id: str, breakage: Breakage) -> tuple[Outcome, Evidence | None]:
    result = await run_check(check_id, broken(reference_app(), breakage))
    return result.outcome, result.evidence


def test_at_least_a_third_of_the_area_is_covered() -> None:
    mine = [
        c.info.id
        for c in catalogue()
        if c.info.id.startswith(("MIM1.QUERY.", "MIM1.QLANG.", "MIM1.GEO."))
    ]
    covered = {check_id for check_id, _ in CASES}
    assert covered <= set(mine)
    assert len(covered) * 3 >= len(mine)


@pytest.mark.parametrize(("check_id", "breakage"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, breakage: Breakage) -> None:
    outcome, evidence = await verdict(check_id, breakage)
    assert outcome is Outcome.FAIL
    assert evidence is not None
    assert evidence.exchanges, "a failure carries the exchange that shows it"
    assert evidence.exchanges[-1].curl.startswith("curl ")
