"""Expansion of ``q`` expressions against the @context (clauses 4.9, 5.5.7)."""

from __future__ import annotations

import pytest

from reference_server.ngsild.query import (
    And,
    AttrPath,
    Comparison,
    Exists,
    LinkedPath,
    Literal,
    Op,
    Or,
    ValueKind,
    ValueList,
    parse_q,
    resolve_q,
)

NS = "https://example.org/"


def expand(term: str) -> str:
    return term if ":" in term else NS + term


def first_path(q: str) -> AttrPath | LinkedPath:
    expr = resolve_q(parse_q(q), expand)
    assert isinstance(expr, Exists | Comparison)
    return expr.path


PATHS = [
    ("speed", AttrPath((NS + "speed",))),
    ("speed.accuracy", AttrPath((NS + "speed", NS + "accuracy"))),
    ("speed.accuracy.observedAt", AttrPath((NS + "speed", NS + "accuracy", "observedAt"))),
    ("speed.unitCode==1", AttrPath((NS + "speed", "unitCode"))),
    ("speed.datasetId", AttrPath((NS + "speed", "datasetId"))),
    ("observedAt", AttrPath((NS + "observedAt",))),
    ("address[city.name]", AttrPath((NS + "address",), ("city", "name"))),
    ("sensor.raw[a]", AttrPath((NS + "sensor", NS + "raw"), ("a",))),
    ("color[en]", AttrPath((NS + "color",), ("en",))),
    ("ex:speed", AttrPath(("ex:speed",))),
    ("http://other.org/speed>1", AttrPath(("http://other.org/speed",))),
    (
        "sensor{Device:humidity.observedAt}",
        LinkedPath(NS + "sensor", AttrPath((NS + "humidity", "observedAt")), (NS + "Device",)),
    ),
    (
        "a{b{c}}",
        LinkedPath(NS + "a", LinkedPath(NS + "b", AttrPath((NS + "c",)))),
    ),
]


@pytest.mark.parametrize(("q", "expected"), PATHS, ids=[p[0] for p in PATHS])
def test_names_expand_but_metadata_and_trailing_keys_do_not(
    q: str, expected: AttrPath | LinkedPath
) -> None:
    assert first_path(q) == expected


def literal_of(q: str, **options: list[str]) -> Literal | ValueList:
    expr = resolve_q(parse_q(q), expand, expand_values=options.get("expand_values", []))
    assert isinstance(expr, Comparison)
    assert isinstance(expr.value, Literal | ValueList)
    return expr.value


VALUES = [
    ("a==Male", Literal(ValueKind.TERM, "Male", NS + "Male")),
    ('a=="Male"', Literal(ValueKind.STRING, "Male", NS + "Male")),
    ('a!="Male"', Literal(ValueKind.STRING, "Male", NS + "Male")),
    ('a=="two words"', Literal(ValueKind.STRING, "two words")),
    ('a>"Male"', Literal(ValueKind.STRING, "Male")),
    ("a==urn:x:1", Literal(ValueKind.URI, "urn:x:1")),
    ('a=="http://x.org/a"', Literal(ValueKind.STRING, "http://x.org/a")),
    ("a==12", Literal(ValueKind.NUMBER, 12)),
    ("a==true", Literal(ValueKind.BOOLEAN, True)),
    (
        "a==Male,Female,3",
        ValueList(
            (
                Literal(ValueKind.TERM, "Male", NS + "Male"),
                Literal(ValueKind.TERM, "Female", NS + "Female"),
                Literal(ValueKind.NUMBER, 3),
            )
        ),
    ),
]


@pytest.mark.parametrize(("q", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_equality_strings_carry_their_expanded_form(q: str, expected: Literal | ValueList) -> None:
    assert literal_of(q) == expected


def test_expand_values_marks_listed_attributes_only() -> None:
    expr = resolve_q(
        parse_q("gender==Male;age==3;ex:kind==x"), expand, expand_values=["gender", "ex:kind"]
    )
    assert isinstance(expr, And)
    flags = [o.expand_values for o in expr.operands if isinstance(o, Comparison)]
    assert flags == [True, False, True]


def test_expand_values_accepts_expanded_names() -> None:
    expr = resolve_q(parse_q("gender==Male"), expand, expand_values=[NS + "gender"])
    assert isinstance(expr, Comparison) and expr.expand_values


def test_structure_and_negation_survive_resolution() -> None:
    source = parse_q("(a|!b);c.d==1")
    resolved = resolve_q(source, expand)
    assert resolved == And(
        (
            Or((Exists(AttrPath((NS + "a",))), Exists(AttrPath((NS + "b",)), negated=True))),
            Comparison(AttrPath((NS + "c", NS + "d")), Op.EQ, Literal(ValueKind.NUMBER, 1)),
        )
    )
    assert source == parse_q("(a|!b);c.d==1")


def test_regex_values_are_kept() -> None:
    source = parse_q("a~=^Male$")
    resolved = resolve_q(source, expand)
    assert isinstance(source, Comparison) and isinstance(resolved, Comparison)
    assert resolved.value is source.value


def test_resolved_expressions_render_for_logs() -> None:
    resolved = resolve_q(parse_q('speed.observedAt>2020-01-01T00:00:00Z|name=="x"'), expand)
    assert str(resolved) == f'{NS}speed.observedAt>2020-01-01T00:00:00Z|{NS}name=="x"'
