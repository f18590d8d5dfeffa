"""Pure operations applying parsed fragments to internal entities (ETSI GS CIM 009 V1.8.1).

None of these functions mutates its arguments: each returns a new entity (deep copies).
``createdAt`` of every surviving entity, instance and sub-attribute is kept; ``modifiedAt`` of
what changed (and of the entity) becomes ``now``. Instances are matched by datasetId, the
default instance being the one without datasetId (4.5.5).

* :func:`append_attributes` - 5.6.3 Append Entity Attributes: new instances are added;
  existing ones are replaced, or left alone and reported when ``overwrite`` is false
  (``options=noOverwrite``). Types are added (4.16); scope replaced unless noOverwrite.
* :func:`update_attributes` - 5.6.2 Update Entity Attributes: only existing instances are
  replaced; the others are reported as not updated; an NGSI-LD Null deletes the instance
  (5.5.8). Types are added, scope replaced.
* :func:`partial_update_attribute` - 5.6.4 Partial Attribute Update: the members given replace
  those of the target instance, sub-attributes given replace theirs; NGSI-LD Null removes
  the instance, a sub-attribute or a member. The result is re-validated.
* :func:`apply_merge` - 5.6.17 Merge Entity (5.5.12): attributes absent from the fragment are
  kept; matching instances are merged member by member (members absent from the fragment,
  e.g. ``unitCode``, are kept), sub-attributes merged recursively, JSON-object Property values
  merged key by key (RFC 7396 style, NGSI-LD Null removing a key); NGSI-LD Null deletes the
  matching instance; types are added; ``scope``/``expiresAt`` replaced or removed.
* :func:`replace_attribute` - 5.6.19 Replace Attribute.
* :func:`delete_attribute` - 5.6.5 Delete Entity Attribute (``datasetId`` / ``deleteAll``).

Reports: ``updated`` lists attribute IRIs written; ``not_updated`` lists ``(IRI, reason)``
pairs (5.2.18 UpdateResult / NotUpdatedDetails). An attribute with several instances may
appear in both when only some of its instances were written.

Limitations:

* Changing the type of an instance through a merge replaces its value member; a Partial
  Attribute Update that changes the type must also give the new type's value member.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import ResourceNotFound
from .payload_common import (
    NGSI_LD_NULL,
    VALUE_MEMBER,
    Entity,
    Instance,
    is_attribute_key,
    is_null_instance,
    pointer,
)
from .payload_instance import validate_instance

__all__ = [
    "NotUpdated",
    "append_attributes",
    "apply_merge",
    "delete_attribute",
    "partial_update_attribute",
    "replace_attribute",
    "update_attributes",
]

NotUpdated = list[tuple[str, str]]
_Result = tuple[Entity, list[str], NotUpdated]
_ENTITY_REPLACED = ("scope", "expiresAt")


def append_attributes(
    entity: Entity, attrs: dict[str, Any], *, overwrite: bool, now: str
) -> _Result:
    """Append Entity Attributes (5.6.3); returns ``(entity, updated, not_updated)``."""
    result = copy.deepcopy(entity)
    changed = _add_types(result, attrs.get("type"))
    for key in _ENTITY_REPLACED:
        if key in attrs and (overwrite or key not in result):
            changed |= _replace_member(result, key, attrs[key])
    updated: list[str] = []
    not_updated: NotUpdated = []
    for iri, instances in _attribute_items(attrs):
        current = result.setdefault(iri, [])
        for instance in instances:
            index = _find(current, instance.get("datasetId"))
            if index is None:
                current.append(copy.deepcopy(instance))
            elif overwrite:
                current[index] = _replacement(current[index], instance, now)
            else:
                not_updated.append((iri, "the attribute instance exists (noOverwrite)"))
                continue
            updated.append(iri)
    return _finish(result, now, changed or bool(updated)), _unique(updated), _unique(not_updated)


def update_attributes(entity: Entity, attrs: dict[str, Any], *, now: str) -> _Result:
    """Update Entity Attributes (5.6.2); returns ``(entity, updated, not_updated)``."""
    result = copy.deepcopy(entity)
    changed = _add_types(result, attrs.get("type"))
    for key in _ENTITY_REPLACED:
        if key in attrs:
            changed |= _replace_member(result, key, attrs[key])
    updated: list[str] = []
    not_updated: NotUpdated = []
    for iri, instances in _attribute_items(attrs):
        current = result.get(iri, [])
        for instance in instances:
            index = _find(current, instance.get("datasetId"))
            if index is None:
                not_updated.append((iri, _missing_reason(current, instance.get("datasetId"))))
                continue
            if is_null_instance(instance):
                del current[index]
            else:
                current[index] = _replacement(current[index], instance, now)
            updated.append(iri)
        _store(result, iri, current)
    return _finish(result, now, changed or bool(updated)), _unique(updated), _unique(not_updated)


def partial_update_attribute(entity: Entity, iri: str, patch: Instance, *, now: str) -> Entity:
    """Partial Attribute Update (5.6.4) of the instance selected by the patch's datasetId."""
    result = copy.deepcopy(entity)
    current, index = _locate(result, iri, patch.get("datasetId"))
    if is_null_instance(patch):
        del current[index]
    else:
        merged = _merge_instance(current[index], patch, now, deep=False)
        current[index] = validate_instance(merged, pointer("", iri))
    _store(result, iri, current)
    return _finish(result, now, True)


