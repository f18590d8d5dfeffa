"""One data model's JSON Schema as SHACL shapes over its NGSI-LD entities in RDF.

The node shape ``<Domain>.<Type>`` names the type (``rdfs:label``) and the IRI(s) its name
expands to (``sh:targetClass``), and lists its property shapes (``rdfs:member``). Each property
shape carries the same targets itself, so that pySHACL validates it over all the entities of
the type at once rather than entity by entity (as ``sh:property`` would make it do). Per
schema property (top level and ``allOf`` branches, ``$ref`` resolved through the offline
registry):

* ``<Type>.<attr>.required``: ``sh:minCount 1`` on the attribute, for ``required`` members;
* ``<Type>.<attr>.value``: the value constraints on ``( <attr> ngsi-ld:hasValue )``;
* ``<Type>.<attr>.object``: for a Relationship (the property's description starts with
  "Relationship" or its name is ``ref<Name>``), ``sh:nodeKind sh:IRI`` and the string
  constraints on ``( <attr> ngsi-ld:hasObject )``.

Property shapes carry ``sh:name`` (the attribute name) and a one-line ``sh:message``; the
validator uses both to report findings against the input document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from referencing.exceptions import Unresolvable

from mim_suite.catalogue import Model
from mim_suite.shapesgen.iris import Expander
from mim_suite.shapesgen.translate import Mode, Pair, node_constraints, summary
from mim_suite.shapesgen.turtle import Collection, Node, Object, iri, literal, render

if TYPE_CHECKING:
    from referencing._core import Resolver

__all__ = ["SHAPE_NAMESPACE", "EntityProperties", "collect", "model_statements", "shape_name"]

SHAPE_NAMESPACE = "urn:mim-suite:shape:"
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]$|^[A-Za-z0-9_]$")
_RELATIONSHIP_NAME = re.compile(r"^ref[A-Z0-9]")
_SKIPPED = frozenset({"id", "type", "@context"})
_MAX_DEPTH = 12


@dataclass
class EntityProperties:
    """The entity-level members of a schema: each property's schemas, and ``required``."""

    schemas: dict[str, list[tuple[Any, Resolver[Any]]]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    type_names: set[str] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)


def collect(schema: Any, resolver: Resolver[Any]) -> EntityProperties:
    """Walk the top level and the ``allOf`` branches (``$ref`` followed) of an entity schema."""
    found = EntityProperties()
    _walk(schema, resolver, found, 0)
    return found


def _walk(schema: Any, resolver: Resolver[Any], found: EntityProperties, depth: int) -> None:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return
    if isinstance(schema.get("$ref"), str):
        try:
            resolved = resolver.lookup(schema["$ref"])
        except Unresolvable:
            found.unresolved.add(schema["$ref"])
        else:
            _walk(resolved.contents, resolved.resolver, found, depth + 1)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            found.schemas.setdefault(name, []).append((sub, resolver))
        found.type_names.update(_declared_types(properties.get("type")))
    required = schema.get("required")
    if isinstance(required, list):
        found.required.update(r for r in required if isinstance(r, str))
    for branch in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        _walk(branch, resolver, found, depth + 1)


def _declared_types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    values = schema.get("enum", [schema["const"]] if "const" in schema else [])
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def shape_name(*parts: str) -> str:
    """The Turtle name of a shape: ``shape:Domain.Type.attr.kind`` or a full IRI."""
    local = ".".join(parts)
    if _SAFE_LOCAL.match(local):
        return "shape:" + local
    return iri(SHAPE_NAMESPACE + local)


@dataclass
class _Shapes:
    """The statements of one model's file and the keywords that were not translated."""

    statements: list[tuple[str, list[tuple[str, Object]]]] = field(default_factory=list)
    untranslated: set[str] = field(default_factory=set)
    targets: list[tuple[str, Object]] = field(default_factory=list)


