"""JSON-LD context Link header parsing and formatting (CIM 009 6.3.5; RFC 8288)."""

from __future__ import annotations

import pytest

from reference_server.jsonld import (
    CORE_CONTEXT_URL,
    JSONLD_CONTEXT_REL,
    InvalidContext,
    format_link_header,
    parse_link_header,
)

CTX = "https://example.org/ctx.jsonld"
REL = f'rel="{JSONLD_CONTEXT_REL}"'


def test_format_link_header() -> None:
    assert format_link_header(CTX) == (
        f'<{CTX}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
    )


@pytest.mark.parametrize(
    "url", [CTX, CORE_CONTEXT_URL, "https://e.example/a,b;c.jsonld?x=1&y=2#frag"]
)
def test_format_then_parse_round_trips(url: str) -> None:
    assert parse_link_header([format_link_header(url)]) == url


def test_format_rejects_angle_brackets() -> None:
    with pytest.raises(ValueError, match="not a URL"):
        format_link_header("https://e.example/<x>")


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        ["   "],
        ['<https://e.example/next>; rel="next"'],
        [f"<{CTX}>"],
        [f'<{CTX}>; rel="http://www.w3.org/ns/json-ld#contexts"'],
        [f'<{CTX}>; type="application/ld+json"'],
    ],
)
def test_no_context_link(values: list[str]) -> None:
    assert parse_link_header(values) is None


@pytest.mark.parametrize(
    "value",
    [
        f"<{CTX}>; {REL}",
        f'<{CTX}>; {REL}; type="application/ld+json"',
        f"<{CTX}>;rel={JSONLD_CONTEXT_REL};type=application/ld+json",
        f'  < {CTX} >  ;  rel = "{JSONLD_CONTEXT_REL}"  ',
        f'<{CTX}>; rel="alternate {JSONLD_CONTEXT_REL}"',
        f'<{CTX}>; rel="{JSONLD_CONTEXT_REL.upper()}"',
        f'<{CTX}>; REL="{JSONLD_CONTEXT_REL}"',
        f'<{CTX}>; title="a, b; <c>"; {REL}',
        f'<{CTX}>; title="say \\"hi\\", ok"; {REL}',
        f"<{CTX}>; anchor; {REL}",
    ],
)
def test_single_context_link_variants(value: str) -> None:
    assert parse_link_header([value]) == CTX


def test_url_with_commas_and_semicolons() -> None:
    url = "https://e.example/ctx;v=1,2.jsonld"
    header = f'<https://e.example/next>; rel="next", <{url}>; {REL}, <https://e.example/p>'
    assert parse_link_header([header]) == url


def test_context_link_among_several_headers() -> None:
    values = ['<https://e.example/next>; rel="next"', f"<{CTX}>; {REL}", "<x:y>; rel=prev"]
    assert parse_link_header(values) == CTX


def test_only_first_rel_counts() -> None:
    assert parse_link_header([f'<{CTX}>; rel="next"; {REL}']) is None
    assert parse_link_header([f'<{CTX}>; {REL}; rel="next"']) == CTX


@pytest.mark.parametrize(
    "values",
    [
        [f"<{CTX}>; {REL}", f"<https://e.example/other>; {REL}"],
        [f"<{CTX}>; {REL}, <https://e.example/other>; {REL}"],
        [f"<{CTX}>; {REL}", f"<{CTX}>; {REL}"],
    ],
)
def test_more_than_one_context_link_is_invalid(values: list[str]) -> None:
    with pytest.raises(InvalidContext, match="more than one"):
        parse_link_header(values)


@pytest.mark.parametrize(
    "value",
    [
        f"{CTX}; {REL}",
        f"<{CTX}; {REL}",
        f'<{CTX}>; rel="{JSONLD_CONTEXT_REL}',
        f"<{CTX}> {REL}",
    ],
)
def test_malformed_headers(value: str) -> None:
    with pytest.raises(InvalidContext, match="malformed Link header"):
        parse_link_header([value])