def apply_merge(entity: Entity, patch: dict[str, Any], *, now: str) -> Entity:
    """Merge Entity (5.6.17) with a fragment from :func:`payload.parse_merge_patch`."""
    result = copy.deepcopy(entity)
    _add_types(result, patch.get("type"))
    for key in _ENTITY_REPLACED:
        if key in patch:
            _replace_member(result, key, patch[key])
    for iri, instances in _attribute_items(patch):
        current = result.get(iri, [])
        for instance in instances:
            index = _find(current, instance.get("datasetId"))
            if is_null_instance(instance):
                if index is not None:
                    del current[index]
            elif index is None:
                current.append(_without_nulls(instance))
            else:
                merged = _merge_instance(current[index], instance, now, deep=True)
                current[index] = validate_instance(merged, pointer("", iri))
        _store(result, iri, current)
    return _finish(result, now, True)


def replace_attribute(entity: Entity, iri: str, instances: list[Instance], *, now: str) -> Entity:
    """Replace Attribute (5.6.19): each instance replaces the one with its datasetId."""
    result = copy.deepcopy(entity)
    for instance in instances:
        current, index = _locate(result, iri, instance.get("datasetId"))
        current[index] = _replacement(current[index], instance, now)
    return _finish(result, now, True)


def delete_attribute(
    entity: Entity,
    iri: str,
    *,
    dataset_id: str | None = None,
    delete_all: bool = False,
    now: str | None = None,
) -> Entity:
    """Delete Entity Attribute (5.6.5): the default instance, one datasetId, or all.

    Raises ResourceNotFound when nothing matches. ``now`` (optional) bumps ``modifiedAt``.
    """
    result = copy.deepcopy(entity)
    if delete_all:
        if not result.get(iri):
            raise ResourceNotFound(f"entity {entity.get('id')} has no attribute {iri}")
        del result[iri]
    else:
        wanted = None if dataset_id in (None, "@none") else dataset_id
        current, index = _locate(result, iri, wanted)
        del current[index]
        _store(result, iri, current)
    return _finish(result, now, now is not None)


def _attribute_items(fragment: dict[str, Any]) -> list[tuple[str, list[Instance]]]:
    return [(key, value) for key, value in fragment.items() if is_attribute_key(key)]


def _find(instances: list[Instance], dataset_id: str | None) -> int | None:
    for index, instance in enumerate(instances):
        if instance.get("datasetId") == dataset_id:
            return index
    return None


def _missing_reason(instances: list[Instance], dataset_id: str | None) -> str:
    if not instances:
        return "the attribute does not exist"
    if dataset_id is None:
        return "the attribute has no default instance (without datasetId)"
    return f"the attribute has no instance with datasetId {dataset_id}"


