"""An input entity made ready for JSON-LD to RDF conversion (ETSI GS CIM 009 V1.8.1, 4.5).

* **Normalized form.** SHACL shapes describe normalized entities, so concise and keyValues
  input is normalized first: a concise attribute without ``type`` gets the type its members
  imply (4.5.2.3, through :func:`mim_suite.validation.representation.instance_type`), a bare
  value becomes a Property, or a GeoProperty for a GeoJSON geometry. keyValues cannot tell a
  Relationship from a Property holding a URI (4.5.4): every keyValues attribute is a Property.
* **Labels.** Each attribute instance gets a blank-node label (``"@id": "_:<label>"``), so
  that a SHACL result on that node leads back to its JSON Pointer in the input document.
* **Numbers.** JSON-LD 1.1 (section 8.6) writes a number without fractional part as
  ``xsd:integer``; rdflib writes every Python float as ``xsd:double``, so integral floats
  (``3.0``) become integers first, as the JSON-LD algorithm would treat them.
* **Nested @context** members are resolved offline (:func:`resolve_offline`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mim_suite.shapesgen import resolve_offline
from mim_suite.validation.findings import Representation
from mim_suite.validation.pointers import join
from mim_suite.validation.representation import (
    ENTITY_MEMBERS,
    INSTANCE_MEMBERS,
    instance_type,
    is_instance,
)

__all__ = ["Instance", "Prepared", "prepare"]

_GEOMETRIES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
    | {"GeometryCollection"}
)
_LARGEST_INTEGRAL = 1e21


@dataclass(frozen=True, slots=True)
class Instance:
    """An attribute instance: its pointer in the input, and whether the input gave the bare
    value there (concise or keyValues) rather than an object with a ``value`` member."""

    pointer: str
    bare: bool


@dataclass
class Prepared:
    """The normalized, labelled entity (without its top-level ``@context``)."""

    document: dict[str, Any]
    instances: dict[str, Instance] = field(default_factory=dict)
    top_level: list[str] = field(default_factory=list)


def prepare(
    entity: dict[str, Any],
    representation: Representation,
    prefix: str,
    known: Mapping[str, Any],
) -> Prepared:
    """The entity as normalized JSON-LD with labelled instances; ``prefix`` makes labels unique
    within one data graph. Raises :class:`ContextNotOffline` for a nested remote @context."""
    walker = _Walker(prefix, known, bare_values=representation == "keyValues")
    document: dict[str, Any] = {}
    for key, value in entity.items():
        if key == "@context":
            continue
        if key in ENTITY_MEMBERS or key.startswith("@"):
            document[key] = walker.json(value)
        else:
            document[key] = walker.attribute(value, join("", key), top=True)
    return Prepared(document, walker.instances, walker.top_level)


class _Walker:
    def __init__(self, prefix: str, known: Mapping[str, Any], *, bare_values: bool) -> None:
        self.prefix = prefix
        self.known = known
        self.bare_values = bare_values
        self.instances: dict[str, Instance] = {}
        self.top_level: list[str] = []

    def attribute(self, value: Any, pointer: str, *, top: bool = False) -> Any:
        if not self.bare_values:
            if isinstance(value, list) and value and all(is_instance(i) for i in value):
                return [self.instance(v, join(pointer, n), top) for n, v in enumerate(value)]
            if is_instance(value):
                return self.instance(value, pointer, top)
        kind = "GeoProperty" if _is_geometry(value) else "Property"
        return self.instance({"type": kind, "value": value}, pointer, top, bare=True)

    def instance(
        self, obj: dict[str, Any], pointer: str, top: bool, *, bare: bool = False
    ) -> dict[str, Any]:
        label = f"{self.prefix}i{len(self.instances)}"
        self.instances[label] = Instance(pointer, bare)
        if top:
            self.top_level.append(label)
        copy: dict[str, Any] = {}
        if "@id" not in obj and "id" not in obj:
            copy["@id"] = "_:" + label
        kind = instance_type(obj)
        if "type" not in obj and kind is not None:
            copy["type"] = kind
        for key, member in obj.items():
            if bare or key in INSTANCE_MEMBERS or key.startswith("@"):
                copy[key] = self.json(member)
            else:
                copy[key] = self.attribute(member, join(pointer, key))
        return copy

    def json(self, value: Any) -> Any:
        """A copy with integral floats as integers and nested @context resolved offline."""
        if isinstance(value, dict):
            return {
                k: resolve_offline(v, self.known) if k == "@context" else self.json(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, float) and value.is_integer() and abs(value) < _LARGEST_INTEGRAL:
            return int(value)
        return value


def _is_geometry(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") in _GEOMETRIES
        and ("coordinates" in value or "geometries" in value)
    )
