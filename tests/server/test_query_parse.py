"""Parsing of the NGSI-LD Query Language (clause 4.9): structure, errors, limits, round trip."""

from __future__ import annotations

import random

import pytest

from reference_server.ngsild.errors import BadRequestData, TooComplexQuery
from reference_server.ngsild.query import (
    And,
    AttrPath,
    Comparison,
    Exists,
    LinkedPath,
    Literal,
    Op,
    Or,
    QExpr,
    Range,
    Regex,
    ValueKind,
    ValueList,
    parse_q,
)


def attr(*names: str, trail: tuple[str, ...] = ()) -> AttrPath:
    return AttrPath(names, trail)


def num(value: int | float) -> Literal:
    return Literal(ValueKind.NUMBER, value)


def text(value: str) -> Literal:
    return Literal(ValueKind.STRING, value)


def cmp(name: str, op: Op, value: Literal | Range | ValueList) -> Comparison:
    return Comparison(attr(*name.split(".")), op, value)


# -- the examples of clause 4.9 and other well-formed expressions -------------------------------

PARSED: list[tuple[str, QExpr]] = [
    ("temperature", Exists(attr("temperature"))),
    ("temperature==20", cmp("temperature", Op.EQ, num(20))),
    ('brandName!="Mercedes"', cmp("brandName", Op.NE, text("Mercedes"))),
    (
        'isParked=="urn:ngsi-ld:OffStreetParking:Downtown1"',
        cmp("isParked", Op.EQ, text("urn:ngsi-ld:OffStreetParking:Downtown1")),
    ),
    (
        'speed>50;brandName!="Mercedes"',
        And((cmp("speed", Op.GT, num(50)), cmp("brandName", Op.NE, text("Mercedes")))),
    ),
    ("isMonitoredBy", Exists(attr("isMonitoredBy"))),
    (
        '((speed>50|rpm>3000);brandName=="Mercedes")',
        And(
            (
                Or((cmp("speed", Op.GT, num(50)), cmp("rpm", Op.GT, num(3000)))),
                cmp("brandName", Op.EQ, text("Mercedes")),
            )
        ),
    ),
    (
        "(temperature>=20;temperature<=25)|capacity<=10",
        Or(
            (
                And((cmp("temperature", Op.GE, num(20)), cmp("temperature", Op.LE, num(25)))),
                cmp("capacity", Op.LE, num(10)),
            )
        ),
    ),
    (
        "temperature.observedAt>=2017-12-24T12:00:00Z",
        cmp("temperature.observedAt", Op.GE, Literal(ValueKind.DATETIME, "2017-12-24T12:00:00Z")),
    ),
    (
        'address[city]=="Berlin"',
        Comparison(attr("address", trail=("city",)), Op.EQ, text("Berlin")),
    ),
    (
        "sensor.rawdata[airquality.particulate]==40",
        Comparison(attr("sensor", "rawdata", trail=("airquality", "particulate")), Op.EQ, num(40)),
    ),
    ("gender==Male", cmp("gender", Op.EQ, Literal(ValueKind.TERM, "Male"))),
    (
        "sensor{humidity}==40",
        Comparison(LinkedPath("sensor", attr("humidity")), Op.EQ, num(40)),
    ),
    (
        "sensor{Device,Probe:humidity}==40",
        Comparison(LinkedPath("sensor", attr("humidity"), ("Device", "Probe")), Op.EQ, num(40)),
    ),
    ("a{b{c.d}}", Exists(LinkedPath("a", LinkedPath("b", attr("c", "d"))))),
    ('color[en]=="red"', Comparison(attr("color", trail=("en",)), Op.EQ, text("red"))),
    ("color[*]", Exists(attr("color", trail=("*",)))),
    ("!temperature", Exists(attr("temperature"), negated=True)),
    ("!a.b;c", And((Exists(attr("a", "b"), negated=True), Exists(attr("c"))))),
    ("a==1,2,3", cmp("a", Op.EQ, ValueList((num(1), num(2), num(3))))),
    ('a!="x","y"', cmp("a", Op.NE, ValueList((text("x"), text("y"))))),
    ("a==10..20", cmp("a", Op.EQ, Range(num(10), num(20)))),
    ("a==-1.5..2.5e3", cmp("a", Op.EQ, Range(num(-1.5), num(2500.0)))),
    (
        "a==2024-01-01..2024-12-31",
        cmp(
            "a",
            Op.EQ,
            Range(Literal(ValueKind.DATE, "2024-01-01"), Literal(ValueKind.DATE, "2024-12-31")),
        ),
    ),
    ("a<12:30:00Z", cmp("a", Op.LT, Literal(ValueKind.TIME, "12:30:00Z"))),
    ("a==true", cmp("a", Op.EQ, Literal(ValueKind.BOOLEAN, True))),
    ("a!=false", cmp("a", Op.NE, Literal(ValueKind.BOOLEAN, False))),
    ("a==0", cmp("a", Op.EQ, num(0))),
    ("a>-7", cmp("a", Op.GT, num(-7))),
    ("a<=1E-3", cmp("a", Op.LE, num(0.001))),
    ('a=="say \\"hi\\""', cmp("a", Op.EQ, text('say "hi"'))),
    ('a=="x;y|z)"', cmp("a", Op.EQ, text("x;y|z)"))),
    ('a=="caf\\u00e9"', cmp("a", Op.EQ, text("café"))),
    ("a==urn:ngsi-ld:Car:1", cmp("a", Op.EQ, Literal(ValueKind.URI, "urn:ngsi-ld:Car:1"))),
    (
        "a==http://example.org/x?y=1",
        cmp("a", Op.EQ, Literal(ValueKind.URI, "http://example.org/x?y=1")),
    ),
    ("ex:speed>5", cmp("ex:speed", Op.GT, num(5))),
    (
        "https://example.org/ns/speed.v2>5",
        Comparison(attr("https://example.org/ns/speed.v2"), Op.GT, num(5)),
    ),
    ("température>5", cmp("température", Op.GT, num(5))),
    (" speed > 5 ; b == 1 ", And((cmp("speed", Op.GT, num(5)), cmp("b", Op.EQ, num(1))))),
    (
        "t==2024-01-01T10:00:00 01:00",
        cmp("t", Op.EQ, Literal(ValueKind.DATETIME, "2024-01-01T10:00:00+01:00")),
    ),
    (
        "t>2024-01-01T10:00:00.123-05:00",
        cmp("t", Op.GT, Literal(ValueKind.DATETIME, "2024-01-01T10:00:00.123-05:00")),
    ),
    ("a;b;c", And((Exists(attr("a")), Exists(attr("b")), Exists(attr("c"))))),
    ("(a;b);c", And((Exists(attr("a")), Exists(attr("b")), Exists(attr("c"))))),
    ("(a|b)|c", Or((Exists(attr("a")), Exists(attr("b")), Exists(attr("c"))))),
    ("((a))", Exists(attr("a"))),
]


