"""Pagination and counting of query answers (clauses 5.5.9, 6.3.10, 6.3.13).

``limit``/``offset``, ``count=true`` -> ``NGSILD-Results-Count``, ``Link`` headers with
``rel="next"``/``rel="prev"`` pointing at the same resource with the parameters sorted by name
(spec-notes 5, 10.18). The conftest platform allows at most 100 results a page, 20 by default.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.server.conftest import CORE_V18

ERR = "https://uri.etsi.org/ngsi-ld/errors/"
TOTAL = 25
PATH = "/ngsi-ld/v1/entities"


@pytest.fixture
async def fleet(client: httpx.AsyncClient) -> None:
    items = [
        {"id": f"urn:ngsi-ld:Vehicle:V{n:02d}", "type": "Vehicle", "speed": n} for n in range(TOTAL)
    ]
    response = await client.post("/entityOperations/create", json=items)
    assert response.status_code == 201, response.text


def page_links(response: httpx.Response) -> dict[str, str]:
    """The pagination links of the Link header, by relation; the @context link left out."""
    found: dict[str, str] = {}
    for target, rel, media in re.findall(
        r'<([^>]*)>;rel="(next|prev)";type="([^"]*)"', response.headers.get("link", "")
    ):
        assert media == response.headers["content-type"]
        found[rel] = target
    return found


def numbers(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [int(e["id"].rsplit("V", 1)[1]) for e in response.json()]


async def test_default_page_size(client: httpx.AsyncClient, fleet: None) -> None:
    response = await client.get("/entities", params={"type": "Vehicle"})
    assert numbers(response) == list(range(20))
    assert "ngsild-results-count" not in response.headers
    assert page_links(response) == {"next": f"{PATH}?limit=20&offset=20&type=Vehicle"}


async def test_walk_pages_in_a_stable_order(client: httpx.AsyncClient, fleet: None) -> None:
    seen: list[int] = []
    url: str | None = "/entities?type=Vehicle&limit=7&count=true"
    while url is not None:
        response = await client.get(url)
        assert response.headers["ngsild-results-count"] == str(TOTAL)
        seen += numbers(response)
        following = page_links(response).get("next")
        url = None if following is None else following.removeprefix("/ngsi-ld/v1")
    assert seen == list(range(TOTAL))


async def test_links_sorted_and_complete(client: httpx.AsyncClient, fleet: None) -> None:
    params = {"type": "Vehicle", "q": "speed>=0", "limit": "5", "offset": "10", "count": "true"}
    response = await client.get("/entities", params=params)
    assert numbers(response) == list(range(10, 15))
    assert page_links(response) == {
        "next": f"{PATH}?count=true&limit=5&offset=15&q=speed%3E%3D0&type=Vehicle",
        "prev": f"{PATH}?count=true&limit=5&offset=5&q=speed%3E%3D0&type=Vehicle",
    }
    # Both links and the @context link share one Link header.
    assert CORE_V18 in response.headers["link"]


async def test_first_and_last_pages(client: httpx.AsyncClient, fleet: None) -> None:
    first = await client.get("/entities", params={"type": "Vehicle", "limit": "10"})
    assert set(page_links(first)) == {"next"}
    last = await client.get("/entities", params={"type": "Vehicle", "limit": "10", "offset": "20"})
    assert numbers(last) == list(range(20, 25))
    assert set(page_links(last)) == {"prev"}
    assert page_links(last)["prev"] == f"{PATH}?limit=10&offset=10&type=Vehicle"
    beyond = await client.get("/entities", params={"type": "Vehicle", "offset": "100"})
    assert beyond.json() == []
    # prev of a short offset never goes below 0
    odd = await client.get("/entities", params={"type": "Vehicle", "limit": "10", "offset": "3"})
    assert page_links(odd)["prev"] == f"{PATH}?limit=10&offset=0&type=Vehicle"


async def test_one_page_has_no_links(client: httpx.AsyncClient, fleet: None) -> None:
    response = await client.get("/entities", params={"type": "Vehicle", "limit": "100"})
    assert len(response.json()) == TOTAL
    assert page_links(response) == {}


async def test_count_only(client: httpx.AsyncClient, fleet: None) -> None:
    params = {"type": "Vehicle", "limit": "0", "count": "true"}
    response = await client.get("/entities", params=params)
    assert response.json() == []
    assert response.headers["ngsild-results-count"] == str(TOTAL)
    assert page_links(response) == {}  # [TS-x] 019_31_05
    filtered = await client.get("/entities", params={**params, "q": "speed<5"})
    assert filtered.headers["ngsild-results-count"] == "5"
    none = await client.get("/entities", params={"type": "Ship", "count": "true"})
    assert none.headers["ngsild-results-count"] == "0"


async def test_ld_json_links_carry_the_response_type(
    client: httpx.AsyncClient, fleet: None
) -> None:
    response = await client.get(
        "/entities",
        params={"type": "Vehicle", "limit": "5"},
        headers={"Accept": "application/ld+json"},
    )
    assert response.headers["content-type"] == "application/ld+json"
    assert set(page_links(response)) == {"next"}


async def test_post_query_is_paginated(client: httpx.AsyncClient, fleet: None) -> None:
    response = await client.post(
        "/entityOperations/query",
        json={"type": "Query", "entities": [{"type": "Vehicle"}]},
        params={"limit": "10", "offset": "20", "count": "true"},
    )
    assert numbers(response) == list(range(20, 25))
    assert response.headers["ngsild-results-count"] == str(TOTAL)


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"limit": "101"}, 403, "TooManyResults"),  # unsettled (spec-notes 10.4): 403
        ({"limit": "0"}, 400, "BadRequestData"),
        ({"limit": "0", "count": "false"}, 400, "BadRequestData"),
        ({"limit": "-1"}, 400, "BadRequestData"),
        ({"limit": "1.5"}, 400, "BadRequestData"),
        ({"limit": "ten"}, 400, "BadRequestData"),
        ({"limit": ""}, 400, "BadRequestData"),
        ({"offset": "-1"}, 400, "BadRequestData"),
        ({"offset": "x"}, 400, "BadRequestData"),
        ({"offset": "9" * 30}, 400, "BadRequestData"),
        ({"count": "yes"}, 400, "BadRequestData"),
        ({"count": "1"}, 400, "BadRequestData"),
    ],
)
async def test_invalid_pagination(
    client: httpx.AsyncClient, fleet: None, params: dict[str, str], status: int, error: str
) -> None:
    for method in ("GET", "POST"):
        if method == "GET":
            response = await client.get("/entities", params={"type": "Vehicle", **params})
        else:
            response = await client.post(
                "/entityOperations/query",
                json={"type": "Query", "entities": [{"type": "Vehicle"}]},
                params=params,
            )
        assert response.status_code == status, response.text
        body = response.json()
        assert (body["type"], body["status"]) == (ERR + error, status)
    if status == 403:
        assert body["maximumLimit"] == 100


async def test_limit_at_the_maximum_is_fine(client: httpx.AsyncClient, fleet: None) -> None:
    response = await client.get("/entities", params={"type": "Vehicle", "limit": "100"})
    assert response.status_code == 200
