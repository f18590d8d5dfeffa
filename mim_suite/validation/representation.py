"""Representation detection and keyValues projection (ETSI GS CIM 009 V1.8.1 clause 4.5).

Detection looks at the entity's attributes (every member but the entity members ``id``,
``type``, ``scope``, ``@context`` and the system members):

* **normalized** (4.5.2.2, 4.5.3.2): every attribute is an object, or an array of objects
  (several instances, 4.5.5), whose ``type`` is an NGSI-LD attribute type - Property,
  Relationship, GeoProperty, LanguageProperty, VocabProperty, ListProperty, ListRelationship
  or JsonProperty. An entity without attributes counts as normalized.
* **concise** (4.5.2.3, 4.5.3.3): some attributes are typed and others are not (bare values,
  or objects whose type is inferred from ``value``/``object``/``languageMap``/...); or no
  attribute is typed but one carries evidence only the concise form has: a ``valueList`` or
  ``objectList`` member (keyValues renders those as bare arrays, 4.5.4), an instance member
  (``observedAt``, ``unitCode``, ``datasetId``...) or a typed sub-attribute.
* **keyValues** (4.5.4): everything else. ``{"value": ...}`` or ``{"object": ...}`` alone is
  ambiguous; it is read as a keyValues JSON object because Smart Data Models use exactly
  such values in their keyValues examples (Junction, ResourceReport).
* **unknown**: not a JSON object, or every attribute has a ``type`` that is not an NGSI-LD
  attribute type next to a ``value`` - the NGSI v2 normalized format the Smart Data Models'
  ``example-normalized.json`` files use. Its projection still takes each ``value`` so that
  the data model can be checked, but the structure checks report the representation.

Projection to keyValues (:func:`to_key_values`) keeps ``id``, ``type`` and the entity members,
drops ``@context``, and replaces each attribute by its value member: Property and GeoProperty
``value``, Relationship ``object``, LanguageProperty ``languageMap``, VocabProperty ``vocab``,
ListProperty ``valueList``, ListRelationship the ``objectList`` URIs, JsonProperty ``json``.
A JSON-LD value object (``{"@type": "DateTime", "@value": "..."}``) projects to its
``@value``, in keyValues input too. Unlike 4.5.4, which keeps ``{"languageMap": ...}``,
``{"vocab": ...}`` and ``{"json": ...}`` wrappers, the values are bare, because the data
models' schemas describe bare values. A
multi-instance attribute projects its default instance (no ``datasetId``), else its first.
"""

from __future__ import annotations

from typing import Any, Final

from mim_suite.validation.findings import Representation
from mim_suite.validation.pointers import PointerMap, escape

__all__ = [
    "ATTRIBUTE_TYPES",
    "ENTITY_MEMBERS",
    "INSTANCE_MEMBERS",
    "VALUE_MEMBER",
    "chosen_instance",
    "detect_representation",
    "instance_type",
    "is_attribute_type",
    "is_instance",
    "looks_like_ngsi_v2",
    "to_key_values",
]

VALUE_MEMBER: Final[dict[str, str]] = {
    "Property": "value",
    "Relationship": "object",
    "GeoProperty": "value",
    "LanguageProperty": "languageMap",
    "VocabProperty": "vocab",
    "ListProperty": "valueList",
    "ListRelationship": "objectList",
    "JsonProperty": "json",
}
ATTRIBUTE_TYPES: Final = frozenset(VALUE_MEMBER)

_INFERRED_FROM: Final = (
    ("object", "Relationship"),
    ("languageMap", "LanguageProperty"),
    ("vocab", "VocabProperty"),
    ("valueList", "ListProperty"),
    ("objectList", "ListRelationship"),
    ("json", "JsonProperty"),
    ("value", "Property"),
)
_GEOMETRY_TYPES: Final = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)

ENTITY_MEMBERS: Final = frozenset(
    {"id", "type", "scope", "@context", "createdAt", "modifiedAt", "deletedAt", "expiresAt"}
)
"""Entity members that are not attributes (4.5.2, 4.8)."""

