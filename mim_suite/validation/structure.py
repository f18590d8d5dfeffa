"""NGSI-LD structure checks of one entity (ETSI GS CIM 009 V1.8.1).

Each rule is a small function yielding ``(pointer, rule, message, severity)``;
:func:`check_structure` runs those that apply to the entity's representation and turns them
into :class:`~.findings.Finding` objects. Rules and clauses:

* ``ngsi-ld/entity-object``: an entity is a JSON object (4.5.2).
* ``ngsi-ld/id-uri``: ``id`` is present and a URI (4.5.1, 5.2.4).
* ``ngsi-ld/type``: ``type`` is present, a string or a non-empty array of strings (4.5.2,
  5.2.4); ``ngsi-ld/type-name``: each is a name per 4.6.2 or a URI.
* ``ngsi-ld/attribute-name``: attribute and sub-attribute names follow 4.6.2.
* ``ngsi-ld/representation``: the entity is in none of the representations of 4.5 (NGSI v2
  normalized attributes ``{"type": "Text", "value": ...}``).
* ``ngsi-ld/attribute-type``: an attribute's ``type`` is an NGSI-LD attribute type (4.5.3).
* ``ngsi-ld/attribute-value``: an attribute has the member that holds its value - Property
  ``value`` (4.5.3, 5.2.5), Relationship ``object`` (5.2.6), GeoProperty ``value`` (5.2.7),
  LanguageProperty ``languageMap``, VocabProperty ``vocab``, ListProperty ``valueList``,
  ListRelationship ``objectList``, JsonProperty ``json`` (5.2.32-5.2.38) - and only one
  type's member (``ngsi-ld/conflicting-members``).
* ``ngsi-ld/relationship-object-uri``: ``object`` is a URI or an array of URIs (5.2.6);
  ListRelationship ``objectList`` items likewise.
* GeoProperty values are GeoJSON geometries (4.7.1): rules of :mod:`.geometry`; in keyValues
  the values of ``location``, ``observationSpace``, ``operationSpace`` (core @context) and
  any value shaped as a geometry are checked.
* ``ngsi-ld/geoproperty``: in normalized and concise entities ``location``,
  ``observationSpace`` and ``operationSpace`` declared with a type are GeoProperties (4.7.1).
* ``ngsi-ld/language-map``: keys are BCP 47 tags or ``@none``, values strings or arrays of
  strings (4.6.5); ``ngsi-ld/vocab``: strings (5.2.35); ``ngsi-ld/value-list``: an array.
* ``ngsi-ld/datetime``: ``observedAt``, ``createdAt``, ``modifiedAt``, ``deletedAt`` and
  ``{"@type": "DateTime", "@value": ...}`` values are DateTimes with ``Z`` (4.6.3, 4.8);
  ``Date`` and ``Time`` typed values likewise (``ngsi-ld/date``, ``ngsi-ld/time``).
* ``ngsi-ld/dataset-id``: ``datasetId`` is a URI; at most one default instance and one
  instance per ``datasetId`` (4.5.5).
* ``ngsi-ld/unit-code``: ``unitCode`` is a string and absent on relationships (5.2.5/5.2.6).
* ``ngsi-ld/null``: neither JSON ``null`` nor the NGSI-LD Null ``urn:ngsi-ld:null`` is a
  value in an entity (5.2.1: NGSI-LD Null only in partial updates and merges).
* ``projection/multi-instance`` (warning): an attribute has several instances; the data
  model was checked against the one the keyValues projection chose.
"""

from __future__ import annotations

from typing import Any, Final

from mim_suite.validation.findings import Finding, Representation
from mim_suite.validation.representation import (
    ATTRIBUTE_TYPES,
    ENTITY_MEMBERS,
    looks_like_ngsi_v2,
)
from mim_suite.validation.structure_rules import (
    ERROR,
    Problem,
    attribute,
    bad_name,
    escape,
    geometry,
    looks_geometric,
    null,
    show,
    typed_value,
)
from mim_suite.validation.values import NGSI_LD_NULL, is_date_time, is_name, is_uri, known_name

__all__ = ["check_structure"]

_GEO_NAMES: Final = frozenset({"location", "observationSpace", "operationSpace"})
_ENTITY_TIMES: Final = ("createdAt", "modifiedAt", "deletedAt", "expiresAt")


