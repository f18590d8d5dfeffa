"""Resolution of ``q`` expressions against the @context (clauses 4.9 and 5.5.7).

Attribute and sub-attribute names, linked-entity relationship names and entity type hints are
expanded to IRIs. Metadata members (``observedAt``...), trailing compound-value keys and
language tags are kept as written. String values of ``==``/``!=`` terms that look like terms or
compact IRIs also get their expanded form (``Literal.iri``), which the evaluator accepts for
VocabProperty targets (whose value "shall be expanded according to the @context") and for the
attributes listed in ``expandValues``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace

from reference_server.ngsild.qlang._scan import is_name
from reference_server.ngsild.qlang.q_ast import (
    EQUALITY_OPS,
    METADATA_MEMBERS,
    And,
    AttrPath,
    Comparison,
    Exists,
    LinkedPath,
    Literal,
    Or,
    Path,
    QExpr,
    QValue,
    ValueKind,
    ValueList,
)

__all__ = ["resolve_q"]

Expand = Callable[[str], str]
_EXPANDABLE_KINDS = frozenset({ValueKind.STRING, ValueKind.URI, ValueKind.TERM})
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def resolve_q(expr: QExpr, expand: Expand, *, expand_values: Collection[str] = ()) -> QExpr:
    """A copy of ``expr`` with names expanded by ``expand`` (see the module docstring).

    ``expand_values`` is the ``expandValues`` parameter: attribute names (short or expanded)
    whose string values are compared in expanded form as well.
    """
    wanted = set(expand_values) | {expand(name) for name in expand_values}
    return _resolve(expr, expand, wanted)


def _resolve(expr: QExpr, expand: Expand, wanted: set[str]) -> QExpr:
    if isinstance(expr, And):
        return And(tuple(_resolve(o, expand, wanted) for o in expr.operands))
    if isinstance(expr, Or):
        return Or(tuple(_resolve(o, expand, wanted) for o in expr.operands))
    path = _path(expr.path, expand)
    if isinstance(expr, Exists):
        return Exists(path, expr.negated)
    value = _value(expr.value, expand) if expr.op in EQUALITY_OPS else expr.value
    listed = _head(expr.path) in wanted or _head(path) in wanted
    return Comparison(path, expr.op, value, expr.expand_values or listed)


def _head(path: Path) -> str:
    return path.names[0] if isinstance(path, AttrPath) else path.relationship


def _path(path: Path, expand: Expand) -> Path:
    if isinstance(path, LinkedPath):
        types = tuple(expand(t) for t in path.types)
        return LinkedPath(expand(path.relationship), _path(path.target, expand), types)
    last = len(path.names) - 1
    names = tuple(
        name if index == last and index > 0 and name in METADATA_MEMBERS else expand(name)
        for index, name in enumerate(path.names)
    )
    return AttrPath(names, path.trail)


def _value(value: QValue, expand: Expand) -> QValue:
    if isinstance(value, Literal):
        return _literal(value, expand)
    if isinstance(value, ValueList):
        return ValueList(tuple(_literal(i, expand) for i in value.items))
    return value


def _literal(literal: Literal, expand: Expand) -> Literal:
    text = literal.value
    if literal.kind not in _EXPANDABLE_KINDS or not isinstance(text, str):
        return literal
    if not is_name(text) or _ABSOLUTE.match(text):
        return literal
    iri = expand(text)
    return replace(literal, iri=iri) if iri != text else literal
