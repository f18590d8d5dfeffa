"""Incoming NGSI-LD payloads -> internal entity form, with validation (ETSI GS CIM 009 V1.8.1).

Parsers:

* :func:`parse_entity` - Create/Replace Entity bodies (5.6.1, 5.6.18) and batch items.
* :func:`parse_attributes` - Entity Fragments of Append (5.6.3) and Update (5.6.2) Entity
  Attributes; with ``allow_null`` the NGSI-LD Null deletes (5.5.8).
* :func:`parse_merge_patch` - Merge Entity fragments (5.6.17, 5.5.12).
* :func:`parse_attribute_instance` - Partial Attribute Update fragments (5.6.4).
* :func:`parse_attribute_value` - Replace Attribute bodies (5.6.19).

The pure operations applying fragments to stored entities live in :mod:`payload_ops` and are
re-exported here.

Rules (clause):

* Normalized and concise input (4.5.2.2 / 4.5.2.3 and the concise sub-clauses of 4.5.3,
  4.5.18-4.5.24): a type-less object is typed from its value member (see
  :func:`payload_instance.infer_type`); a bare GeoJSON geometry, or a ``value`` resolving to
  one, is a GeoProperty for any attribute name; any other plain JSON value is a Property; a
  type-less object without any value member is itself the value of a Property.
* An array whose items are all attribute objects lists the instances of a multi-attribute
  (4.5.5): each datasetId at most once, at most one default instance (no datasetId;
  ``"datasetId": "@none"`` also designates it). Keys expanding to the same IRI are merged.
  Sub-attributes are single instances, nested at most ``MAX_ATTRIBUTE_DEPTH`` levels.
* Members of an attribute that are not NGSI-LD keywords are sub-attributes (4.5.2.2).
* Entity ``id`` is a URI (5.2.4); ``type`` is a name or a non-empty array of names (4.16);
  attribute names follow 4.6.2 and may not be reserved core terms (4.5.1).
* ``location``, ``observationSpace`` and ``operationSpace`` must be GeoProperties (4.7.1).
* System members (``createdAt``, ``modifiedAt``, ``deletedAt``) and other output-only
  members (``instanceId``, ``lang``, ``previous*``) are ignored on input - clause 5.2.2 makes
  them system generated; ``createdAt``/``modifiedAt`` are set to ``now`` on the entity and on
  every instance and sub-attribute. ``@context`` at entity level is stripped (the caller
  resolves it); inside an attribute it is BadRequestData (4.5.1, 5.5.7).
* The NGSI-LD Null (5.2.1) is BadRequestData except in update and merge fragments, where it
  marks deletion of an attribute (instance), sub-attribute, ``observedAt``/``unitCode``/
  ``objectType`` or, in merge fragments only, of a key inside a JSON-object value (5.5.4).
  A datasetId can never be the NGSI-LD Null (5.5.8).
* Fragment members ``id`` must match the target entity when given (checked against
  ``entity_id``); ``type`` adds entity types (4.16); ``scope`` and ``expiresAt`` replace.

Limitations:

* The simplified (keyValues) input of later versions is not distinguished: keyValues bodies
  parse under the concise rules, so a bare URI string becomes a Property, not a Relationship.
* ``expiresAt`` (transient entities) is validated and kept, but never enforced here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from .payload_checks import bad, check_datetime, check_name, check_scope, check_uri, iter_nulls
from .payload_common import (
    ATTRIBUTE_TYPES,
    CORE_GEO_PROPERTIES,
    ENTITY_MEMBERS,
    GEOMETRY_TYPES,
    MAX_ATTRIBUTE_DEPTH,
    META_MEMBERS,
    NGSI_LD_NULL,
    READ_ONLY_MEMBERS,
    RESERVED_ATTRIBUTE_NAMES,
    VALUE_MEMBERS,
    Entity,
    Instance,
    is_attribute_key,
    is_null_instance,
    is_one_of,
    pointer,
)
from .payload_instance import infer_type, looks_like_instance, validate_instance, validate_patch
from .payload_ops import (
    append_attributes,
    apply_merge,
    delete_attribute,
    partial_update_attribute,
    replace_attribute,
    update_attributes,
)

__all__ = [
    "MAX_ATTRIBUTE_DEPTH",
    "NGSI_LD_NULL",
    "Entity",
    "Instance",
    "TermMapper",
    "append_attributes",
    "apply_merge",
    "delete_attribute",
    "is_null_instance",
    "parse_attribute_instance",
    "parse_attribute_value",
    "parse_attributes",
    "parse_entity",
    "parse_merge_patch",
    "partial_update_attribute",
    "replace_attribute",
    "update_attributes",
]

_BARE_GEOMETRY: Final = "bare-geometry"


class TermMapper(Protocol):
    """Expands terms to IRIs and compacts IRIs to terms under the request's @context."""

    def expand_term(self, term: str) -> str: ...

    def compact_iri(self, iri: str) -> str: ...


