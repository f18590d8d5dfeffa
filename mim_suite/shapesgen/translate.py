"""JSON Schema (Draft 2020-12) to SHACL (W3C Recommendation 2017) constraints on one RDF node.

A data model's JSON Schema describes the keyValues form of an entity; after JSON-LD expansion
an attribute's value becomes the object of ``ngsi-ld:hasValue`` (a Relationship's target the
object of ``ngsi-ld:hasObject``). :func:`node_constraints` turns the schema of one attribute
value into SHACL constraint pairs on that node, in one of two modes:

* ``value``: JSON strings, numbers and booleans are literals (JSON-LD 1.1, section 8.6: an
  integral number is ``xsd:integer``, another number ``xsd:double``), objects are nodes; a
  string may also be a JSON-LD value object typed ``DateTime`` (``Date``, ``Time`` where the
  schema says format ``date``, ``time``; GS CIM 009 V1.8.1, 4.6.3), which the keyValues
  projection the JSON Schema sees unwraps;
* ``object``: a string is the IRI of the related entity.

Translated: ``type`` (each JSON type with the keywords that apply to it: ``minimum``,
``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``; ``pattern``, ``minLength``,
``maxLength``; ``items``), ``enum``/``const`` (scalars), ``$ref`` (resolved through the offline
registry), ``allOf`` (conjunction), ``anyOf`` and ``oneOf`` (both as ``sh:or``: JSON-LD turns an
array into several values, so exclusivity cannot be told apart). Everything else is reported
by :attr:`Translation.untranslated`; ``docs/shacl.md`` explains each choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from referencing.exceptions import Unresolvable

from mim_suite.shapesgen.turtle import Collection, Node, Object, boolean, literal, number

if TYPE_CHECKING:
    from referencing._core import Resolver

__all__ = ["Mode", "Pair", "Translation", "node_constraints", "summary"]

Mode = Literal["value", "object"]
Pair = tuple[str, Object]

_ANNOTATIONS = frozenset(
    {"description", "title", "default", "examples", "$comment", "deprecated", "readOnly"}
    | {"writeOnly", "$schema", "$id", "$anchor", "$defs", "definitions", "x-ngsi"}
)
_HANDLED = frozenset(
    {"type", "enum", "const", "$ref", "allOf", "anyOf", "oneOf", "items", "format"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    | {"pattern", "minLength", "maxLength"}
)
_STRING_DATATYPES = ("xsd:string", "ngsi-ld:DateTime")
_FORMAT_DATATYPES = {"date": "ngsi-ld:Date", "time": "ngsi-ld:Time"}
_TRANSLATED_FORMATS = frozenset({"uri", "date-time", *_FORMAT_DATATYPES})
_ANY_NUMBER: Pair = ("sh:minInclusive", '"-INF"^^xsd:double')
_BOUNDS = (
    ("minimum", "sh:minInclusive"),
    ("maximum", "sh:maxInclusive"),
    ("exclusiveMinimum", "sh:minExclusive"),
    ("exclusiveMaximum", "sh:maxExclusive"),
)
_LENGTHS = (("minLength", "sh:minLength"), ("maxLength", "sh:maxLength"))
_NESTED = "members of object values (properties, required...)"
_ARRAYS = "array size and order (minItems, maxItems, uniqueItems...)"
_GROUPS = {
    **dict.fromkeys(
        ("properties", "required", "additionalProperties", "patternProperties"), _NESTED
    ),
    **dict.fromkeys(("propertyNames", "minProperties", "maxProperties"), _NESTED),
    **dict.fromkeys(("minItems", "maxItems", "uniqueItems", "contains", "prefixItems"), _ARRAYS),
}
_MAX_DEPTH = 12


@dataclass
class Translation:
    """Constraint pairs for one node and the JSON Schema keywords left untranslated."""

    pairs: list[Pair] = field(default_factory=list)
    untranslated: set[str] = field(default_factory=set)


def node_constraints(schema: Any, resolver: Resolver[Any], mode: Mode) -> Translation:
    """The SHACL constraints an attribute value (or Relationship object) must meet."""
    translation = Translation()
    translator = _Translator(mode, translation.untranslated)
    translation.pairs = translator.schema(schema, resolver, 0)
    return translation


class _Translator:
    def __init__(self, mode: Mode, untranslated: set[str]) -> None:
        self.mode = mode
        self.untranslated = untranslated

    def schema(self, schema: Any, resolver: Resolver[Any], depth: int) -> list[Pair]:
        if not isinstance(schema, dict):
            return []
        if depth > _MAX_DEPTH:
            self.untranslated.add("$ref (nested too deep)")
            return []
        pairs: list[Pair] = []
        if isinstance(schema.get("$ref"), str):
            pairs += self._ref(schema["$ref"], resolver, depth)
        pairs += self._typed(schema, resolver, depth)
        pairs += self._enum(schema)
        for branch in _list(schema.get("allOf")):
            pairs += self.schema(branch, resolver, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                pairs += self._union(_list(schema[keyword]), resolver, depth)
        self._note(schema)
        return _unique(pairs)

    def _ref(self, ref: str, resolver: Resolver[Any], depth: int) -> list[Pair]:
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable:
            self.untranslated.add(f"$ref {ref} (not in the catalogue)")
            return []
        return self.schema(resolved.contents, resolved.resolver, depth + 1)

    def _typed(self, schema: dict[str, Any], resolver: Resolver[Any], depth: int) -> list[Pair]:
        declared = schema.get("type")
        if declared is None:
            return []
        names = [declared] if isinstance(declared, str) else _list(declared)
        bodies: list[list[Pair]] = []
        for name in names:
            if name == "null":
                continue
            body = self._for_type(name, schema, resolver, depth)
            if not body:
                return []
            bodies.append(body)
        return _either(bodies)

    def _for_type(
        self, name: Any, schema: dict[str, Any], resolver: Resolver[Any], depth: int
    ) -> list[Pair]:
        if name == "string":
            return self._string(schema)
        if name in ("number", "integer"):
            return _numeric(name, schema)
        if name == "boolean":
            return [("sh:datatype", "xsd:boolean")]
        if name == "object":
            return [("sh:nodeKind", "sh:BlankNodeOrIRI")]
        if name == "array":
            return self.schema(schema.get("items"), resolver, depth + 1)
        return []

    def _string(self, schema: dict[str, Any]) -> list[Pair]:
        pairs: list[Pair]
        if self.mode == "object":
            pairs = [("sh:nodeKind", "sh:IRI")]
        else:
            extra = _FORMAT_DATATYPES.get(schema.get("format", ""))
            datatypes = (*_STRING_DATATYPES, extra) if extra else _STRING_DATATYPES
            pairs = _either([[("sh:datatype", d)] for d in datatypes])
        if isinstance(schema.get("pattern"), str):
            pairs.append(("sh:pattern", literal(schema["pattern"])))
        for keyword, predicate in _LENGTHS:
            if _is_count(schema.get(keyword)):
                pairs.append((predicate, number(schema[keyword])))
        return pairs

    def _enum(self, schema: dict[str, Any]) -> list[Pair]:
        if "const" in schema:
            values = [schema["const"]]
        elif isinstance(schema.get("enum"), list):
            values = schema["enum"]
        else:
            return []
        terms = [_scalar(v) for v in values if v is not None]
        if self.mode == "object" or any(t is None for t in terms):
            self.untranslated.add("enum (non-scalar or on a Relationship)")
            return []
        return [("sh:in", Collection(tuple(t for t in terms if t is not None)))]

    def _union(self, branches: list[Any], resolver: Resolver[Any], depth: int) -> list[Pair]:
        bodies = [self.schema(branch, resolver, depth + 1) for branch in branches]
        if not bodies or any(not body for body in bodies):
            return []
        return _either(bodies)

    def _note(self, schema: dict[str, Any]) -> None:
        for keyword in schema:
            if keyword not in _HANDLED and keyword not in _ANNOTATIONS:
                self.untranslated.add(_GROUPS.get(keyword, keyword))
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt not in _TRANSLATED_FORMATS:
            self.untranslated.add(f"format {fmt}")
        if "type" not in schema and any(k in schema for k, _ in (*_BOUNDS, *_LENGTHS)):
            self.untranslated.add("bounds or lengths without a type")


def _numeric(name: str, schema: dict[str, Any]) -> list[Pair]:
    """``integer``: ``xsd:integer``. ``number``: any literal that compares with a number
    (SPARQL ``<=``, so ``xsd:integer`` and ``xsd:double``, not strings or booleans): a bound
    from the schema, else ``sh:minInclusive -INF``, which avoids a slow ``sh:or``."""
    pairs: list[Pair] = [("sh:datatype", "xsd:integer")] if name == "integer" else []
    for keyword, predicate in _BOUNDS:
        bound = schema.get(keyword)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            pairs.append((predicate, number(bound)))
    return pairs or [_ANY_NUMBER]


def _either(bodies: list[list[Pair]]) -> list[Pair]:
    """One body as is; several as ``sh:or`` of inline node shapes (duplicates dropped)."""
    distinct: list[list[Pair]] = []
    for body in bodies:
        if body not in distinct:
            distinct.append(body)
    if len(distinct) == 1:
        return list(distinct[0])
    if not distinct:
        return []
    return [("sh:or", Collection(tuple(Node(tuple(body)) for body in distinct)))]


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(value) if value.is_integer() else f'"{value!r}"^^xsd:double'
    return None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _unique(pairs: list[Pair]) -> list[Pair]:
    return list(dict.fromkeys(pairs))


def summary(schema: Any, resolver: Resolver[Any]) -> str:
    """A short reading of an attribute's schema for messages: ``number, minimum 0``."""
    parts = _summary_parts(schema, resolver, 0)
    text = ", ".join(dict.fromkeys(parts)) or "its schema"
    return text if len(text) <= 160 else text[:157] + "..."