def check_structure(entity: Any, representation: Representation) -> list[Finding]:
    """The NGSI-LD structure findings of one entity, pointers into the entity as given."""
    if not isinstance(entity, dict):
        what = type(entity).__name__
        return [_finding(None, ("", "ngsi-ld/entity-object", f"a {what}, not an object", ERROR))]
    problems: list[Problem] = []
    _entity(entity, problems)
    if representation == "keyValues":
        _key_values(entity, problems)
    elif representation == "unknown":
        if looks_like_ngsi_v2(entity):
            problems.append(_ngsi_v2(entity))
        _names(entity, problems)
    else:
        for name, value in entity.items():
            if name not in ENTITY_MEMBERS:
                at = "/" + escape(name)
                if not is_name(name):
                    problems.append((at, "ngsi-ld/attribute-name", bad_name(name), ERROR))
                attribute(value, at, representation, 0, problems)
                if name in _GEO_NAMES:
                    _geo_typed(value, at, problems)
    if not problems:
        return []
    entity_id = entity.get("id") if isinstance(entity.get("id"), str) else None
    return [_finding(entity_id, p) for p in problems]


def _geo_typed(value: Any, at: str, problems: list[Problem]) -> None:
    """``location``, ``observationSpace``, ``operationSpace`` are GeoProperties (4.7.1)."""
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        declared = item.get("type") if isinstance(item, dict) else None
        if isinstance(declared, str) and declared in ATTRIBUTE_TYPES and declared != "GeoProperty":
            where = f"{at}/{index}/type" if isinstance(value, list) else f"{at}/type"
            message = f"{at[1:]} must be a GeoProperty (clause 4.7.1), not a {declared}"
            problems.append((where, "ngsi-ld/geoproperty", message, ERROR))


def _finding(entity_id: str | None, problem: Problem) -> Finding:
    pointer, rule, message, severity = problem
    return Finding(entity_id, pointer, rule, message, severity, "structure")


def _names(entity: dict[str, Any], problems: list[Problem]) -> None:
    for name in entity:
        if name not in ENTITY_MEMBERS and not is_name(name):
            problems.append(("/" + escape(name), "ngsi-ld/attribute-name", bad_name(name), ERROR))


def _key_values(entity: dict[str, Any], problems: list[Problem]) -> None:
    """The keyValues rules; a scalar or array, most attributes, costs one comparison."""
    for name, value in entity.items():
        if name in ENTITY_MEMBERS:
            continue
        if not (known_name(name) or is_name(name)):
            problems.append(("/" + escape(name), "ngsi-ld/attribute-name", bad_name(name), ERROR))
        if isinstance(value, dict) or value is None or name in _GEO_NAMES:
            _key_value(name, value, "/" + escape(name), problems)
        elif value == NGSI_LD_NULL:
            null(value, "/" + escape(name), problems)


def _key_value(name: str, value: Any, at: str, problems: list[Problem]) -> None:
    if value is None:
        null(value, at, problems)
    elif name in _GEO_NAMES or looks_geometric(value):
        geometry(value, at, problems)
    else:
        typed_value(value, at, problems)


def _entity(entity: dict[str, Any], problems: list[Problem]) -> None:
    if "id" not in entity:
        problems.append(("", "ngsi-ld/id-uri", "the entity has no id", ERROR))
    elif not is_uri(entity["id"]):
        problems.append(("/id", "ngsi-ld/id-uri", f"id {show(entity['id'])} is not a URI", ERROR))
    _entity_type(entity, problems)
    for member in _ENTITY_TIMES:
        if member in entity and not is_date_time(entity[member]):
            message = f"{member} {show(entity[member])} is not a DateTime with Z"
            problems.append(("/" + member, "ngsi-ld/datetime", message, ERROR))


def _entity_type(entity: dict[str, Any], problems: list[Problem]) -> None:
    if "type" not in entity:
        problems.append(("", "ngsi-ld/type", "the entity has no type", ERROR))
        return
    declared = entity["type"]
    names = declared if isinstance(declared, list) else [declared]
    if not names or not all(isinstance(n, str) for n in names):
        message = f"type {show(declared)} is not a string or array of strings"
        problems.append(("/type", "ngsi-ld/type", message, ERROR))
        return
    for index, name in enumerate(names):
        if not is_name(name):
            at = "/type" if isinstance(declared, str) else f"/type/{index}"
            problems.append((at, "ngsi-ld/type-name", bad_name(name), ERROR))


def _ngsi_v2(entity: dict[str, Any]) -> Problem:
    kinds = sorted({a["type"] for k, a in entity.items() if k not in ENTITY_MEMBERS})
    message = (
        f"attributes carry NGSI v2 types ({', '.join(kinds[:4])}): NGSI v2 normalized is not "
        "an NGSI-LD representation; use type Property/Relationship/GeoProperty or keyValues"
    )
    return ("", "ngsi-ld/representation", message, ERROR)