@pytest.mark.parametrize(("source", "expected"), PARSED, ids=[s for s, _ in PARSED])
def test_parse_builds_the_expected_tree(source: str, expected: QExpr) -> None:
    assert parse_q(source) == expected


PRECEDENCE = [
    ("a|b;c", "a|b;c", Or),
    ("a;b|c", "a;b|c", Or),
    ("a;(b|c)", "a;(b|c)", And),
    ("(a|b);c", "(a|b);c", And),
    ("a|b;c|d", "a|b;c|d", Or),
]


@pytest.mark.parametrize(("source", "canonical", "root"), PRECEDENCE)
def test_and_binds_tighter_than_or(source: str, canonical: str, root: type) -> None:
    expr = parse_q(source)
    assert isinstance(expr, root)
    assert str(expr) == canonical


def test_and_inside_or_groups_its_operands() -> None:
    expr = parse_q("a|b;c|d")
    assert expr == Or(
        (Exists(attr("a")), And((Exists(attr("b")), Exists(attr("c")))), Exists(attr("d")))
    )


# -- regular expressions --------------------------------------------------------------------------

REGEXES = [
    ("name~=(?i)foo.*", "(?i)foo.*", False),
    ("name~=^a(b|c)$", "^a(b|c)$", False),
    ("name~=[;|)]x", "[;|)]x", False),
    ("name~=[]a]", "[]a]", False),
    ("name~=\\)x", "\\)x", False),
    ('name~="a|b;c"', "a|b;c", True),
    ("name!~=^Room[0-9]+$", "^Room[0-9]+$", False),
    ("name~=[[:digit:]]+", "[[:digit:]]+", False),
    ("name~=([+-][0-9])+", "([+-][0-9])+", False),
    ("name~=(ab){2}(c+)?", "(ab){2}(c+)?", False),
]


