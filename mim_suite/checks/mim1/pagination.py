"""Pagination and counting of Query Entities results (ETSI GS CIM 009 V1.8.1 clauses 5.5.9,
6.3.10, 6.3.13; limit/offset parameters of 6.4.3.2).

Each check creates five entities of a private type and pages through them. Pagination links
are parsed and followed; their results are compared, never their exact strings (parameter
order and absolute vs relative targets are not pinned down, spec-notes section 10 item 18).
For invalid ``limit``/``offset`` values the specification names no error type, so either of
the two 400 types, BadRequestData or InvalidRequest, is accepted. The platform's maximum page
size is implementation-defined (section 10 item 4): above it, 403 TooManyResults and 400
BadRequestData are both accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import urljoin

from mim_suite.checks.base import CheckContext, CheckFunc, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1.query import (
    describe,
    expect_bad_request,
    expect_selection,
    ids_in,
    populate,
    post_query,
    prop,
)
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "pagination"
TOTAL = 5
COUNT_HEADER = "NGSILD-Results-Count"

_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))', re.IGNORECASE)


def page_links(response: ProbeResponse) -> dict[str, str]:
    """rel -> target of every Link header value (RFC 8288), e.g. ``{"next": "/ngsi-ld/..."}``."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(", ".join(response.headers.get_list("link"))):
        rel = _REL.search(match.group(2))
        if rel is not None:
            for name in (rel.group(1) or rel.group(2)).split():
                links.setdefault(name.lower(), match.group(1).strip())
    return links


async def five(ctx: CheckContext) -> tuple[str, dict[str, str]]:
    """Five entities of a fresh type; returns the type and label -> id."""
    kind = ctx.type_name("Page")
    ids = await populate(ctx, kind, {f"entity {n}": {"level": prop(n)} for n in range(TOTAL)})
    return kind, ids


async def page(ctx: CheckContext, params: Mapping[str, str]) -> tuple[list[str], ProbeResponse]:
    response = await ctx.get("/entities", params=dict(params))
    return ids_in(ctx, response, f"GET /entities?{describe(params)}"), response


async def follow(ctx: CheckContext, response: ProbeResponse, rel: str) -> list[str]:
    """Follow the ``rel`` pagination link of ``response`` and return the ids of that page."""
    target = page_links(response)[rel]
    followed = await ctx.get(urljoin(response.url, target))
    return ids_in(ctx, followed, f'the rel="{rel}" link {target}')


def count_of(ctx: CheckContext, response: ProbeResponse) -> int:
    raw = response.header(COUNT_HEADER)
    ctx.expect(raw is not None, f"a {COUNT_HEADER} header", "no such header")
    assert raw is not None
    ctx.expect(raw.strip().isdigit(), f"{COUNT_HEADER} as a whole number", repr(raw))
    return int(raw)


def _check(
    check_id: str,
    requirement: str,
    clause: str,
    strength: Strength = Strength.SHALL,
    *,
    writes: bool = True,
) -> Callable[[CheckFunc], CheckFunc]:
    return check(
        check_id,
        mim=MIM,
        area=AREA,
        requirement=requirement,
        source=NGSI_LD(clause),
        strength=strength,
        writes=writes,
    )


# -- limit and offset -------------------------------------------------------------------------


@_check("MIM1.PAGE.LIMIT", "A query never returns more entities than limit.", "5.5.9.1")
async def limit_caps(ctx: CheckContext) -> None:
    kind, ids = await five(ctx)
    got, _ = await page(ctx, {"type": kind, "limit": "2"})
    ctx.expect(len(got) == 2, "2 of the 5 matching entities with limit=2", f"{len(got)}")
    ctx.expect(set(got) <= set(ids.values()), "only entities of the queried type", f"{got}")


