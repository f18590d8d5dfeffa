"""Shared vocabulary of the NGSI-LD payload modules (ETSI GS CIM 009 V1.8.1).

Names, member sets and small helpers used by :mod:`payload`, :mod:`payload_checks`,
:mod:`payload_instance`, :mod:`payload_ops` and :mod:`representation`.

Clauses:

* 4.5.1 / 5.2.4-5.2.7, 5.2.32-5.2.38: the attribute types and the member that carries each
  type's value (``value``, ``object``, ``languageMap``, ``vocab``, ``valueList``,
  ``objectList``, ``json``).
* 4.7.1: ``location``, ``observationSpace`` and ``operationSpace`` are core GeoProperties.
* 5.2.1: the NGSI-LD Null ``"urn:ngsi-ld:null"`` marks removal in partial update and merge
  fragments (clauses 5.5.8, 5.5.12) and is BadRequestData everywhere else.
* 5.2.2: ``createdAt``, ``modifiedAt`` and ``deletedAt`` are system generated.

Internal form (what parsing produces and rendering consumes): entity ``type`` is a list of
expanded IRIs; every attribute key is an expanded IRI (it contains ``:``) mapping to a list of
instances, one per datasetId; a sub-attribute is a single instance dict under its IRI; reserved
members are plain keywords (no ``:``).

Limitations:

* ``valueType`` and the ``ngsildproof`` members of later versions are not reserved here; they
  are treated as ordinary sub-attribute names.
"""

from __future__ import annotations

import json
from typing import Any, Final, TypeGuard

__all__ = [
    "ATTRIBUTE_TYPES",
    "CORE_GEO_PROPERTIES",
    "ENTITY_MEMBERS",
    "GEOMETRY_TYPES",
    "MAX_ATTRIBUTE_DEPTH",
    "MAX_VALUE_DEPTH",
    "META_MEMBERS",
    "NGSI_LD",
    "NGSI_LD_NULL",
    "READ_ONLY_MEMBERS",
    "RESERVED_ATTRIBUTE_NAMES",
    "SYSTEM_MEMBERS",
    "TYPE_OF_VALUE_MEMBER",
    "VALUE_MEMBER",
    "VALUE_MEMBERS",
    "Entity",
    "Instance",
    "describe",
    "is_attribute_key",
    "is_null_instance",
    "is_one_of",
    "pointer",
]

Entity = dict[str, Any]
Instance = dict[str, Any]

NGSI_LD: Final = "https://uri.etsi.org/ngsi-ld/"
NGSI_LD_NULL: Final = "urn:ngsi-ld:null"

#: Sub-attribute nesting accepted below an attribute (guard against pathological input).
MAX_ATTRIBUTE_DEPTH: Final = 8
#: JSON nesting accepted inside a value (keeps recursive copies far from the stack limit).
MAX_VALUE_DEPTH: Final = 100

#: Attribute type -> the member that holds its value (4.5.1, 5.2.5-5.2.7, 5.2.32-5.2.38).
VALUE_MEMBER: Final[dict[str, str]] = {
    "Property": "value",
    "GeoProperty": "value",
    "Relationship": "object",
    "LanguageProperty": "languageMap",
    "VocabProperty": "vocab",
    "ListProperty": "valueList",
    "ListRelationship": "objectList",
    "JsonProperty": "json",
}
ATTRIBUTE_TYPES: Final = frozenset(VALUE_MEMBER)
VALUE_MEMBERS: Final = frozenset(VALUE_MEMBER.values())
#: Value member -> type inferred from it in the concise representation (4.5.x concise rules);
#: ``value`` is absent on purpose: it means Property or GeoProperty depending on the value.
TYPE_OF_VALUE_MEMBER: Final[dict[str, str]] = {
    member: kind for kind, member in VALUE_MEMBER.items() if member != "value"
}

#: GeoJSON geometries accepted as GeoProperty values (4.7.1; the V1.7.1 OpenAPI ``Geometry``
#: schema lists exactly these six, GeometryCollection is not among them).
GEOMETRY_TYPES: Final = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)

CORE_GEO_PROPERTIES: Final = frozenset(
    NGSI_LD + name for name in ("location", "observationSpace", "operationSpace")
)

SYSTEM_MEMBERS: Final = frozenset({"createdAt", "modifiedAt", "deletedAt"})
#: Output-only members: dropped when they appear in a request (5.2.2, 4.15, 5.2.12).
READ_ONLY_MEMBERS: Final = SYSTEM_MEMBERS | {
    "instanceId",
    "lang",
    "entity",
    "entityList",
    "previousValue",
    "previousObject",
    "previousLanguageMap",
    "previousVocab",
    "previousJson",
    "previousValueList",
    "previousObjectList",
}
#: Non-reified members an instance may carry besides its value member (5.2.5-5.2.7).
META_MEMBERS: Final = frozenset({"datasetId", "observedAt", "unitCode", "objectType"})
#: Members of the entity itself (5.2.4, 4.18 scope, 4.22 expiresAt).
ENTITY_MEMBERS: Final = frozenset({"id", "type", "scope", "expiresAt", "@context"} | SYSTEM_MEMBERS)
#: Core terms that are never attribute names (4.5.1: non-reified core terms and the reserved
#: attribute members).
RESERVED_ATTRIBUTE_NAMES: Final = (
    VALUE_MEMBERS | META_MEMBERS | READ_ONLY_MEMBERS | {"type", "id", "dataset"}
)


def is_attribute_key(key: str) -> bool:
    """True for an expanded attribute or sub-attribute IRI (reserved members have no ``:``)."""
    return ":" in key


def is_one_of(value: Any, names: frozenset[str]) -> TypeGuard[str]:
    """``value in names`` for any JSON value: arrays and objects (unhashable) are never members."""
    return isinstance(value, str) and value in names


def is_null_instance(instance: Instance) -> bool:
    """True when ``instance`` is an NGSI-LD Null deletion marker (5.5.8, 5.5.12)."""
    member = VALUE_MEMBER.get(str(instance.get("type")))
    if member is not None and instance.get(member) == NGSI_LD_NULL:
        return True
    return any(instance.get(m) == NGSI_LD_NULL for m in VALUE_MEMBERS)


def pointer(path: str, key: str | int) -> str:
    """Extend the JSON pointer ``path`` (RFC 6901) by ``key``."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{path}/{token}"


def describe(value: Any, limit: int = 80) -> str:
    """Short JSON rendering of ``value`` for error messages."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
