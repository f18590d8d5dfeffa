"""Entity Type Selection Language (clause 4.17) and Scope Query Language (clause 4.19).

Both are disjunctions (``|``, or ``,`` kept for compatibility) of items or of parenthesised
conjunctions (``;``). The parser accepts the general form: ``;`` binds tighter than ``|``/``,``,
parentheses nest, and ``A;B`` needs no parentheses (clause 4.17 says they are needed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from reference_server.ngsild.qlang._scan import MAX_DEPTH, Scanner, is_name, too_complex

__all__ = [
    "ScopeAnd",
    "ScopeExpr",
    "ScopeOr",
    "ScopePattern",
    "TypeAnd",
    "TypeExpr",
    "TypeName",
    "TypeOr",
    "evaluate_scope_q",
    "match_types",
    "parse_scope_q",
    "parse_type_selection",
    "resolve_types",
    "types_in",
]

_ITEM = re.compile(r"[^\s,;|()]+")
_LEVEL = r"(?:[^\W\d_]\w*|\+)"
_SCOPE = re.compile(rf"/#|/?{_LEVEL}(?:/{_LEVEL})*(?:/#)?")

N = TypeVar("N")


@dataclass(frozen=True, slots=True)
class _Grammar(Generic[N]):
    param: str
    item: Callable[[Scanner], N]
    make_and: Callable[[list[N]], N]
    make_or: Callable[[list[N]], N]


def _parse(text: str, grammar: _Grammar[N]) -> N:
    scanner = Scanner(text, grammar.param)
    scanner.skip_ws()
    if scanner.at_end():
        scanner.error("the expression is empty")
    node = _or(scanner, grammar, 0)
    scanner.skip_ws()
    if not scanner.at_end():
        scanner.unexpected()
    return node


def _or(scanner: Scanner, grammar: _Grammar[N], depth: int) -> N:
    parts = [_and(scanner, grammar, depth)]
    while _consume(scanner, ",|"):
        parts.append(_and(scanner, grammar, depth))
    return parts[0] if len(parts) == 1 else grammar.make_or(parts)


def _and(scanner: Scanner, grammar: _Grammar[N], depth: int) -> N:
    parts = [_primary(scanner, grammar, depth)]
    while _consume(scanner, ";"):
        parts.append(_primary(scanner, grammar, depth))
    return parts[0] if len(parts) == 1 else grammar.make_and(parts)


def _consume(scanner: Scanner, chars: str) -> bool:
    scanner.skip_ws()
    if scanner.at_end() or scanner.peek() not in chars:
        return False
    scanner.pos += 1
    return True


def _primary(scanner: Scanner, grammar: _Grammar[N], depth: int) -> N:
    scanner.skip_ws()
    if scanner.peek() != "(":
        return grammar.item(scanner)
    if depth >= MAX_DEPTH:
        too_complex(grammar.param, f"parentheses nested deeper than {MAX_DEPTH}")
    scanner.pos += 1
    node = _or(scanner, grammar, depth + 1)
    scanner.expect(")", "')' or a logical operator")
    return node


def _token(scanner: Scanner, what: str) -> str:
    found = scanner.match(_ITEM)
    if found is None:
        scanner.error(f"expected {what}")
    return found.group()


# -- entity type selection (clause 4.17) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TypeName:
    """One entity type (a name as per clause 4.6.2 or an IRI)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class TypeAnd:
    """Entities having all of the types (``(A;B)``)."""

    operands: tuple[TypeExpr, ...]

    def __str__(self) -> str:
        return "(" + ";".join(_wrap_or(o) for o in self.operands) + ")"


@dataclass(frozen=True, slots=True)
class TypeOr:
    """Entities having any of the types (``A|B``, also written ``A,B``)."""

    operands: tuple[TypeExpr, ...]

    def __str__(self) -> str:
        return "|".join(str(o) for o in self.operands)


TypeExpr = TypeName | TypeAnd | TypeOr


def _wrap_or(node: object) -> str:
    return f"({node})" if isinstance(node, TypeOr | ScopeOr) else str(node)


def _type_item(scanner: Scanner) -> TypeExpr:
    start = scanner.pos
    token = _token(scanner, "an entity type")
    if not is_name(token):
        scanner.error(f"{token!r} is not a valid entity type name", start)
    scanner.pos += len(token)
    return TypeName(token)


def _type_and(parts: list[TypeExpr]) -> TypeExpr:
    return TypeAnd(tuple(p for part in parts for p in _flat(part, TypeAnd)))


def _type_or(parts: list[TypeExpr]) -> TypeExpr:
    return TypeOr(tuple(p for part in parts for p in _flat(part, TypeOr)))


