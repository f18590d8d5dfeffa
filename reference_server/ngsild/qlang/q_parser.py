"""Parser of the NGSI-LD Query Language (ETSI GS CIM 009 V1.8.1, clause 4.9).

A recursive-descent parser over the ABNF of clause 4.9 with these readings:

* ``;`` (AND) binds tighter than ``|`` (OR); parentheses nest to any depth (the ABNF only
  shows one level, but example 6 nests two).
* ``!path`` (non-existence) is accepted as Orion-LD and Stellio do; the V1.8.1 ABNF has no
  such rule.
* Whitespace between tokens is skipped, never inside names or values.
* A regular expression runs to the first ``;``, ``|`` or ``)`` outside its own parentheses and
  brackets; a pattern needing those characters at top level can be written as a JSON string.
* A path segment starting with ``scheme://`` is a full IRI and runs until an operator, ``[``,
  ``{``, ``;``, ``|`` or ``)``, dots included (so a full-IRI attribute cannot have a dotted tail).
"""

from __future__ import annotations

import json
import re

from reference_server.ngsild.qlang import temporal
from reference_server.ngsild.qlang._scan import (
    MAX_DEPTH,
    MAX_TERMS,
    NAME_RE,
    Scanner,
    is_name,
    too_complex,
)
from reference_server.ngsild.qlang.q_ast import (
    COMPARABLE_KINDS,
    EQUALITY_OPS,
    METADATA_MEMBERS,
    ORDERING_OPS,
    And,
    AttrPath,
    Comparison,
    Exists,
    LinkedPath,
    Literal,
    Op,
    Or,
    Path,
    QExpr,
    QValue,
    Range,
    Regex,
    ValueKind,
    ValueList,
)
from reference_server.ngsild.qlang.q_regex import PatternError, compile_pattern, pattern_end

__all__ = ["parse_q"]

_PARAM = "q"
_OPERATORS = sorted(Op, key=lambda op: -len(op.value))
_OPERATOR_CHARS = frozenset("=!<>~")
_IRI_SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s=!<>~\[\]{}();|,\"]+")
_SEGMENT = re.compile(r"[^\s.=!<>~\[\]{}();|,\"]+")
_TRAIL_SEGMENT = re.compile(r"[^\s.\[\]=!<>~;|(){},\"]+")
_BOOLEAN = re.compile(r"true|false")
_TYPE_HINT = re.compile(r"([^\W\d_]\w*(?:,[^\W\d_]\w*)*):(?!//)")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_BARE = re.compile(r"[^\s;|(),\"]+")
_TEMPORAL = (
    (ValueKind.DATETIME, temporal.DATETIME_RE, temporal.parse_datetime),
    (ValueKind.DATE, temporal.DATE_RE, temporal.parse_date),
    (ValueKind.TIME, temporal.TIME_RE, temporal.parse_time),
)


def parse_q(text: str) -> QExpr:
    """Parse a ``q`` expression (clause 4.9) into an immutable AST.

    Raises BadRequestData naming the problem and its 0-based character position, or
    TooComplexQuery when the expression exceeds the length, nesting or term limits.
    """
    return _QParser(text).parse()