@dataclass(frozen=True, slots=True)
class _Mode:
    mapper: TermMapper
    now: str
    allow_null: bool = False  # update and merge fragments (5.5.8, 5.5.12)
    merge: bool = False  # NGSI-LD Null inside JSON-object values (5.5.4)


def parse_entity(
    body: Mapping[str, Any], mapper: TermMapper, *, require_id_type: bool = True, now: str
) -> Entity:
    """Parse a normalized or concise entity into the internal form."""
    obj = _require_object(body, "an entity")
    entity: Entity = {}
    if "id" in obj:
        entity["id"] = check_uri(obj["id"], "/id", "entity id")
    elif require_id_type:
        bad("/id", "entity id is required")
    if "type" in obj:
        entity["type"] = _parse_types(obj["type"], "/type", mapper)
    elif require_id_type:
        bad("/type", "entity type is required")
    if "scope" in obj:
        entity["scope"] = check_scope(obj["scope"], "/scope")
    if "expiresAt" in obj:
        entity["expiresAt"] = check_datetime(obj["expiresAt"], "/expiresAt", "expiresAt")
    entity["createdAt"] = entity["modifiedAt"] = now
    entity.update(_parse_members(obj, _Mode(mapper, now)))
    return entity


def parse_attributes(
    body: Mapping[str, Any],
    mapper: TermMapper,
    *,
    now: str,
    entity_id: str | None = None,
    allow_null: bool = False,
) -> dict[str, Any]:
    """Parse an Entity Fragment (append/update attributes) into ``{IRI: [instance, ...]}``.

    The result may also hold ``type`` (entity type IRIs to add), ``scope`` and ``expiresAt``.
    With ``allow_null`` (Update Entity Attributes, 5.5.8) NGSI-LD Nulls become deletion
    markers recognised by :func:`is_null_instance`.
    """
    mode = _Mode(mapper, now, allow_null=allow_null)
    return _parse_fragment(_require_object(body, "an entity fragment"), mode, entity_id)


def parse_merge_patch(
    body: Mapping[str, Any], mapper: TermMapper, *, now: str, entity_id: str | None = None
) -> dict[str, Any]:
    """Parse a Merge Entity fragment (5.6.17); apply it with :func:`apply_merge`.

    NGSI-LD Nulls are kept as deletion markers; ``scope``/``expiresAt`` may be the NGSI-LD
    Null (removal); Property values may hold NGSI-LD Nulls inside JSON objects (5.5.4).
    """
    mode = _Mode(mapper, now, allow_null=True, merge=True)
    return _parse_fragment(_require_object(body, "a merge fragment"), mode, entity_id)


def parse_attribute_instance(body: Mapping[str, Any], mapper: TermMapper, *, now: str) -> Instance:
    """Parse a Partial Attribute Update fragment (5.6.4): only the members to change.

    ``type`` is optional; ``datasetId`` selects the instance (default instance if absent);
    sub-attributes are full attributes; NGSI-LD Null marks deletion.
    """
    obj = _require_object(body, "an attribute fragment")
    mode = _Mode(mapper, now, allow_null=True)
    patch: Instance = {}
    if "type" in obj:
        patch["type"] = obj["type"]
    for key, value in obj.items():
        _parse_member(patch, key, value, pointer("", key), mode, 0)
    if not any(key not in ("type", "datasetId") for key in patch):
        bad("", "the attribute fragment has nothing to update", dict(obj))
    _reject_nested_nulls(patch.get("value"), "/value")
    return validate_patch(patch, "")


def parse_attribute_value(
    body: Any, mapper: TermMapper, *, now: str, iri: str | None = None
) -> list[Instance]:
    """Parse the body of Replace Attribute (5.6.19): one attribute, normalized or concise.

    ``iri`` (the target attribute) enables the core GeoProperty check of clause 4.7.1.
    """
    instances = _parse_attribute(body, "", _Mode(mapper, now), 0)
    _check_instances(iri or "", instances, "")
    return instances


