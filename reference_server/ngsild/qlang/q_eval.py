"""Evaluation of NGSI-LD Query Language expressions against entities (clause 4.9).

Entities are in the broker's internal form: expanded attribute IRIs mapping to lists of
instances (one per datasetId), sub-attributes as single instance dicts. Evaluation never
raises: values of incompatible types simply do not compare (equal and ordering terms are false,
``!=`` is true, as clause 4.9 prescribes).

Target value of each attribute type (clause 4.9): Property and GeoProperty ``value``,
Relationship ``object``, ListProperty ``valueList``, ListRelationship ``objectList``,
VocabProperty ``vocab``, JsonProperty ``json`` and LanguageProperty the values of its
``languageMap`` (those of one language with ``attr[en]``, all of them with ``attr[*]``).
A term holds if any instance (any datasetId), and for an array target any element, satisfies
it; ``!=`` and ``!~=`` hold when no element equals / matches. Only ``==`` and ``!=`` can match a
Relationship or ListRelationship.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from reference_server.ngsild.qlang import temporal
from reference_server.ngsild.qlang.q_ast import (
    METADATA_MEMBERS,
    And,
    AttrPath,
    Comparison,
    Exists,
    Literal,
    Op,
    Or,
    Path,
    QExpr,
    Range,
    Regex,
    ValueKind,
    ValueList,
)

__all__ = ["Fetch", "evaluate_q"]

Fetch = Callable[[str], Mapping[str, Any] | None]
"""Looks an entity up by id, for linked entity paths ``rel{attr}`` (clause 4.5.23)."""

_MISSING = object()
_ORDER: dict[Op, Callable[[Any, Any], bool]] = {
    Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}
_MEMBER_BY_TYPE = {
    "Property": ("property", "value"),
    "GeoProperty": ("property", "value"),
    "Relationship": ("relationship", "object"),
    "ListProperty": ("property", "valueList"),
    "ListRelationship": ("relationship", "objectList"),
    "VocabProperty": ("vocab", "vocab"),
    "JsonProperty": ("property", "json"),
    "LanguageProperty": ("language", "languageMap"),
}
_MEMBER_FALLBACK = (
    ("value", "property"),
    ("object", "relationship"),
    ("languageMap", "language"),
    ("vocab", "vocab"),
    ("valueList", "property"),
    ("objectList", "relationship"),
    ("json", "property"),
)


class _Target(NamedTuple):
    kind: str
    value: Any


def evaluate_q(expr: QExpr, entity: Mapping[str, Any], *, fetch: Fetch | None = None) -> bool:
    """Whether ``entity`` satisfies ``expr`` (resolved with ``resolve_q`` first).

    ``fetch`` resolves linked entity paths; without it, terms on such paths find no target.
    """
    if isinstance(expr, And):
        return all(evaluate_q(o, entity, fetch=fetch) for o in expr.operands)
    if isinstance(expr, Or):
        return any(evaluate_q(o, entity, fetch=fetch) for o in expr.operands)
    targets = _targets(expr.path, entity, fetch)
    if isinstance(expr, Exists):
        return (next(targets, None) is None) is expr.negated
    return any(_holds(expr, target) for target in targets)


# -- locating targets ----------------------------------------------------------------------------


def _targets(path: Path, entity: Mapping[str, Any], fetch: Fetch | None) -> Iterator[_Target]:
    if isinstance(path, AttrPath):
        for instance in _instances(entity.get(path.names[0])):
            yield from _walk(instance, path.names[1:], path.trail)
        return
    if fetch is None:
        return
    for instance in _instances(entity.get(path.relationship)):
        for entity_id in _object_ids(instance):
            linked = fetch(entity_id)
            if linked is not None and _has_type(linked, path.types):
                yield from _targets(path.target, linked, fetch)


def _instances(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _object_ids(instance: Mapping[str, Any]) -> list[str]:
    if "objectList" in instance:
        return [i for i in _object_list(instance["objectList"]) if isinstance(i, str)]
    return [i for i in _flatten(instance.get("object")) if isinstance(i, str)]


def _object_list(raw: Any) -> list[Any]:
    """The URIs of a ListRelationship's ``objectList`` (items may be ``{"object": uri}``)."""
    items = raw if isinstance(raw, list) else [raw]
    return [i.get("object") if isinstance(i, Mapping) and "object" in i else i for i in items]


def _has_type(entity: Mapping[str, Any], wanted: tuple[str, ...]) -> bool:
    if not wanted:
        return True
    types = entity.get("type")
    found = set(types) if isinstance(types, list) else {types}
    return not found.isdisjoint(wanted)


def _walk(
    instance: Mapping[str, Any], rest: tuple[str, ...], trail: tuple[str, ...]
) -> Iterator[_Target]:
    if not rest:
        target = _target_of(instance, trail)
        if target is not None:
            yield target
        return
    name, tail = rest[0], rest[1:]
    if name in METADATA_MEMBERS and not tail:
        if name in instance:
            yield _Target("metadata", _unwrap(instance[name]))
        return
    for sub in _instances(instance.get(name)):
        yield from _walk(sub, tail, trail)


def _kind_and_member(instance: Mapping[str, Any]) -> tuple[str, str] | None:
    declared = instance.get("type")
    if isinstance(declared, str):
        short = declared.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if short in _MEMBER_BY_TYPE:
            return _MEMBER_BY_TYPE[short]
    for member, kind in _MEMBER_FALLBACK:
        if member in instance:
            return kind, member
    return None