INSTANCE_MEMBERS: Final = frozenset(
    {
        "type",
        "observedAt",
        "unitCode",
        "datasetId",
        "createdAt",
        "modifiedAt",
        "deletedAt",
        "instanceId",
        "objectType",
        "lang",
        *VALUE_MEMBER.values(),
    }
)
"""Members of an attribute instance that are not sub-attributes (4.5.3, 5.2.5-5.2.7)."""

_METADATA: Final = INSTANCE_MEMBERS - {"type", *VALUE_MEMBER.values()}
_LIST_MEMBERS: Final = frozenset({"valueList", "objectList"})
_VALUE_MEMBERS: Final = frozenset(VALUE_MEMBER.values())
_MISSING: Final = object()
_COMPOUND: Final = (dict, list)


def is_attribute_type(value: Any) -> bool:
    return isinstance(value, str) and value in ATTRIBUTE_TYPES


def instance_type(obj: dict[str, Any]) -> str | None:
    """The attribute type of an instance object: its ``type``, else inferred (4.5.3.3).

    None when ``type`` is present but not an NGSI-LD attribute type, or when no value member
    says what the instance is.
    """
    declared = obj.get("type")
    if declared is not None:
        return declared if isinstance(declared, str) and declared in ATTRIBUTE_TYPES else None
    for member, kind in _INFERRED_FROM:
        if member in obj:
            if kind == "Property" and _is_geometry(obj[member]):
                return "GeoProperty"
            return kind
    return None


def is_instance(value: Any) -> bool:
    """True for an object that is an attribute instance: typed, or with a value member."""
    if not isinstance(value, dict):
        return False
    return instance_type(value) is not None or ("type" in value and "value" in value)


def _is_typed(value: Any) -> bool:
    if isinstance(value, dict):
        return is_attribute_type(value.get("type"))
    if isinstance(value, list) and value:
        return all(isinstance(i, dict) and is_attribute_type(i.get("type")) for i in value)
    return False


_BARE, _TYPED, _EVIDENCE = 0, 1, 2


def _kind(value: Any) -> int:
    """Whether an attribute is typed, carries concise-only evidence, or neither."""
    if isinstance(value, dict):
        if "type" in value:
            return _TYPED if is_attribute_type(value["type"]) else _BARE
        return _EVIDENCE if _concise_object(value) else _BARE
    if isinstance(value, list) and value and isinstance(value[0], dict):
        if _is_typed(value):
            return _TYPED
        if any(isinstance(i, dict) and "type" not in i and _concise_object(i) for i in value):
            return _EVIDENCE
    return _BARE


def _concise_object(item: dict[str, Any]) -> bool:
    members = item.keys()
    if members & _LIST_MEMBERS:
        return True
    if not members & _VALUE_MEMBERS:
        return False
    return bool(members & _METADATA) or any(_is_typed(item[m]) for m in members - INSTANCE_MEMBERS)


def _is_geometry(value: Any) -> bool:
    kind = value.get("type") if isinstance(value, dict) else None
    return isinstance(kind, str) and kind in _GEOMETRY_TYPES


def _attributes(entity: dict[str, Any]) -> list[Any]:
    return [v for k, v in entity.items() if k not in ENTITY_MEMBERS]


def looks_like_ngsi_v2(entity: dict[str, Any]) -> bool:
    """True when every attribute is NGSI v2 normalized: a non-NGSI-LD ``type`` and a ``value``."""
    attributes = _attributes(entity)
    return bool(attributes) and all(
        isinstance(a, dict)
        and isinstance(a.get("type"), str)
        and a["type"] not in ATTRIBUTE_TYPES
        and "value" in a
        for a in attributes
    )


def detect_representation(entity: Any) -> Representation:
    """normalized, concise, keyValues or unknown, by the rules in the module docstring."""
    if not isinstance(entity, dict):
        return "unknown"
    typed = untyped = 0
    evidence = False
    for key, value in entity.items():
        if key in ENTITY_MEMBERS:
            continue
        kind = _kind(value) if isinstance(value, _COMPOUND) else _BARE
        if kind == _TYPED:
            typed += 1
        else:
            untyped += 1
            evidence = evidence or kind == _EVIDENCE
    if not untyped:
        return "normalized"
    if typed or evidence:
        return "concise"
    return "unknown" if looks_like_ngsi_v2(entity) else "keyValues"