def model_statements(
    model: Model, schema: Any, resolver: Resolver[Any], expander: Expander
) -> tuple[list[str], set[str]]:
    """The rendered Turtle statements for ``model`` and the untranslated keywords."""
    entity = collect(schema, resolver)
    targets = expander.type_iris(model, sorted({model.type, *entity.type_names}))
    shapes = _Shapes(
        untranslated={f"$ref {r} (not in the catalogue)" for r in entity.unresolved},
        targets=[("sh:targetClass", iri(t)) for t in targets],
    )
    members: list[str] = []
    for name in sorted(entity.schemas):
        if name in _SKIPPED or name.startswith("@"):
            continue
        paths = expander.attribute_iris(model, name)
        if paths:
            members += _attribute(model, name, entity, paths, shapes)
    node: list[tuple[str, Object]] = [("a", "sh:NodeShape"), ("rdfs:label", literal(model.type))]
    node += shapes.targets
    node += [("rdfs:member", m) for m in members]
    rendered = [render(shape_name(model.domain, model.type), node)]
    rendered += [render(subject, pairs) for subject, pairs in shapes.statements]
    return rendered, shapes.untranslated


def _attribute(
    model: Model, name: str, entity: EntityProperties, paths: list[str], shapes: _Shapes
) -> list[str]:
    declared = entity.schemas[name]
    attr_path = _path(paths)
    members: list[str] = []
    if name in entity.required:
        message = f"{model.type} requires the attribute {name!r} (data model: required)"
        members.append(_add(shapes, model, name, "required", attr_path, message, [_MIN_ONE]))
    value = _constraints(declared, "value", shapes)
    if value:
        described = "; ".join(dict.fromkeys(summary(s, r) for s, r in declared))
        message = f"{model.type}.{name}: the value does not match the data model ({described})"
        path = _sequence(attr_path, "ngsi-ld:hasValue")
        members.append(_add(shapes, model, name, "value", path, message, value))
    if any(_is_relationship(name, s, r) for s, r in declared):
        target = _constraints(declared, "object", shapes) or [("sh:nodeKind", "sh:IRI")]
        message = f"{model.type}.{name}: the Relationship object must be an entity URI"
        path = _sequence(attr_path, "ngsi-ld:hasObject")
        members.append(_add(shapes, model, name, "object", path, message, target))
    return members


_MIN_ONE: Pair = ("sh:minCount", "1")


def _constraints(
    declared: list[tuple[Any, Resolver[Any]]], mode: Mode, shapes: _Shapes
) -> list[Pair]:
    """The conjunction of the constraints of every branch that declares the property."""
    pairs: list[Pair] = []
    for schema, resolver in declared:
        translation = node_constraints(schema, resolver, mode)
        shapes.untranslated |= translation.untranslated
        pairs += translation.pairs
    return list(dict.fromkeys(pairs))


def _add(
    shapes: _Shapes,
    model: Model,
    name: str,
    kind: str,
    path: Object,
    message: str,
    constraints: list[Pair],
) -> str:
    subject = shape_name(model.domain, model.type, name, kind)
    pairs: list[tuple[str, Object]] = [
        ("a", "sh:PropertyShape"),
        *shapes.targets,
        ("sh:name", literal(name)),
        ("sh:path", path),
        *constraints,
        ("sh:message", literal(message)),
    ]
    shapes.statements.append((subject, pairs))
    return subject


def _path(iris: list[str]) -> Object:
    if len(iris) == 1:
        return iri(iris[0])
    return Node((("sh:alternativePath", Collection(tuple(iri(i) for i in iris))),))


def _sequence(first: Object, then: str) -> Object:
    return Collection((first, then))


def _is_relationship(name: str, schema: Any, resolver: Resolver[Any]) -> bool:
    if _RELATIONSHIP_NAME.match(name):
        return True
    description = _description(schema, resolver)
    return description.strip().lower().startswith("relationship")


def _description(schema: Any, resolver: Resolver[Any]) -> str:
    if not isinstance(schema, dict):
        return ""
    if isinstance(schema.get("description"), str):
        return str(schema["description"])
    if isinstance(schema.get("$ref"), str):
        try:
            resolved = resolver.lookup(schema["$ref"])
        except Unresolvable:
            return ""
        return _description(resolved.contents, resolved.resolver)
    return ""