class _QParser(Scanner):
    __slots__ = ("terms",)

    def __init__(self, text: str) -> None:
        super().__init__(text, _PARAM)
        self.terms = 0

    def parse(self) -> QExpr:
        self.skip_ws()
        if self.at_end():
            self.error("the expression is empty")
        expr = self.or_expr(0)
        self.skip_ws()
        if not self.at_end():
            self.unexpected()
        return expr

    # -- logical structure ------------------------------------------------------------------

    def or_expr(self, depth: int) -> QExpr:
        parts = [self.and_expr(depth)]
        while self._consume_logical("|"):
            parts.append(self.and_expr(depth))
        return _combine(Or, parts)

    def and_expr(self, depth: int) -> QExpr:
        parts = [self.primary(depth)]
        while self._consume_logical(";"):
            parts.append(self.primary(depth))
        return _combine(And, parts)

    def _consume_logical(self, op: str) -> bool:
        self.skip_ws()
        if self.peek() != op:
            return False
        self.pos += 1
        return True

    def primary(self, depth: int) -> QExpr:
        self.skip_ws()
        if self.peek() == "(":
            if depth >= MAX_DEPTH:
                too_complex(_PARAM, f"parentheses nested deeper than {MAX_DEPTH}")
            self.pos += 1
            expr = self.or_expr(depth + 1)
            self.expect(")", "')' or a logical operator ';' or '|'")
            return expr
        return self.term(depth)

    def term(self, depth: int) -> QExpr:
        self.terms += 1
        if self.terms > MAX_TERMS:
            too_complex(_PARAM, f"more than {MAX_TERMS} query terms")
        negated = self.peek() == "!"
        if negated:
            self.pos += 1
        path = self.path(depth)
        self.skip_ws()
        op_pos = self.pos
        op = self.operator()
        if op is None:
            return Exists(path, negated)
        if negated:
            self.error("a non-existence term '!attr' takes no operator", op_pos)
        self.skip_ws()
        return Comparison(path, op, self.value(op))

    def operator(self) -> Op | None:
        if self.at_end() or self.peek() in ";|)":
            return None
        for op in _OPERATORS:
            if self.text.startswith(op.value, self.pos):
                self.pos += len(op.value)
                return op
        if self.peek() in _OPERATOR_CHARS:
            self.error(f"unknown operator {self.peek(2)!r} (use == != > >= < <= ~= !~=)")
        return self.unexpected()

    # -- attribute paths -------------------------------------------------------------------------

    def path(self, depth: int) -> Path:
        first = self.segment()
        if self.peek() == "{":
            return self.linked(first, depth)
        names = [first]
        while self.peek() in (".", "["):
            self._check_metadata_last(names)
            if self.peek() == "[":
                break
            self.pos += 1
            names.append(self.segment())
        trail = self.trail() if self.peek() == "[" else ()
        if self.peek() == "[":
            self.error("only one bracketed trailing path is allowed, write attr[a.b]")
        return AttrPath(tuple(names), trail)

    def _check_metadata_last(self, names: list[str]) -> None:
        if len(names) > 1 and names[-1] in METADATA_MEMBERS:
            at = self.pos - len(names[-1])
            self.error(f"the metadata member {names[-1]!r} must end the attribute path", at)

    def segment(self) -> str:
        found = self.match(_IRI_SEGMENT) or self.match(_SEGMENT)
        if found is None:
            self.error("expected an attribute name")
        token = found.group()
        if not is_name(token):
            self.error(f"{token!r} is not a valid attribute name")
        self.pos = found.end()
        return token

    def trail(self) -> tuple[str, ...]:
        self.pos += 1
        keys = [self._trail_key()]
        while self.peek() == ".":
            self.pos += 1
            keys.append(self._trail_key())
        if self.peek() != "]":
            self.error("expected '.' or ']' in the bracketed trailing path")
        self.pos += 1
        return tuple(keys)

    def _trail_key(self) -> str:
        found = self.match(_TRAIL_SEGMENT)
        if found is None:
            self.error("expected a member name in the bracketed trailing path")
        self.pos = found.end()
        return found.group()

    def linked(self, relationship: str, depth: int) -> LinkedPath:
        if depth >= MAX_DEPTH:
            too_complex(_PARAM, f"linked entity paths nested deeper than {MAX_DEPTH}")
        self.pos += 1
        types: tuple[str, ...] = ()
        hint = self.match(_TYPE_HINT)
        if hint is not None:
            types = tuple(hint.group(1).split(","))
            self.pos = hint.end()
        target = self.path(depth + 1)
        if self.peek() != "}":
            self.error("expected '}' closing the linked entity path")
        self.pos += 1
        return LinkedPath(relationship, target, types)

    # -- values ----------------------------------------------------------------------------------

    def value(self, op: Op) -> QValue:
        if op in (Op.MATCH, Op.NOT_MATCH):
            return self.regex()
        start = self.pos
        first = self.literal()
        self.skip_ws()
        if self.text.startswith("..", self.pos):
            return self.range_rest(op, first, start)
        if self.peek() == ",":
            return self.list_rest(op, first)
        if op in ORDERING_OPS and first.kind not in COMPARABLE_KINDS:
            self.error(f"a {first.kind.value} value cannot be ordered with {op.value}", start)
        return first

    def range_rest(self, op: Op, low: Literal, start: int) -> Range:
        if op not in EQUALITY_OPS:
            self.error(f"a range is only allowed with == and !=, not {op.value}")
        self.pos += 2
        self.skip_ws()
        high_pos = self.pos
        high = self.literal()
        if low.kind not in COMPARABLE_KINDS:
            self.error(f"a range bound cannot be a {low.kind.value}", start)
        if high.kind is not low.kind:
            kinds = f"{low.kind.value}, {high.kind.value}"
            self.error(f"range bounds differ in type ({kinds})", high_pos)
        return Range(low, high)

    def list_rest(self, op: Op, first: Literal) -> ValueList:
        if op not in EQUALITY_OPS:
            self.error(f"a value list is only allowed with == and !=, not {op.value}")
        items = [first]
        while self.peek() == ",":
            self.pos += 1
            self.skip_ws()
            items.append(self.literal())
            self.skip_ws()
        return ValueList(tuple(items))

    def literal(self) -> Literal:
        if self.peek() == '"':
            return Literal(ValueKind.STRING, self.json_string())
        for kind, pattern, parse in _TEMPORAL:
            found = self._token(pattern)
            if found is not None:
                text = temporal.canonical(found.group())
                if parse(text) is None:
                    self.error(f"{found.group()!r} is not a valid {kind.value}")
                self.pos = found.end()
                return Literal(kind, text)
        found = self._token(_NUMBER)
        if found is not None:
            self.pos = found.end()
            return Literal(ValueKind.NUMBER, _number(found.group()))
        found = self._token(_BOOLEAN)
        if found is not None:
            self.pos = found.end()
            return Literal(ValueKind.BOOLEAN, found.group() == "true")
        return self.bare()

    def _token(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        found = self.match(pattern)
        return found if found is not None and self._ends_value(found.end()) else None

    def _ends_value(self, end: int) -> bool:
        if end >= len(self.text):
            return True
        char = self.text[end]
        return char in ";|)," or char.isspace() or self.text.startswith("..", end)

    def bare(self) -> Literal:
        found = self.match(_BARE)
        if found is None:
            self.error("expected a value")
        token = found.group()
        if token == "null":
            self.error("null is not a query value; test existence with 'attr' or '!attr'")
        if NAME_RE.fullmatch(token):
            kind = ValueKind.TERM
        elif is_name(token):
            kind = ValueKind.URI
        else:
            self.error(f'{token!r} is not a valid value (quote strings with ")')
        self.pos = found.end()
        return Literal(kind, token)

    def json_string(self) -> str:
        start = self.pos
        index = start + 1
        while index < len(self.text) and self.text[index] != '"':
            index += 2 if self.text[index] == "\\" else 1
        if index >= len(self.text):
            self.error("unterminated string", start)
        try:
            decoded = json.loads(self.text[start : index + 1])
        except ValueError:
            self.error("invalid escape sequence in string", start)
        self.pos = index + 1
        return str(decoded)

    def regex(self) -> Regex:
        start = self.pos
        quoted = self.peek() == '"'
        if quoted:
            pattern = self.json_string()
        else:
            self.pos = pattern_end(self.text, start)
            pattern = self.text[start : self.pos].rstrip()
        if not pattern:
            self.error("expected a regular expression", start)
        return Regex(pattern, quoted, self._compile(pattern, start, quoted))

    def _compile(self, pattern: str, start: int, quoted: bool) -> re.Pattern[str]:
        try:
            return compile_pattern(pattern)
        except PatternError as exc:
            self.error(exc.message, start if quoted or exc.offset is None else start + exc.offset)


def _combine(node: type[And] | type[Or], parts: list[QExpr]) -> QExpr:
    if len(parts) == 1:
        return parts[0]
    flat: list[QExpr] = []
    for part in parts:
        flat.extend(part.operands if isinstance(part, node) else (part,))
    return node(tuple(flat))


def _number(text: str) -> int | float:
    if any(c in text for c in ".eE"):
        return float(text)
    return int(text)