def _summary_parts(schema: Any, resolver: Resolver[Any], depth: int) -> list[str]:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return []
    parts: list[str] = []
    if isinstance(schema.get("$ref"), str):
        try:
            resolved = resolver.lookup(schema["$ref"])
            parts += _summary_parts(resolved.contents, resolved.resolver, depth + 1)
        except Unresolvable:
            parts.append(f"$ref {schema['$ref']}")
    if "type" in schema:
        declared = schema["type"]
        parts.append(declared if isinstance(declared, str) else " or ".join(map(str, declared)))
    if isinstance(schema.get("enum"), list):
        parts.append("one of " + ", ".join(map(str, schema["enum"][:8])))
    for keyword in ("format", *(k for k, _ in _BOUNDS), *(k for k, _ in _LENGTHS)):
        if keyword in schema:
            parts.append(f"{keyword} {schema[keyword]}")
    if "pattern" in schema:
        pattern = str(schema["pattern"])
        parts.append(f"pattern {pattern}" if len(pattern) <= 24 else "a pattern")
    items = schema.get("items")
    if isinstance(items, dict):
        inner = _summary_parts(items, resolver, depth + 1)
        if inner:
            parts.append("items: " + " ".join(inner))
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            branches = [" ".join(_summary_parts(b, resolver, depth + 1)) for b in schema[keyword]]
            parts.append(f"{keyword}: " + " | ".join(b or "any" for b in branches))
    return parts
