"""A model's attributes as its schema declares them, for ``mim models show``.

Smart Data Models schemas compose ``allOf`` branches, most of them ``$ref`` to shared
definitions (``common-schema.json#/definitions/GSMA-Commons``...); the branches are followed
through the offline registry and their ``properties`` and ``required`` merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from referencing.exceptions import Unresolvable

from mim_suite.catalogue.catalogue import Catalogue
from mim_suite.catalogue.contexts import domain_context_urls
from mim_suite.catalogue.index import Model, key_values_examples

if TYPE_CHECKING:
    from referencing._core import Resolver  # not re-exported by referencing

    _Located = tuple[dict[str, Any], Resolver[Any]]

__all__ = ["Attribute", "Description", "describe"]

_MAX_DEPTH = 8


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str
    description: str
    required: bool


@dataclass(frozen=True)
class Description:
    model: Model
    required: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    key_values_examples: int
    context_url: str | None

    def as_dict(self) -> dict[str, Any]:
        m = self.model
        return {
            "type": m.type,
            "domain": m.domain,
            "origin": m.origin,
            "schema_id": m.schema_id,
            "schema_path": str(m.schema_path),
            "context_url": self.context_url,
            "context_path": str(m.context_path) if m.context_path else None,
            "required": list(self.required),
            "attributes": [a.__dict__ for a in self.attributes],
            "examples": [str(p) for p in m.examples],
        }


def describe(catalogue: Catalogue, model: Model) -> Description:
    """Merged attributes and required list of a model's schema."""
    schema = catalogue.schema(model)
    resolver = catalogue.registry.resolver(base_uri=model.schema_id)
    found: dict[str, _Located] = {}
    required: list[str] = []
    _collect(schema, resolver, found, required, 0)
    attributes = []
    for name, (sub, where) in sorted(found.items()):
        target, where = _deref(sub, where)
        attributes.append(
            Attribute(name, _type_of(target, where), _description(target), name in required)
        )
    return Description(
        model=model,
        required=tuple(dict.fromkeys(required)),
        attributes=tuple(attributes),
        key_values_examples=len(key_values_examples(model)),
        context_url=_context_url(model),
    )


def _deref(sub: dict[str, Any], resolver: Resolver[Any]) -> _Located:
    """Follow a chain of bare ``$ref`` (a property defined elsewhere) to its definition."""
    for _ in range(_MAX_DEPTH):
        ref = sub.get("$ref")
        if not isinstance(ref, str):
            break
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable:
            break
        if not isinstance(resolved.contents, dict):
            break
        sub, resolver = resolved.contents, resolved.resolver
    return sub, resolver


def _collect(
    node: Any,
    resolver: Resolver[Any],
    found: dict[str, _Located],
    required: list[str],
    depth: int,
) -> None:
    if not isinstance(node, dict) or depth > _MAX_DEPTH:
        return
    if isinstance(node.get("$ref"), str):
        try:
            resolved = resolver.lookup(node["$ref"])
        except Unresolvable:
            return
        _collect(resolved.contents, resolved.resolver, found, required, depth + 1)
    for name, sub in (node.get("properties") or {}).items():
        found.setdefault(name, (sub if isinstance(sub, dict) else {}, resolver))
    required += [r for r in node.get("required", []) if isinstance(r, str)]
    for branch in node.get("allOf", []):
        _collect(branch, resolver, found, required, depth + 1)


def _type_of(sub: dict[str, Any], resolver: Resolver[Any], depth: int = 0) -> str:
    declared = sub.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        return "|".join(str(t) for t in declared)
    for keyword in ("anyOf", "oneOf"):
        if isinstance(sub.get(keyword), list):
            kinds = [_type_of(b, resolver, depth + 1) for b in sub[keyword] if isinstance(b, dict)]
            return "|".join(dict.fromkeys(kinds))
    if isinstance(sub.get("$ref"), str) and depth < _MAX_DEPTH:
        target, where = _deref(sub, resolver)
        return "?" if target is sub else _type_of(target, where, depth + 1)
    return "any"


def _description(sub: dict[str, Any]) -> str:
    text = sub.get("description")
    return " ".join(text.split()) if isinstance(text, str) else ""


def _context_url(model: Model) -> str | None:
    if model.context_path is None:
        return None
    if model.origin == "bundled":
        return domain_context_urls(model.domain)[0]
    return model.context_path.resolve().as_uri()
