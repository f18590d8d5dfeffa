"""Entity type selection (4.17), scope queries (4.19), attribute lists and projections (4.21)."""

from __future__ import annotations

import pytest

from reference_server.ngsild.errors import BadRequestData, TooComplexQuery
from reference_server.ngsild.query import (
    Projection,
    ScopeAnd,
    ScopeOr,
    ScopePattern,
    TypeAnd,
    TypeExpr,
    TypeName,
    TypeOr,
    evaluate_scope_q,
    match_types,
    parse_attr_list,
    parse_projection,
    parse_scope_q,
    parse_type_selection,
    resolve_projection,
    resolve_types,
    types_in,
)

A, B, C, D = (TypeName(n) for n in "ABCD")

TYPES: list[tuple[str, TypeExpr, str]] = [
    ("Building", TypeName("Building"), "Building"),
    ("Building|House", TypeOr((TypeName("Building"), TypeName("House"))), "Building|House"),
    ("Building,House", TypeOr((TypeName("Building"), TypeName("House"))), "Building|House"),
    ("(Home;Vehicle)", TypeAnd((TypeName("Home"), TypeName("Vehicle"))), "(Home;Vehicle)"),
    ("A;B", TypeAnd((A, B)), "(A;B)"),
    ("(A;B)|C", TypeOr((TypeAnd((A, B)), C)), "(A;B)|C"),
    ("(A;B),C", TypeOr((TypeAnd((A, B)), C)), "(A;B)|C"),
    ("A|B;C", TypeOr((A, TypeAnd((B, C)))), "A|(B;C)"),
    ("(A|B);C", TypeAnd((TypeOr((A, B)), C)), "((A|B);C)"),
    ("A,B|C,D", TypeOr((A, B, C, D)), "A|B|C|D"),
    ("((A))", A, "A"),
    (" A , B ", TypeOr((A, B)), "A|B"),
    ("ex:Car", TypeName("ex:Car"), "ex:Car"),
    (
        "https://example.org/Car|B",
        TypeOr((TypeName("https://example.org/Car"), B)),
        "https://example.org/Car|B",
    ),
]


@pytest.mark.parametrize(("text", "expected", "rendered"), TYPES, ids=[t[0] for t in TYPES])
def test_type_selection_parses_and_renders(text: str, expected: TypeExpr, rendered: str) -> None:
    expr = parse_type_selection(text)
    assert expr == expected
    assert str(expr) == rendered
    assert parse_type_selection(str(expr)) == expr


TYPE_ERRORS = [
    ("", "empty", 0),
    ("A,", "expected an entity type", 2),
    ("A||B", "expected an entity type", 2),
    ("(A;B", "expected ')'", 4),
    ("A)", "unexpected ')'", 1),
    ("()", "expected an entity type", 1),
    ("A B", "unexpected 'B'", 2),
    ("1Car", "not a valid entity type name", 0),
    ("A,*", "not a valid entity type name", 2),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), TYPE_ERRORS, ids=[t[0] for t in TYPE_ERRORS]
)
def test_type_selection_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_type_selection(text)
    assert caught.value.detail.startswith("Invalid type: ")
    assert message in caught.value.detail
    assert f"at position {position} " in caught.value.detail


def test_type_selection_nesting_is_limited() -> None:
    with pytest.raises(TooComplexQuery):
        parse_type_selection("(" * 100 + "A" + ")" * 100)


MATCHES = [
    ("A", {"A"}, True),
    ("A", {"B"}, False),
    ("A", {"A", "B"}, True),
    ("A|B", {"B"}, True),
    ("A,B", {"C"}, False),
    ("(A;B)", {"A"}, False),
    ("(A;B)", {"A", "B", "C"}, True),
    ("(A;B)|C", {"C"}, True),
    ("(A;B)|C", {"B"}, False),
    ("(A|B);C", {"B", "C"}, True),
    ("(A|B);C", {"A", "B"}, False),
]