def _locate(entity: Entity, iri: str, dataset_id: str | None) -> tuple[list[Instance], int]:
    current = entity.get(iri) or []
    index = _find(current, dataset_id)
    if index is None:
        reason = _missing_reason(current, dataset_id)
        raise ResourceNotFound(f"entity {entity.get('id')}, attribute {iri}: {reason}")
    return current, index


def _store(entity: Entity, iri: str, instances: list[Instance]) -> None:
    if instances:
        entity[iri] = instances
    else:
        entity.pop(iri, None)


def _finish(entity: Entity, now: str | None, changed: bool) -> Entity:
    for key in [k for k, v in entity.items() if is_attribute_key(k) and not v]:
        del entity[key]
    if changed and now is not None:
        entity["modifiedAt"] = now
    return entity


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _add_types(entity: Entity, types: list[str] | None) -> bool:
    if not types:
        return False
    current = list(entity.get("type", []))
    added = [t for t in types if t not in current]
    entity["type"] = current + added
    return bool(added)


def _replace_member(entity: Entity, key: str, value: Any) -> bool:
    if value == NGSI_LD_NULL:
        return entity.pop(key, None) is not None
    entity[key] = copy.deepcopy(value)
    return True


def _replacement(old: Instance, new: Instance, now: str) -> Instance:
    """``new`` replacing ``old``: createdAt kept for the instance and same-name sub-attributes."""
    result = copy.deepcopy(new)
    _carry_created(old, result)
    result["modifiedAt"] = now
    return result


def _carry_created(old: Instance, new: Instance) -> None:
    if "createdAt" in old:
        new["createdAt"] = old["createdAt"]
    for key, sub in new.items():
        if is_attribute_key(key) and isinstance(old.get(key), dict):
            _carry_created(old[key], sub)


def _merge_instance(old: Instance, patch: Instance, now: str, *, deep: bool) -> Instance:
    """Members of ``patch`` over ``old``; ``deep`` merges sub-attributes and object values."""
    result = copy.deepcopy(old)
    kind = patch.get("type", old["type"])
    if kind != old["type"]:
        result.pop(VALUE_MEMBER[old["type"]], None)
        result["type"] = kind
    for key, value in patch.items():
        if key in ("type", "createdAt", "modifiedAt"):
            continue
        if value == NGSI_LD_NULL or (is_attribute_key(key) and is_null_instance(value)):
            result.pop(key, None)
        elif is_attribute_key(key):
            result[key] = _merge_sub(result.get(key), value, now, deep)
        elif key == "value" and deep and kind == "Property":
            result[key] = _merge_json(result.get(key), value)
        else:
            result[key] = copy.deepcopy(value)
    result["modifiedAt"] = now
    return result


def _merge_sub(old: Instance | None, new: Instance, now: str, deep: bool) -> Instance:
    if old is None:
        return _without_nulls(new)
    if deep:
        return _merge_instance(old, new, now, deep=True)
    return _replacement(old, new, now)


def _merge_json(old: Any, new: Any) -> Any:
    """RFC 7396 merge of JSON values where the NGSI-LD Null removes a key (5.5.4, 5.5.12)."""
    if not isinstance(new, dict):
        return copy.deepcopy(new)
    merged = copy.deepcopy(old) if isinstance(old, dict) else {}
    for key, value in new.items():
        if value == NGSI_LD_NULL:
            merged.pop(key, None)
        else:
            merged[key] = _merge_json(merged.get(key), value)
    return merged


def _without_nulls(instance: Instance) -> Instance:
    """A new instance from a merge fragment, NGSI-LD Null markers dropped (nothing to delete)."""
    result: Instance = {}
    for key, value in instance.items():
        if is_attribute_key(key):
            if not is_null_instance(value):
                result[key] = _without_nulls(value)
        elif key == "value" and instance.get("type") == "Property":
            result[key] = _merge_json(None, value)
        elif value != NGSI_LD_NULL:
            result[key] = copy.deepcopy(value)
    return result