def _flat(node: N, cls: type) -> tuple[N, ...]:
    operands: tuple[N, ...] = getattr(node, "operands", ()) if isinstance(node, cls) else ()
    return operands or (node,)


_TYPES: _Grammar[TypeExpr] = _Grammar("type", _type_item, _type_and, _type_or)


def parse_type_selection(text: str) -> TypeExpr:
    """Parse an entity type selection (``type=`` parameter, clause 4.17)."""
    return _parse(text, _TYPES)


def resolve_types(expr: TypeExpr, expand: Callable[[str], str]) -> TypeExpr:
    """A copy of ``expr`` with every type name expanded by ``expand``."""
    if isinstance(expr, TypeName):
        return TypeName(expand(expr.name))
    operands = tuple(resolve_types(o, expand) for o in expr.operands)
    return TypeAnd(operands) if isinstance(expr, TypeAnd) else TypeOr(operands)


def types_in(expr: TypeExpr) -> set[str]:
    """Every type named in ``expr``; an entity matching ``expr`` has at least one of them."""
    if isinstance(expr, TypeName):
        return {expr.name}
    return set().union(*(types_in(o) for o in expr.operands))


def match_types(expr: TypeExpr, entity_types: Collection[str]) -> bool:
    """Whether an entity with ``entity_types`` (all its types) is selected by ``expr``."""
    if isinstance(expr, TypeName):
        return expr.name in entity_types
    if isinstance(expr, TypeAnd):
        return all(match_types(o, entity_types) for o in expr.operands)
    return any(match_types(o, entity_types) for o in expr.operands)


# -- scope query language (clause 4.19) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScopePattern:
    """``/a/+/c`` (``+`` matches one level); ``descendants`` for a trailing ``/#``.

    ``/#`` alone (no levels, ``descendants``) matches any non-empty scope.
    """

    levels: tuple[str, ...]
    descendants: bool = False

    def __str__(self) -> str:
        head = "/" + "/".join(self.levels) if self.levels else ""
        return head + ("/#" if self.descendants else "")

    def matches(self, scope: str) -> bool:
        """Whether the single scope ``scope`` (e.g. ``/Madrid/Gardens``) matches."""
        levels = scope.strip("/").split("/") if scope.strip("/") else []
        if len(levels) < len(self.levels) or (
            len(levels) > len(self.levels) and not self.descendants
        ):
            return False
        return all(p in ("+", s) for p, s in zip(self.levels, levels, strict=False))


@dataclass(frozen=True, slots=True)
class ScopeAnd:
    """All of the patterns match (each by some scope of the entity)."""

    operands: tuple[ScopeExpr, ...]

    def __str__(self) -> str:
        return "(" + ";".join(_wrap_or(o) for o in self.operands) + ")"


@dataclass(frozen=True, slots=True)
class ScopeOr:
    """Any of the patterns matches."""

    operands: tuple[ScopeExpr, ...]

    def __str__(self) -> str:
        return "|".join(str(o) for o in self.operands)


ScopeExpr = ScopePattern | ScopeAnd | ScopeOr


def _scope_item(scanner: Scanner) -> ScopeExpr:
    start = scanner.pos
    token = _token(scanner, "a scope such as /Madrid/Gardens")
    if not _SCOPE.fullmatch(token):
        scanner.error(f"{token!r} is not a valid scope pattern", start)
    scanner.pos += len(token)
    descendants = token.endswith("/#")
    body = token[:-2] if descendants else token
    levels = tuple(body.strip("/").split("/")) if body.strip("/") else ()
    return ScopePattern(levels, descendants)


def _scope_and(parts: list[ScopeExpr]) -> ScopeExpr:
    return ScopeAnd(tuple(p for part in parts for p in _flat(part, ScopeAnd)))


def _scope_or(parts: list[ScopeExpr]) -> ScopeExpr:
    return ScopeOr(tuple(p for part in parts for p in _flat(part, ScopeOr)))


_SCOPES: _Grammar[ScopeExpr] = _Grammar("scopeQ", _scope_item, _scope_and, _scope_or)


def parse_scope_q(text: str) -> ScopeExpr:
    """Parse a ``scopeQ`` expression (clause 4.19)."""
    return _parse(text, _SCOPES)


def evaluate_scope_q(expr: ScopeExpr, scopes: Iterable[str]) -> bool:
    """Whether an entity whose ``scope`` member lists ``scopes`` is selected by ``expr``."""
    listed = list(scopes)
    if isinstance(expr, ScopePattern):
        return any(expr.matches(s) for s in listed)
    if isinstance(expr, ScopeAnd):
        return all(evaluate_scope_q(o, listed) for o in expr.operands)
    return any(evaluate_scope_q(o, listed) for o in expr.operands)