@pytest.mark.parametrize(("text", "types", "expected"), MATCHES)
def test_match_types(text: str, types: set[str], expected: bool) -> None:
    assert match_types(parse_type_selection(text), types) is expected


def test_types_in_lists_every_name() -> None:
    assert types_in(parse_type_selection("(A;B)|C,A")) == {"A", "B", "C"}


def test_resolve_types_expands_every_name() -> None:
    expr = resolve_types(
        parse_type_selection("(A;ex:B)|C"), lambda t: t if ":" in t else f"urn:t:{t}"
    )
    assert expr == TypeOr((TypeAnd((TypeName("urn:t:A"), TypeName("ex:B"))), TypeName("urn:t:C")))
    assert match_types(expr, ["urn:t:C"])


# -- scopeQ (4.19) ------------------------------------------------------------------------------

SCOPES = [
    ("/Madrid", ScopePattern(("Madrid",)), "/Madrid"),
    ("/Madrid/Gardens/#", ScopePattern(("Madrid", "Gardens"), True), "/Madrid/Gardens/#"),
    (
        "/Madrid/+/ParqueNorte",
        ScopePattern(("Madrid", "+", "ParqueNorte")),
        "/Madrid/+/ParqueNorte",
    ),
    ("/#", ScopePattern((), True), "/#"),
    (
        "(/Madrid/Districts;/CompanyA)|CompanyB",
        ScopeOr(
            (
                ScopeAnd((ScopePattern(("Madrid", "Districts")), ScopePattern(("CompanyA",)))),
                ScopePattern(("CompanyB",)),
            )
        ),
        "(/Madrid/Districts;/CompanyA)|/CompanyB",
    ),
    ("/A,/B", ScopeOr((ScopePattern(("A",)), ScopePattern(("B",)))), "/A|/B"),
]


@pytest.mark.parametrize(("text", "expected", "rendered"), SCOPES, ids=[s[0] for s in SCOPES])
def test_scope_q_parses_and_renders(text: str, expected: object, rendered: str) -> None:
    expr = parse_scope_q(text)
    assert expr == expected
    assert str(expr) == rendered
    assert parse_scope_q(str(expr)) == expr


SCOPE_ERRORS = [
    ("", "empty", 0),
    ("/", "not a valid scope pattern", 0),
    ("/Madrid//Gardens", "not a valid scope pattern", 0),
    ("/Madrid/#/x", "not a valid scope pattern", 0),
    ("/Madrid/1x", "not a valid scope pattern", 0),
    ("/A;", "expected a scope", 3),
    ("(/A", "expected ')'", 3),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), SCOPE_ERRORS, ids=[s[0] for s in SCOPE_ERRORS]
)
def test_scope_q_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_scope_q(text)
    assert caught.value.detail.startswith("Invalid scopeQ: ")
    assert message in caught.value.detail
    assert f"at position {position} " in caught.value.detail


SCOPE_MATCHES = [
    ("/Madrid", ["/Madrid"], True),
    ("/Madrid", ["/Madrid/Gardens"], False),
    ("/Madrid", ["Madrid"], True),
    ("/Madrid/Gardens/#", ["/Madrid/Gardens"], True),
    ("/Madrid/Gardens/#", ["/Madrid/Gardens/ParqueNorte/Parterre1"], True),
    ("/Madrid/Gardens/#", ["/Madrid"], False),
    ("/Madrid/Gardens/#", ["/Madrid/Sights"], False),
    ("/Madrid/+/ParqueNorte", ["/Madrid/Sights/ParqueNorte"], True),
    ("/Madrid/+/ParqueNorte", ["/Madrid/ParqueNorte"], False),
    ("/Madrid/+/ParqueNorte", ["/Madrid/a/b/ParqueNorte"], False),
    ("/Madrid/+/#", ["/Madrid/a/b"], True),
    ("/#", ["/Anything/At/All"], True),
    ("/#", [], False),
    ("(/Madrid/Districts;/CompanyA)", ["/Madrid/Districts", "/CompanyA"], True),
    ("(/Madrid/Districts;/CompanyA)", ["/Madrid/Districts"], False),
    ("(/Madrid/Districts;/CompanyA)|/CompanyB", ["/CompanyB"], True),
    ("/A,/B", ["/C", "/B"], True),
]