def _target_of(instance: Mapping[str, Any], trail: tuple[str, ...]) -> _Target | None:
    found = _kind_and_member(instance)
    if found is None or found[1] not in instance:
        return None
    kind, member = found
    seed = _object_list(instance[member]) if member == "objectList" else instance[member]
    if kind == "language":
        return _language_target(seed, trail)
    if not trail:
        return _Target(kind, seed)
    if kind != "property":
        return None
    value = _member_path(_unwrap(seed), trail)
    return None if value is _MISSING else _Target(kind, value)


def _member_path(value: Any, trail: tuple[str, ...]) -> Any:
    """ECMA 262 dot-notation member access; ``_MISSING`` when undefined."""
    for key in trail:
        if not isinstance(value, Mapping) or key not in value:
            return _MISSING
        value = _unwrap(value[key])
    return value


def _language_target(language_map: Any, trail: tuple[str, ...]) -> _Target | None:
    if not isinstance(language_map, Mapping) or len(trail) > 1:
        return None
    if trail and trail[0] != "*":
        if trail[0] not in language_map:
            return None
        return _Target("language", _flatten(language_map[trail[0]]))
    return _Target("language", [v for raw in language_map.values() for v in _flatten(raw)])


def _unwrap(value: Any) -> Any:
    """The plain value of a JSON-LD value object ``{"@value": ...}`` or node ``{"@id": ...}``."""
    if isinstance(value, Mapping):
        if "@value" in value:
            return value["@value"]
        if "@id" in value and len(value) == 1:
            return value["@id"]
    return value


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return [] if value is None else [_unwrap(value)]


# -- comparing -----------------------------------------------------------------------------------


def _holds(term: Comparison, target: _Target) -> bool:
    op = term.op
    if target.kind == "relationship" and op not in (Op.EQ, Op.NE):
        return False
    elements = _flatten(target.value)
    if isinstance(term.value, Regex):
        strings = [e for e in elements if isinstance(e, str)]
        hit = any(term.value.compiled.search(s) for s in strings)
        return hit if op is Op.MATCH else bool(strings) and not hit
    use_iri = target.kind == "vocab" or term.expand_values
    if op in (Op.EQ, Op.NE):
        equal = any(_equals(e, term.value, use_iri) for e in elements)
        return equal if op is Op.EQ else not equal
    if not isinstance(term.value, Literal):
        return False
    return any(_ordered(e, term.value, _ORDER[op]) for e in elements)


def _equals(element: Any, value: Literal | Range | ValueList | Regex, use_iri: bool) -> bool:
    if isinstance(value, Literal):
        return _equal(element, value, use_iri)
    if isinstance(value, ValueList):
        return any(_equal(element, item, use_iri) for item in value.items)
    if isinstance(value, Range):
        return _ordered(element, value.low, operator.ge) and _ordered(
            element, value.high, operator.le
        )
    return False


def _equal(element: Any, literal: Literal, use_iri: bool) -> bool:
    pair = _coerce(element, literal)
    if pair is not None and pair[0] == pair[1]:
        return True
    return use_iri and literal.iri is not None and element == literal.iri


def _ordered(element: Any, literal: Literal, compare: Callable[[Any, Any], bool]) -> bool:
    pair = _coerce(element, literal)
    if pair is None:
        return False
    try:
        return compare(pair[0], pair[1])
    except TypeError:
        return False


def _coerce(element: Any, literal: Literal) -> tuple[Any, Any] | None:
    """``(element, literal)`` as two comparable Python values, or None if the types differ."""
    kind = literal.kind
    if kind is ValueKind.NUMBER:
        numeric = isinstance(element, int | float) and not isinstance(element, bool)
        return (element, literal.value) if numeric else None
    if kind is ValueKind.BOOLEAN:
        return (element, literal.value) if isinstance(element, bool) else None
    if not isinstance(element, str) or not isinstance(literal.value, str):
        return None
    if kind is ValueKind.STRING:
        both = temporal.parse_datetime(element), temporal.parse_datetime(literal.value)
        return both if both[0] is not None and both[1] is not None else (element, literal.value)
    parse = _TEMPORAL_PARSERS.get(kind)
    if parse is None:
        return element, literal.value
    parsed = parse(element)
    return None if parsed is None else (parsed, parse(literal.value))


_TEMPORAL_PARSERS: dict[ValueKind, Callable[[str], Any]] = {
    ValueKind.DATETIME: temporal.parse_datetime,
    ValueKind.DATE: temporal.parse_date,
    ValueKind.TIME: temporal.parse_time,
}


# -- index entries -------------------------------------------------------------------------------

WILD = object()
"""An index entry that may satisfy any comparison on its attribute (not a plain scalar)."""


def index_entries(entity: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(attribute, element)`` pairs a store can index to pre-select q candidates.

    Elements are exactly what :func:`evaluate_q` compares for a top-level path without a
    trail: numbers (not booleans) and strings; anything else is :data:`WILD`. Every attribute
    instance yields at least one entry, so attribute existence is indexed too.
    """
    for name, value in entity.items():
        if ":" not in name or not isinstance(value, list):
            continue
        for instance in _instances(value):
            target = _target_of(instance, ())
            elements = [] if target is None else _flatten(target.value)
            if not elements:
                yield name, WILD
            for element in elements:
                yield name, element if _indexable(element) else WILD


def _indexable(element: Any) -> bool:
    if isinstance(element, bool):
        return False
    return isinstance(element, int | float | str)


def q_attributes(expr: QExpr) -> set[str]:
    """The top-level attribute names (or IRIs, once resolved) ``expr`` refers to."""
    if isinstance(expr, And | Or):
        return set().union(*(q_attributes(o) for o in expr.operands))
    path = expr.path
    return {path.names[0] if isinstance(path, AttrPath) else path.relationship}