@pytest.mark.parametrize(("source", "pattern", "quoted"), REGEXES)
def test_regex_values(source: str, pattern: str, quoted: bool) -> None:
    expr = parse_q(source)
    assert isinstance(expr, Comparison)
    assert isinstance(expr.value, Regex)
    assert (expr.value.pattern, expr.value.quoted) == (pattern, quoted)


def test_unquoted_regex_ends_at_a_top_level_logical_operator() -> None:
    assert parse_q("a~=x|y") == Or(
        (Comparison(attr("a"), Op.MATCH, parse_regex("x")), Exists(attr("y")))
    )
    assert parse_q("(a~=x(y);b)") == And(
        (Comparison(attr("a"), Op.MATCH, parse_regex("x(y)")), Exists(attr("b")))
    )


def parse_regex(pattern: str) -> Regex:
    expr = parse_q(f"a~={pattern}")
    assert isinstance(expr, Comparison)
    assert isinstance(expr.value, Regex)
    return expr.value


# -- errors: what is wrong and where --------------------------------------------------------------

ERRORS = [
    ("", "empty", 0),
    ("   ", "empty", 3),
    ("a==", "expected a value", 3),
    ("a>>5", "not a valid value", 2),
    ("a=5", "unknown operator", 1),
    ("a=>5", "unknown operator", 1),
    ("a~5", "unknown operator", 1),
    ("(a==1", "expected ')'", 5),
    ("a==1)", "unexpected ')'", 4),
    ("a==1;", "expected an attribute name", 5),
    ("a==1||b", "expected an attribute name", 5),
    ("()", "expected an attribute name", 1),
    (";a", "expected an attribute name", 0),
    ("a..b", "expected an attribute name", 2),
    ("a.", "expected an attribute name", 2),
    ("2speed>1", "not a valid attribute name", 0),
    ("sp-eed>1", "not a valid attribute name", 0),
    ('a=="abc', "unterminated string", 3),
    ('a=="\\x"', "invalid escape", 3),
    ("a==abc def", "unexpected 'd'", 7),
    ("a==1abc", "not a valid value", 3),
    ("a==1.2.3", "not a valid value", 3),
    ("a==null", "null is not a query value", 3),
    ("a==2024-13-01", "not a valid date", 3),
    ("a>2024-01-01T25:00:00Z", "not a valid dateTime", 2),
    ("a>true", "cannot be ordered", 2),
    ("a>Male", "cannot be ordered", 2),
    ("a>1,2", "value list is only allowed", 3),
    ("a<1..2", "range is only allowed", 3),
    ("a==1..x", "range bounds differ", 6),
    ("a==true..false", "range bound cannot be a boolean", 3),
    ("a==1..5,6", "unexpected ','", 7),
    ("!a==1", "takes no operator", 2),
    ("a[b][c]==1", "only one bracketed", 4),
    ("a[b==1", "expected '.' or ']'", 3),
    ("a[]==1", "expected a member name", 2),
    ("a.observedAt.b==1", "must end the attribute path", 2),
    ("a.observedAt[x]==1", "must end the attribute path", 2),
    ("a{b==1", "expected '}'", 3),
    ("a{b}.c==1", "unexpected '.'", 4),
    ("a~=", "expected a regular expression", 3),
    ("a~=(b", "invalid regular expression", 3),
    ("a~=b[", "invalid regular expression", 4),
    ("a~=*x", "invalid regular expression", 3),
    ("a b", "unexpected 'b'", 2),
]


@pytest.mark.parametrize(("source", "message", "position"), ERRORS, ids=[e[0] for e in ERRORS])
def test_parse_errors_say_what_and_where(source: str, message: str, position: int) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_q(source)
    detail = caught.value.detail
    assert detail.startswith("Invalid q: ")
    assert message in detail
    assert f"at position {position} " in detail