@pytest.mark.parametrize(("text", "scopes", "expected"), SCOPE_MATCHES)
def test_evaluate_scope_q(text: str, scopes: list[str], expected: bool) -> None:
    assert evaluate_scope_q(parse_scope_q(text), scopes) is expected


# -- attrs lists and pick/omit projections (4.21) -----------------------------------------------

ATTR_LISTS = [
    ("speed", ["speed"]),
    ("speed,brandName", ["speed", "brandName"]),
    ("id,type,scope", ["id", "type", "scope"]),
    ("a, b ,a", ["a", "b"]),
    ("ex:speed,https://example.org/x", ["ex:speed", "https://example.org/x"]),
]


@pytest.mark.parametrize(("text", "expected"), ATTR_LISTS)
def test_parse_attr_list(text: str, expected: list[str]) -> None:
    assert parse_attr_list(text) == expected


ATTR_ERRORS = [
    ("", "empty attribute name", 0),
    ("a,,b", "empty attribute name", 2),
    ("a,", "empty attribute name", 2),
    ("a, ", "empty attribute name", 3),
    ("a,1b", "not a valid attribute name", 2),
    ("a,b c", "not a valid attribute name", 2),
    ("a,b{c}", "not a valid attribute name", 2),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), ATTR_ERRORS, ids=[a[0] for a in ATTR_ERRORS]
)
def test_parse_attr_list_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_attr_list(text, "pick")
    assert caught.value.detail.startswith("Invalid pick: ")
    assert message in caught.value.detail
    assert f"at position {position} " in caught.value.detail


PROJECTIONS = [
    ("id,name", (Projection("id"), Projection("name")), "id,name"),
    ("id|name", (Projection("id"), Projection("name")), "id,name"),
    (
        "id,locatedAt{name,type}",
        (Projection("id"), Projection("locatedAt", (Projection("name"), Projection("type")))),
        "id,locatedAt{name,type}",
    ),
    (
        "a{b{c|d}}",
        (Projection("a", (Projection("b", (Projection("c"), Projection("d"))),)),),
        "a{b{c,d}}",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected", "rendered"), PROJECTIONS, ids=[p[0] for p in PROJECTIONS]
)
def test_parse_projection(text: str, expected: tuple[Projection, ...], rendered: str) -> None:
    parsed = parse_projection(text)
    assert parsed == expected
    assert ",".join(str(p) for p in parsed) == rendered


PROJECTION_ERRORS = [
    ("id;name", "unexpected ';'", 2),
    ("id,locatedAt{name", "expected '}'", 17),
    ("id,locatedAt{{name}", "expected an attribute name", 13),
    ("id,,name", "expected an attribute name", 3),
    ("id,locatedAt{,name}", "expected an attribute name", 13),
    ("id,locatedAt{}", "expected an attribute name", 13),
    ("id}", "unexpected '}'", 2),
    ("", "expected an attribute name", 0),
    ("1a", "not a valid attribute name", 0),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), PROJECTION_ERRORS, ids=[p[0] for p in PROJECTION_ERRORS]
)
def test_parse_projection_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_projection(text, "omit")
    assert caught.value.detail.startswith("Invalid omit: ")
    assert message in caught.value.detail
    assert f"at position {position} " in caught.value.detail


def test_resolve_projection_keeps_entity_members() -> None:
    resolved = resolve_projection(
        parse_projection("id,speed,rel{type,name}"), lambda t: f"urn:x:{t}"
    )
    assert resolved == (
        Projection("id"),
        Projection("urn:x:speed"),
        Projection("urn:x:rel", (Projection("type"), Projection("urn:x:name"))),
    )