@_check(
    "MIM1.PAGE.OFFSET",
    "A query with offset skips that many of the matching entities.",
    "5.5.9.2",
    Strength.SHOULD,
)
async def offset_skips(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    got, _ = await page(ctx, {"type": kind, "limit": str(TOTAL), "offset": "2"})
    ctx.expect(len(got) == TOTAL - 2, f"{TOTAL - 2} of 5 entities with offset=2", f"{len(got)}")


@_check(
    "MIM1.PAGE.OFFSET.WALK",
    "Consecutive limit/offset pages together return every matching entity exactly once.",
    "5.5.9.2",
    Strength.SHOULD,
)
async def offset_walk(ctx: CheckContext) -> None:
    kind, ids = await five(ctx)
    seen: list[str] = []
    for offset in range(0, TOTAL, 2):
        got, _ = await page(ctx, {"type": kind, "limit": "2", "offset": str(offset)})
        seen += got
    expect_selection(ctx, seen, ids, ids, f"pages of 2 (offset 0, 2, 4) over type={kind}")


@_check(
    "MIM1.PAGE.LIMIT.MAX",
    "A limit above the platform's maximum is honoured or refused with 403 TooManyResults or"
    " 400 BadRequestData.",
    "5.5.6",
    writes=False,
)
async def limit_above_maximum(ctx: CheckContext) -> None:
    params = {"type": ctx.type_name("Page"), "limit": "1000000"}
    response = await ctx.get("/entities", params=params)
    if response.status == 200:
        ids_in(ctx, response, describe(params))
        ctx.note("limit=1000000 is accepted")
        return
    ctx.expect(
        response.status in (400, 403),
        "200, or a refusal: 403 TooManyResults or 400 BadRequestData",
        f"{response.status}: {response.text[:300]}",
    )
    if response.status == 403:
        ctx.expect_problem(response, 403, "TooManyResults")
    else:
        expect_bad_request(ctx, response, what=describe(params))
    body = ctx.json(response)
    ctx.note(f"limit=1000000 refused: {body.get('detail') if isinstance(body, dict) else body}")


async def _refused(ctx: CheckContext, **values: str) -> None:
    params = {"type": ctx.type_name("Page"), **values}
    response = await ctx.get("/entities", params=params)
    expect_bad_request(ctx, response, "BadRequestData", "InvalidRequest", what=describe(params))


@_check(
    "MIM1.PAGE.LIMIT.NEGATIVE",
    "A negative limit is rejected with 400.",
    "6.3.10",
    writes=False,
)
async def negative_limit(ctx: CheckContext) -> None:
    await _refused(ctx, limit="-1")


@_check(
    "MIM1.PAGE.OFFSET.NEGATIVE",
    "A negative offset is rejected with 400.",
    "6.3.10",
    writes=False,
)
async def negative_offset(ctx: CheckContext) -> None:
    await _refused(ctx, offset="-1")


@_check(
    "MIM1.PAGE.LIMIT.NOT_INTEGER",
    "A limit that is not a whole number is rejected with 400.",
    "6.3.10",
    writes=False,
)
async def limit_not_integer(ctx: CheckContext) -> None:
    await _refused(ctx, limit="two")


@_check(
    "MIM1.PAGE.LIMIT.ZERO_WITHOUT_COUNT",
    "limit=0 without count=true is rejected with 400.",
    "6.3.10",
    writes=False,
)
async def limit_zero_without_count(ctx: CheckContext) -> None:
    await _refused(ctx, limit="0")


# -- counting (6.3.13) ------------------------------------------------------------------------


@_check(
    "MIM1.PAGE.COUNT",
    "With count=true the NGSILD-Results-Count header gives the total number of matches,"
    " whatever the limit.",
    "6.3.13",
)
async def count_header(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    _, response = await page(ctx, {"type": kind, "limit": "2", "count": "true"})
    total = count_of(ctx, response)
    ctx.expect(total == TOTAL, f"{COUNT_HEADER}: {TOTAL}", f"{COUNT_HEADER}: {total}")


@_check(
    "MIM1.PAGE.COUNT.LIMIT_ZERO",
    "limit=0 with count=true answers an empty array and the total in NGSILD-Results-Count.",
    "6.3.13",
)
async def count_limit_zero(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    got, response = await page(ctx, {"type": kind, "limit": "0", "count": "true"})
    ctx.expect(got == [], "an empty array with limit=0", f"{len(got)} entities")
    total = count_of(ctx, response)
    ctx.expect(total == TOTAL, f"{COUNT_HEADER}: {TOTAL}", f"{COUNT_HEADER}: {total}")


@_check(
    "MIM1.PAGE.COUNT.POST",
    "POST /entityOperations/query with count=true gives the total in NGSILD-Results-Count.",
    "6.3.13",
)
async def count_post(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    body = {"type": "Query", "entities": [{"type": kind}]}
    response = await post_query(ctx, body, {"limit": "2", "count": "true"})
    got = ids_in(ctx, response, f"POST ?limit=2&count=true {body}")
    ctx.expect(len(got) <= 2, "at most 2 entities with limit=2", f"{len(got)}")
    total = count_of(ctx, response)
    ctx.expect(total == TOTAL, f"{COUNT_HEADER}: {TOTAL}", f"{COUNT_HEADER}: {total}")


# -- pagination links (6.3.10) ------------------------------------------------------------------


@_check(
    "MIM1.PAGE.LINK.NEXT",
    'A page with more results pending carries a Link rel="next" whose target returns the next'
    " page of the same query.",
    "6.3.10",
)
async def link_next(ctx: CheckContext) -> None:
    kind = ctx.type_name("Page")
    rows = {f"level {n}": {"level": prop(n)} for n in (1, 2, 3, 4, 5, -1, -2)}
    ids = await populate(ctx, kind, rows)
    matching = {ids[f"level {n}"] for n in (1, 2, 3, 4, 5)}
    first, response = await page(ctx, {"type": kind, "q": "level>0", "limit": "2"})
    links = page_links(response)
    ctx.expect(
        "next" in links, 'a Link header with rel="next" (3 of 5 matches pending)', f"{links}"
    )
    second = await follow(ctx, response, "next")
    ctx.expect(0 < len(second) <= 2, "1 or 2 entities on the next page (limit=2)", f"{len(second)}")
    ctx.expect(
        set(second) <= matching and not set(second) & set(first),
        "entities matching the query (q=level>0) that were not on the first page",
        f"first page {first}, next page {second}",
    )


@_check(
    "MIM1.PAGE.LINK.WALK",
    'Following rel="next" links from the first page visits every match exactly once and ends'
    " on a page without a next link.",
    "5.5.9.1",
)
async def link_walk(ctx: CheckContext) -> None:
    kind, ids = await five(ctx)
    seen, response = await page(ctx, {"type": kind, "limit": "2"})
    for _ in range(TOTAL):
        if "next" not in page_links(response):
            break
        target = urljoin(response.url, page_links(response)["next"])
        response = await ctx.get(target)
        seen += ids_in(ctx, response, f'the rel="next" link {target}')
    ctx.expect(
        "next" not in page_links(response),
        "no rel=next link on the last page",
        f"still a next link after {TOTAL} pages",
    )
    expect_selection(ctx, seen, ids, ids, f'pages of 2 over type={kind} via rel="next"')


@_check(
    "MIM1.PAGE.LINK.PREV",
    'A page after the first carries a Link rel="prev" whose target returns the previous page.',
    "6.3.10",
)
async def link_prev(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    first, _ = await page(ctx, {"type": kind, "limit": "2"})
    params = {"type": kind, "limit": "2", "offset": "2"}
    response = await ctx.get("/entities", params=params)
    if response.status != 200:
        ctx.skip(f"offset is not supported ({response.status}; see MIM1.PAGE.OFFSET)")
    links = page_links(response)
    ctx.expect("prev" in links, 'a Link header with rel="prev" on the second page', f"{links}")
    previous = await follow(ctx, response, "prev")
    ctx.expect(
        sorted(previous) == sorted(first),
        f"the first page {sorted(first)}",
        f"{sorted(previous)}",
    )


@_check(
    "MIM1.PAGE.LINK.LAST",
    'A page that holds the last of the matches carries no Link rel="next".',
    "5.5.9.1",
)
async def link_last(ctx: CheckContext) -> None:
    kind, _ = await five(ctx)
    got, response = await page(ctx, {"type": kind, "limit": str(TOTAL)})
    ctx.expect(len(got) == TOTAL, f"all {TOTAL} entities with limit={TOTAL}", f"{len(got)}")
    links = page_links(response)
    ctx.expect("next" not in links, 'no rel="next" link: nothing is pending', f"{links}")
