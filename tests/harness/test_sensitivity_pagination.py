"""Pagination and count checks fail on a platform broken in the matching way: limit or offset
ignored, the NGSILD-Results-Count header or the pagination Link header missing or wrong."""

from __future__ import annotations

import pytest

from mim_suite.checks import catalogue
from mim_suite.model import Outcome
from tests.harness.breakage import Breakage
from tests.harness.test_sensitivity_query import POST_QUERY, QUERY, add_intruder, verdict


def ignore(*params: str) -> Breakage:
    return Breakage(method="GET", path=QUERY, drop_params=params)


NEXT = '</ngsi-ld/v1/entities?type=X&limit=5&offset=5>;rel="next";type="application/json"'

CASES: list[tuple[str, Breakage]] = [
    ("MIM1.PAGE.LIMIT", ignore("limit")),
    ("MIM1.PAGE.OFFSET", ignore("offset")),
    ("MIM1.PAGE.OFFSET.WALK", ignore("offset")),
    ("MIM1.PAGE.LIMIT.MAX", Breakage(method="GET", path=QUERY, status=500)),
    ("MIM1.PAGE.LIMIT.NEGATIVE", ignore("limit")),
    ("MIM1.PAGE.OFFSET.NEGATIVE", ignore("offset")),
    ("MIM1.PAGE.LIMIT.NOT_INTEGER", Breakage(method="GET", path=QUERY, status=200)),
    ("MIM1.PAGE.LIMIT.ZERO_WITHOUT_COUNT", ignore("limit")),
    (
        "MIM1.PAGE.COUNT",
        Breakage(method="GET", path=QUERY, drop_headers=("NGSILD-Results-Count",)),
    ),
    (
        "MIM1.PAGE.COUNT.LIMIT_ZERO",
        Breakage(method="GET", path=QUERY, when_param="count", edit_body=add_intruder),
    ),
    (
        "MIM1.PAGE.COUNT.POST",
        Breakage(method="POST", path=POST_QUERY, set_headers={"NGSILD-Results-Count": "2"}),
    ),
    ("MIM1.PAGE.LINK.NEXT", Breakage(method="GET", path=QUERY, drop_headers=("link",))),
    ("MIM1.PAGE.LINK.WALK", Breakage(method="GET", path=QUERY, drop_headers=("link",))),
    ("MIM1.PAGE.LINK.PREV", Breakage(method="GET", path=QUERY, drop_headers=("link",))),
    ("MIM1.PAGE.LINK.LAST", Breakage(method="GET", path=QUERY, set_headers={"link": NEXT})),
]


def test_at_least_a_third_of_the_area_is_covered() -> None:
    mine = [c.info.id for c in catalogue() if c.info.id.startswith("MIM1.PAGE.")]
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