LIMITS = [
    "a==1;" * 1000 + "a",
    "(" * 70 + "a" + ")" * 70,
    ";".join(["a"] * 300),
    "a~=" + "x" * 300,
    "a~=(x+)+y",
    "a~=(a*b?)*",
    "a~=((a+)b)+",
    "a~=(?:x{2,})*",
    "a" + "{b" * 70 + "}" * 70,
]


@pytest.mark.parametrize("source", LIMITS, ids=range(len(LIMITS)))
def test_limits_raise_too_complex_query(source: str) -> None:
    with pytest.raises(TooComplexQuery):
        parse_q(source)


# -- round trip: parse(str(expr)) == expr -------------------------------------------------------


@pytest.mark.parametrize("source", [s for s, _ in PARSED] + [r[0] for r in REGEXES])
def test_rendering_parses_back_to_the_same_tree(source: str) -> None:
    expr = parse_q(source)
    assert parse_q(str(expr)) == expr


_NAMES = ["a", "speed", "ex:temp", "état", "https://example.org/v1.0/x"]
_LITERALS = [
    num(3),
    num(-2.5),
    num(1e21),
    text(""),
    text('q"uo\\te;|()'),
    text("ünï"),
    Literal(ValueKind.BOOLEAN, True),
    Literal(ValueKind.DATETIME, "2020-02-29T23:59:59.5Z"),
    Literal(ValueKind.DATE, "1999-12-31"),
    Literal(ValueKind.TIME, "08:00:00+02:00"),
    Literal(ValueKind.URI, "urn:ngsi-ld:X:1"),
    Literal(ValueKind.TERM, "Male"),
]


def _random_path(
    rng: random.Random, depth: int, linked_head: bool = False
) -> AttrPath | LinkedPath:
    # `{ex:temp}` would read as the type hint `ex`: a compact IRI needs an explicit hint there
    names = [n for n in _NAMES if not (linked_head and n == "ex:temp")]
    if depth < 2 and rng.random() < 0.15:
        hint = tuple(rng.sample(["Device", "Car", "Room"], rng.randint(0, 2)))
        target = _random_path(rng, depth + 1, linked_head=not hint)
        return LinkedPath(rng.choice(names[:3]), target, hint)
    head = rng.choice(names)
    if "://" in head:
        return attr(head)
    tail = rng.sample(["sub", "inner", "observedAt", "unitCode"], rng.randint(0, 2))
    tail = [t for t in tail if t not in ("observedAt", "unitCode")] + [
        t for t in tail if t in ("observedAt", "unitCode")
    ][:1]
    has_meta = bool(tail) and tail[-1] in ("observedAt", "unitCode")
    trail = () if has_meta or rng.random() < 0.7 else ("k", "v")
    return attr(head, *tail, trail=trail)


def _random_term(rng: random.Random) -> QExpr:
    path = _random_path(rng, 0)
    roll = rng.random()
    if roll < 0.2:
        return Exists(path, negated=rng.random() < 0.5)
    if roll < 0.3:
        return Comparison(path, rng.choice([Op.MATCH, Op.NOT_MATCH]), parse_regex("^x(y|z)*$"))
    literal = rng.choice(_LITERALS)
    if roll < 0.45:
        return Comparison(path, rng.choice([Op.EQ, Op.NE]), ValueList((literal, num(1), text("z"))))
    if roll < 0.55:
        return Comparison(path, rng.choice([Op.EQ, Op.NE]), Range(num(1), num(2)))
    ordered = literal.kind in (ValueKind.NUMBER, ValueKind.STRING, ValueKind.DATE)
    ops = list(Op)[:6] if ordered else [Op.EQ, Op.NE]
    return Comparison(path, rng.choice(ops), literal)


def _random_expr(rng: random.Random, depth: int) -> QExpr:
    if depth > 3 or rng.random() < 0.4:
        return _random_term(rng)
    node = rng.choice([And, Or])
    operands: list[QExpr] = []
    for _ in range(rng.randint(2, 4)):
        child = _random_expr(rng, depth + 1)
        operands.extend(child.operands if isinstance(child, node) else (child,))
    return node(tuple(operands))


@pytest.mark.parametrize("seed", range(200))
def test_random_trees_survive_a_round_trip(seed: int) -> None:
    expr = _random_expr(random.Random(seed), 0)
    assert parse_q(str(expr)) == expr