def _require_object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        bad("", f"the payload must be a JSON object ({what})", body)
    return dict(body)


def _parse_fragment(obj: dict[str, Any], mode: _Mode, entity_id: str | None) -> dict[str, Any]:
    fragment: dict[str, Any] = {}
    if "id" in obj:
        ident = check_uri(obj["id"], "/id", "entity id")
        if entity_id is not None and ident != entity_id:
            bad("/id", f"the fragment id does not match the target entity {entity_id}", ident)
    if "type" in obj:
        fragment["type"] = _parse_types(obj["type"], "/type", mode.mapper)
    for key, check in (("scope", check_scope), ("expiresAt", check_datetime)):
        if key in obj:
            nulled = mode.allow_null and obj[key] == NGSI_LD_NULL
            fragment[key] = NGSI_LD_NULL if nulled else check(obj[key], pointer("", key))
    fragment.update(_parse_members(obj, mode))
    return fragment


def _parse_types(raw: Any, path: str, mapper: TermMapper) -> list[str]:
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not names:
        bad(path, "entity type must be a name or a non-empty array of names", raw)
    iris: list[str] = []
    for index, name in enumerate(names):
        where = path if isinstance(raw, str) else pointer(path, index)
        if name == NGSI_LD_NULL:
            bad(where, "entity type cannot be the NGSI-LD Null (clause 5.2.1)", name)
        iri = mapper.expand_term(check_name(name, where, "entity type"))
        if not is_attribute_key(iri):
            bad(where, "entity type does not expand to an IRI", name)
        if iri not in iris:
            iris.append(iri)
    return iris


def _attribute_iri(key: str, path: str, mapper: TermMapper) -> str:
    if key in RESERVED_ATTRIBUTE_NAMES:
        bad(path, f"'{key}' is a reserved NGSI-LD term, not an attribute name (clause 4.5.1)")
    iri = mapper.expand_term(check_name(key, path, "attribute name"))
    if not is_attribute_key(iri):
        bad(path, "attribute name does not expand to an IRI", key)
    return iri


def _parse_members(obj: dict[str, Any], mode: _Mode) -> dict[str, list[Instance]]:
    attributes: dict[str, list[Instance]] = {}
    paths: dict[str, str] = {}
    for key, raw in obj.items():
        if key in ENTITY_MEMBERS:
            continue
        path = pointer("", key)
        iri = _attribute_iri(key, path, mode.mapper)
        paths.setdefault(iri, path)
        attributes.setdefault(iri, []).extend(_parse_attribute(raw, path, mode, 0))
    for iri, instances in attributes.items():
        _check_instances(iri, instances, paths[iri])
    return attributes


def _check_instances(iri: str, instances: list[Instance], path: str) -> None:
    seen: set[str | None] = set()
    for instance in instances:
        dataset = instance.get("datasetId")
        if dataset in seen:
            what = f"datasetId {dataset}" if dataset else "default instance (no datasetId)"
            bad(path, f"the {what} appears more than once (clause 4.5.5)")
        seen.add(dataset)
        core_geo = iri in CORE_GEO_PROPERTIES and not is_null_instance(instance)
        if core_geo and instance["type"] != "GeoProperty":
            bad(path, "this core attribute must be a GeoProperty (4.7.1)", instance["type"])


def _parse_attribute(raw: Any, path: str, mode: _Mode, depth: int) -> list[Instance]:
    if isinstance(raw, list) and raw and all(looks_like_instance(item) for item in raw):
        return [_parse_instance(item, pointer(path, i), mode, depth) for i, item in enumerate(raw)]
    return [_parse_instance(raw, path, mode, depth)]


def _parse_instance(raw: Any, path: str, mode: _Mode, depth: int) -> Instance:
    if depth > MAX_ATTRIBUTE_DEPTH:
        bad(path, f"sub-attributes nest deeper than {MAX_ATTRIBUTE_DEPTH} levels")
    if raw == NGSI_LD_NULL and mode.allow_null:
        return {"type": "Property", "value": NGSI_LD_NULL}
    if raw is None:
        bad(path, "an attribute cannot be JSON null (clause 5.2.1)")
    if not isinstance(raw, dict):
        return _finish({"type": "Property", "value": copy.deepcopy(raw)}, path, mode)
    kind = _attribute_type(raw, path)
    if kind == _BARE_GEOMETRY:
        return _finish({"type": "GeoProperty", "value": copy.deepcopy(raw)}, path, mode)
    if kind is None:
        return _finish({"type": "Property", "value": copy.deepcopy(raw)}, path, mode)
    instance: Instance = {"type": kind}
    for key, value in raw.items():
        _parse_member(instance, key, value, pointer(path, key), mode, depth)
    return _finish(instance, path, mode)


