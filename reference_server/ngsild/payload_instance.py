"""Attribute-instance rules shared by parsing, updating and rendering (ETSI GS CIM 009 V1.8.1).

* :func:`infer_type` - the concise-representation inference rules (clauses 4.5.2.3 and the
  concise sub-clauses of 4.5.3 and 4.5.18-4.5.24): with no ``type`` member, ``object`` means
  Relationship, ``languageMap`` LanguageProperty, ``vocab`` VocabProperty, ``valueList``
  ListProperty, ``objectList`` ListRelationship, ``json`` JsonProperty and ``value`` Property -
  except that a ``value`` resolving to a supported GeoJSON geometry means GeoProperty.
* :func:`validate_instance` - the structural rules of an internal-form instance: 4.2.2 (a
  Property has a value, a Relationship an object), 5.2.5-5.2.7 and 5.2.32-5.2.38 (the member
  set of each type: a member defining another type's value is BadRequestData, ``objectType``
  only on relationships, ``unitCode`` never on relationships - "Relationships are unitless"),
  4.8 / 4.6.3 (``observedAt`` is a DateTime), 4.5.5 (``datasetId`` is a URI), 5.2.1 (JSON null
  is never a value; the NGSI-LD Null only in partial-update and merge fragments).

Limitations:

* JSON ``null`` nested inside a compound Property value is accepted as plain JSON (only a
  top-level null is rejected); JSON-LD expansion would drop such members.
"""

from __future__ import annotations

from typing import Any, Final

from .payload_checks import (
    bad,
    check_datetime,
    check_geometry,
    check_json_value,
    check_language_map,
    check_uri,
)
from .payload_common import (
    ATTRIBUTE_TYPES,
    GEOMETRY_TYPES,
    NGSI_LD_NULL,
    TYPE_OF_VALUE_MEMBER,
    VALUE_MEMBER,
    VALUE_MEMBERS,
    Instance,
    is_attribute_key,
    is_one_of,
    pointer,
)

__all__ = [
    "infer_type",
    "looks_like_geometry",
    "looks_like_instance",
    "validate_instance",
    "validate_patch",
]

_RELATIONSHIPS: Final = frozenset({"Relationship", "ListRelationship"})


def looks_like_geometry(value: Any) -> bool:
    """True when ``value`` has the shape of a supported GeoJSON geometry (4.7.1)."""
    return (
        isinstance(value, dict)
        and is_one_of(value.get("type"), GEOMETRY_TYPES)
        and "coordinates" in value
    )


def looks_like_instance(value: Any) -> bool:
    """True when ``value`` is an attribute-instance object rather than a plain JSON value."""
    if not isinstance(value, dict):
        return False
    return is_one_of(value.get("type"), ATTRIBUTE_TYPES) or any(m in value for m in VALUE_MEMBERS)


def infer_type(obj: dict[str, Any], path: str) -> str | None:
    """Attribute type of a type-less (concise) attribute object, None when it has no value member.

    Raises BadRequestData when the object carries the value members of two types.
    """
    present = sorted(m for m in VALUE_MEMBERS if m in obj)
    if len(present) > 1:
        bad(path, f"members {present} define different attribute types; send only one")
    if not present:
        return None
    member = present[0]
    if member == "value":
        return "GeoProperty" if looks_like_geometry(obj["value"]) else "Property"
    return TYPE_OF_VALUE_MEMBER[member]


def validate_instance(instance: Instance, path: str, *, allow_null: bool = False) -> Instance:
    """Check an internal-form instance; return it unchanged. Sub-attributes are not visited."""
    kind = instance.get("type")
    if not is_one_of(kind, ATTRIBUTE_TYPES):
        bad(pointer(path, "type"), f"attribute type must be one of {sorted(ATTRIBUTE_TYPES)}", kind)
    member = VALUE_MEMBER[kind]
    for other in VALUE_MEMBERS - {member}:
        if other in instance:
            bad(pointer(path, other), f"member '{other}' is not allowed on a {kind}")
    if member not in instance:
        bad(path, f"a {kind} needs the member '{member}'")
    value = instance[member]
    if not (allow_null and value == NGSI_LD_NULL):
        _VALUE_CHECKS[kind](value, pointer(path, member), allow_null)
    _check_meta(instance, str(kind), path, allow_null)
    return instance