def chosen_instance(instances: list[Any]) -> int:
    """Index of the instance the projection uses: the default (no datasetId), else the first."""
    for position, instance in enumerate(instances):
        if isinstance(instance, dict) and "datasetId" not in instance:
            return position
    return 0


def to_key_values(entity: Any, representation: Representation) -> tuple[Any, PointerMap]:
    """The keyValues projection of ``entity`` and the map back to input pointers."""
    if not isinstance(entity, dict):
        return entity, {}
    if representation == "keyValues":
        return _key_values(entity)
    projected: dict[str, Any] = {}
    mapping: PointerMap = {}
    for key, value in entity.items():
        if key == "@context":
            continue
        if key in ENTITY_MEMBERS:
            projected[key] = value
            continue
        base = "/" + key if "/" not in key and "~" not in key else "/" + escape(key)
        member = _simple_member(value) if isinstance(value, dict) else None
        if member is not None:
            projected[key] = value[member]
            mapping[base] = base + _SUFFIX[member]
            continue
        result, suffixes = _project(value)
        if result is _MISSING:
            continue
        projected[key] = result
        for tail, source in suffixes.items():
            mapping[base + tail] = base + source
    return projected, mapping


_SIMPLE: Final = {k: m for k, m in VALUE_MEMBER.items() if k != "ListRelationship"}


_SUFFIX: Final = {member: "/" + member for member in VALUE_MEMBER.values()}


def _simple_member(value: dict[str, Any]) -> str | None:
    """The value member of a typed single instance whose value projects as is, else None."""
    kind = value.get("type")
    member = _SIMPLE.get(kind) if isinstance(kind, str) else None
    if member is None or member not in value:
        return None
    inner = value[member]
    return None if isinstance(inner, dict) and "@value" in inner else member


def _project(value: Any) -> tuple[Any, dict[str, str]]:
    """One attribute's keyValues value and {projection suffix: input suffix}."""
    if isinstance(value, list) and value and all(is_instance(i) for i in value):
        position = chosen_instance(value)
        result, suffixes = _project(value[position])
        return result, {tail: f"/{position}{source}" for tail, source in suffixes.items()} or {
            "": f"/{position}"
        }
    if not isinstance(value, dict):
        return value, {}
    kind = instance_type(value)
    if kind is None:
        if "type" in value and "value" in value:
            return value["value"], {"": "/value"}
        return value, {}
    member = VALUE_MEMBER[kind]
    if member not in value:
        return _MISSING, {}
    if kind == "ListRelationship":
        return _project_object_list(value[member])
    if member == "value" and _is_value_object(value[member]):
        return value[member]["@value"], {"": "/value/@value"}
    return value[member], {"": "/" + member}


def _is_value_object(value: Any) -> bool:
    return isinstance(value, dict) and "@value" in value


def _key_values(entity: dict[str, Any]) -> tuple[dict[str, Any], PointerMap]:
    """A keyValues entity without ``@context``, JSON-LD value objects unwrapped."""
    typed_values = [k for k, v in entity.items() if isinstance(v, dict) and "@value" in v]
    if not typed_values and "@context" not in entity:
        return entity, {}
    projected = {k: v for k, v in entity.items() if k != "@context"}
    mapping: PointerMap = {}
    for key in typed_values:
        projected[key] = entity[key]["@value"]
        mapping["/" + escape(key)] = "/" + escape(key) + "/@value"
    return projected, mapping


def _project_object_list(items: Any) -> tuple[Any, dict[str, str]]:
    if not isinstance(items, list):
        return items, {"": "/objectList"}
    suffixes = {"": "/objectList"}
    uris: list[Any] = []
    for position, item in enumerate(items):
        if isinstance(item, dict) and "object" in item:
            uris.append(item["object"])
            suffixes[f"/{position}"] = f"/objectList/{position}/object"
        else:
            uris.append(item)
    return uris, suffixes