def _attribute_type(raw: dict[str, Any], path: str) -> str | None:
    if "type" not in raw:
        kind = infer_type(raw, path)
        if kind is None and any(member in raw for member in META_MEMBERS):
            bad(path, f"an attribute needs one of the members {sorted(VALUE_MEMBERS)}")
        return kind
    declared = raw["type"]
    if is_one_of(declared, ATTRIBUTE_TYPES):
        return str(declared)
    if not is_one_of(declared, GEOMETRY_TYPES) and declared != "GeometryCollection":
        bad(
            pointer(path, "type"),
            f"attribute type must be one of {sorted(ATTRIBUTE_TYPES)}",
            declared,
        )
    return _BARE_GEOMETRY


def _parse_member(
    instance: Instance, key: str, value: Any, path: str, mode: _Mode, depth: int
) -> None:
    if key == "type" or key in READ_ONLY_MEMBERS:
        return
    if key == "@context":
        bad(path, "an attribute cannot embed an @context (clauses 4.5.1, 5.5.7)")
    if key in VALUE_MEMBERS:
        instance[key] = _value_member(key, value, path, mode)
    elif key in META_MEMBERS:
        instance.update(_meta_member(key, value, path, mode))
    else:
        iri = _attribute_iri(key, path, mode.mapper)
        if iri in instance:
            bad(path, "two sub-attribute names expand to the same IRI", iri)
        subs = _parse_attribute(value, path, mode, depth + 1)
        if len(subs) > 1:
            bad(path, "a sub-attribute cannot have several instances")
        instance[iri] = subs[0]


def _is_null_form(key: str, value: Any) -> bool:
    return (
        value == NGSI_LD_NULL
        or (key == "languageMap" and value == {"@none": NGSI_LD_NULL})
        or (key in ("valueList", "objectList") and value == [NGSI_LD_NULL])
    )


def _value_member(key: str, value: Any, path: str, mode: _Mode) -> Any:
    if mode.allow_null and _is_null_form(key, value):
        return NGSI_LD_NULL
    if key == "vocab":
        return _expand_names(value, path, mode.mapper, "vocab")
    if key == "objectList" and isinstance(value, list):
        return [{"object": item} if isinstance(item, str) else item for item in value]
    return copy.deepcopy(value)


def _meta_member(key: str, value: Any, path: str, mode: _Mode) -> dict[str, Any]:
    if key == "datasetId":
        if value == NGSI_LD_NULL:
            bad(path, "a datasetId cannot be the NGSI-LD Null (clause 5.5.8)", value)
        return {} if value == "@none" else {"datasetId": value}
    if mode.allow_null and value == NGSI_LD_NULL:
        return {key: NGSI_LD_NULL}
    if key == "objectType":
        return {key: _expand_names(value, path, mode.mapper, "objectType")}
    return {key: copy.deepcopy(value)}


def _expand_names(value: Any, path: str, mapper: TermMapper, what: str) -> Any:
    """Expand a name or an array of names (VocabProperty values, objectType; ``@vocab``)."""
    if isinstance(value, str):
        return mapper.expand_term(check_name(value, path, what))
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [
            mapper.expand_term(check_name(item, pointer(path, i), what))
            for i, item in enumerate(value)
        ]
    return copy.deepcopy(value)


def _reject_nested_nulls(value: Any, path: str) -> None:
    for where in iter_nulls(value, path):
        bad(where, "the NGSI-LD Null inside a value is only allowed in merge (5.5.4)")


def _finish(instance: Instance, path: str, mode: _Mode) -> Instance:
    if instance["type"] == "Property" and not mode.merge:
        _reject_nested_nulls(instance.get("value"), pointer(path, "value"))
    instance["createdAt"] = instance["modifiedAt"] = mode.now
    return validate_instance(instance, path, allow_null=mode.allow_null)