def validate_patch(patch: Instance, path: str) -> Instance:
    """Check a partial attribute fragment (5.6.4): only the members it carries are checked.

    Type-specific value rules are applied later, on the patched instance.
    """
    kind = patch.get("type")
    if "type" in patch and not is_one_of(kind, ATTRIBUTE_TYPES):
        bad(pointer(path, "type"), f"attribute type must be one of {sorted(ATTRIBUTE_TYPES)}", kind)
    inferred = infer_type(patch, path)
    if kind is not None and inferred is not None:
        member = VALUE_MEMBER[str(kind)]
        if member not in patch:
            extra = next(m for m in VALUE_MEMBERS if m in patch)
            bad(pointer(path, extra), f"member '{extra}' is not allowed on a {kind}")
    known = kind if kind is not None else inferred
    _check_meta(patch, None if known is None else str(known), path, allow_null=True)
    return patch


def _check_meta(instance: Instance, kind: str | None, path: str, allow_null: bool) -> None:
    checks = {
        "observedAt": lambda v, p: check_datetime(v, p, "observedAt"),
        "datasetId": lambda v, p: check_uri(v, p, "datasetId"),
        "unitCode": _check_unit_code,
        "objectType": _check_object_type,
    }
    if kind is not None and "unitCode" in instance and kind in _RELATIONSHIPS:
        bad(pointer(path, "unitCode"), f"unitCode is not allowed on a {kind} (unitless)")
    if kind is not None and "objectType" in instance and kind not in _RELATIONSHIPS:
        bad(pointer(path, "objectType"), f"objectType is only allowed on relationships, not {kind}")
    for name, check in checks.items():
        if name in instance and not (allow_null and instance[name] == NGSI_LD_NULL):
            check(instance[name], pointer(path, name))


def _check_unit_code(value: Any, path: str) -> None:
    if not isinstance(value, str) or not value:
        bad(path, "unitCode must be a non-empty string", value)


def _check_object_type(value: Any, path: str) -> None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and is_attribute_key(i) for i in items):
        bad(path, "objectType must be an entity type name or an array of them", value)


def _reject_null(value: Any, path: str, allow_null: bool) -> None:
    items = value if isinstance(value, list) else [value]
    if not allow_null and NGSI_LD_NULL in items:
        bad(path, "the NGSI-LD Null is only allowed in update and merge fragments (5.2.1)")


def _check_property(value: Any, path: str, allow_null: bool) -> None:
    if value is None:
        bad(path, "a Property value cannot be JSON null (clause 5.2.1)")
    _reject_null(value, path, allow_null)
    check_json_value(value, path)


def _check_geo(value: Any, path: str, allow_null: bool) -> None:
    check_geometry(value, path)


def _check_relationship(value: Any, path: str, allow_null: bool) -> None:
    targets = value if isinstance(value, list) else [value]
    if not targets:
        bad(path, "a Relationship object must be a URI or a non-empty array of URIs", value)
    for index, target in enumerate(targets):
        check_uri(target, pointer(path, index) if isinstance(value, list) else path, "object")


def _check_language(value: Any, path: str, allow_null: bool) -> None:
    check_language_map(value, path)
    for tag, text in value.items():
        _reject_null(text, pointer(path, tag), allow_null)


def _check_vocab(value: Any, path: str, allow_null: bool) -> None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and is_attribute_key(i) for i in items):
        bad(path, "vocab must be a term/IRI or a non-empty array of them", value)


def _check_value_list(value: Any, path: str, allow_null: bool) -> None:
    if not isinstance(value, list):
        bad(path, "valueList must be an array", value)
    if any(item is None for item in value):
        bad(path, "valueList items cannot be JSON null (clause 5.2.1)", value)
    _reject_null(value, path, allow_null)
    check_json_value(value, path)


def _check_object_list(value: Any, path: str, allow_null: bool) -> None:
    if not isinstance(value, list):
        bad(path, 'objectList must be an array of {"object": URI} objects', value)
    for index, item in enumerate(value):
        where = pointer(path, index)
        if not isinstance(item, dict) or set(item) != {"object"}:
            bad(where, 'objectList items must be {"object": URI} objects', item)
        check_uri(item["object"], pointer(where, "object"), "object")


def _check_json(value: Any, path: str, allow_null: bool) -> None:
    if value is None:
        bad(path, "a JsonProperty json member cannot be JSON null (clause 5.2.1)")
    check_json_value(value, path)


_VALUE_CHECKS: Final = {
    "Property": _check_property,
    "GeoProperty": _check_geo,
    "Relationship": _check_relationship,
    "LanguageProperty": _check_language,
    "VocabProperty": _check_vocab,
    "ListProperty": _check_value_list,
    "ListRelationship": _check_object_list,
    "JsonProperty": _check_json,
}
