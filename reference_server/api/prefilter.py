"""From a resolved q expression to a storage pre-filter (a superset of the exact answer).

The store indexes, per top-level attribute, the elements the q evaluator compares (see
``index_entries``). A q expression is translated into tests on that index where the index can
answer soundly; what it cannot express (sub-attribute paths, compound-value trails, temporal
values, ``!=``, regular expressions, negated existence) falls back to the weakest sound test,
and the exact evaluation in Python then decides. The rule that keeps this correct: every
entity the evaluator accepts passes the pre-filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reference_server.ngsild.qlang import temporal
from reference_server.ngsild.qlang.q_ast import (
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
    ValueKind,
    ValueList,
)
from reference_server.ngsild.query import WILD, index_entries
from reference_server.store.base import WILDCARD, AllOf, AnyOf, AttrTest, Condition, Entity
from reference_server.store.base import Op as IndexOp

__all__ = ["index_entity", "q_condition"]

_ORDER_OPS: dict[Op, IndexOp] = {Op.GT: "gt", Op.GE: "ge", Op.LT: "lt", Op.LE: "le"}


def index_entity(entity: Entity) -> Iterator[tuple[str, Any]]:
    """The store's indexer: the q evaluator's comparable elements per attribute."""
    for attr, element in index_entries(entity):
        yield attr, WILDCARD if element is WILD else element


def q_condition(expr: QExpr) -> Condition | None:
    """A sound pre-filter for ``expr``; None when the index cannot narrow it."""
    if isinstance(expr, And):
        parts = tuple(c for c in (q_condition(o) for o in expr.operands) if c is not None)
        return AllOf(parts) if parts else None
    if isinstance(expr, Or):
        options = [q_condition(o) for o in expr.operands]
        if any(c is None for c in options):
            return None
        return AnyOf(tuple(c for c in options if c is not None))
    if isinstance(expr, Exists):
        return None if expr.negated else AttrTest(_top(expr.path), "exists")
    return _comparison(expr)


def _top(path: AttrPath | LinkedPath) -> str:
    return path.names[0] if isinstance(path, AttrPath) else path.relationship


def _comparison(term: Comparison) -> Condition:
    attr = _top(term.path)
    exists = AttrTest(attr, "exists")
    simple = isinstance(term.path, AttrPath) and len(term.path.names) == 1 and not term.path.trail
    if not simple:
        return exists
    value = term.value
    if term.op is Op.EQ:
        return _equality(attr, value) or exists
    if term.op in _ORDER_OPS and isinstance(value, Literal):
        operand = _comparable(value)
        return exists if operand is None else AttrTest(attr, _ORDER_OPS[term.op], (operand,))
    return exists


def _equality(attr: str, value: Any) -> Condition | None:
    if isinstance(value, Literal):
        operands = _equal_operands(value)
        return None if operands is None else AttrTest(attr, "in", operands)
    if isinstance(value, ValueList):
        collected: list[float | int | str] = []
        for item in value.items:
            operands = _equal_operands(item)
            if operands is None:
                return None
            collected.extend(operands)
        return AttrTest(attr, "in", tuple(collected))
    if isinstance(value, Range):
        low, high = _comparable(value.low), _comparable(value.high)
        if low is None or high is None or type(low) is not type(high):
            return None
        return AttrTest(attr, "between", (low, high))
    return None


def _equal_operands(literal: Literal) -> tuple[float | int | str, ...] | None:
    """What an indexed element must equal for ``==`` to hold; None when it cannot say."""
    if literal.kind in (ValueKind.URI, ValueKind.TERM):
        raw = str(literal.value)
        return (raw,) if literal.iri is None else (raw, literal.iri)
    comparable = _comparable(literal)
    if comparable is None:
        return None
    if isinstance(comparable, str) and literal.iri is not None:
        return (comparable, literal.iri)
    return (comparable,)


def _comparable(literal: Literal) -> float | int | str | None:
    """Numbers and plain strings compare in the index as in the evaluator; the rest do not."""
    if literal.kind is ValueKind.NUMBER and not isinstance(literal.value, bool):
        return literal.value if isinstance(literal.value, int | float) else None
    if literal.kind is ValueKind.STRING and isinstance(literal.value, str):
        if temporal.parse_datetime(literal.value) is not None:
            return None
        return literal.value
    return None
