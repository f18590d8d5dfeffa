"""The attribute-level NGSI-LD structure rules (ETSI GS CIM 009 V1.8.1) behind
:mod:`.structure`, and the small helpers both share.

Rules append ``(pointer, rule, message, severity)`` to a list (cheaper than generators on
this hot path). Clauses: attribute types and their value members 4.5.3, 5.2.5-5.2.7 and
5.2.32-5.2.38; multi-attribute instances 4.5.5; DateTime 4.6.3 and 4.8; languageMap 4.6.5;
GeoJSON 4.7.1; NGSI-LD Null 5.2.1. See :mod:`.structure` for the list of rules.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from mim_suite.validation.findings import Representation, Severity
from mim_suite.validation.geometry import GEOMETRY_TYPES, geometry_problems
from mim_suite.validation.representation import (
    ATTRIBUTE_TYPES,
    INSTANCE_MEMBERS,
    VALUE_MEMBER,
    chosen_instance,
    instance_type,
    is_instance,
)
from mim_suite.validation.values import (
    NGSI_LD_NULL,
    is_date,
    is_date_time,
    is_language_tag,
    is_name,
    is_time,
    is_uri,
)

__all__ = [
    "ERROR",
    "Problem",
    "attribute",
    "bad_name",
    "escape",
    "geometry",
    "looks_geometric",
    "null",
    "show",
    "typed_value",
]

Problem = tuple[str, str, str, Severity]

ERROR: Final = Severity.ERROR
_TEMPORAL: Final = ("observedAt", "createdAt", "modifiedAt", "deletedAt")
_TYPED_VALUES: Final = {
    "DateTime": (is_date_time, "ngsi-ld/datetime", "a DateTime (YYYY-MM-DDThh:mm:ss[.f]Z)"),
    "Date": (is_date, "ngsi-ld/date", "a Date (YYYY-MM-DD)"),
    "Time": (is_time, "ngsi-ld/time", "a Time (hh:mm:ss[.f]Z)"),
}
_MAX_DEPTH: Final = 8
_VALUE_MEMBERS: Final = tuple(dict.fromkeys(VALUE_MEMBER.values()))
_PLAIN: Final = {kind: frozenset({"type", member}) for kind, member in VALUE_MEMBER.items()}
_NOT_SUB_ATTRIBUTES: Final = INSTANCE_MEMBERS | {"@context"}


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def bad_name(name: str) -> str:
    return f"{show(name)} is not a valid name (4.6.2: a letter, then letters, digits, _)"


def null(value: Any, at: str, out: list[Problem]) -> None:
    if value is None:
        out.append((at, "ngsi-ld/null", "JSON null is not a value", ERROR))
    elif value == NGSI_LD_NULL:
        out.append((at, "ngsi-ld/null", "the NGSI-LD Null is only allowed in updates", ERROR))


def typed_value(value: Any, at: str, out: list[Problem]) -> None:
    """A JSON-LD value object ``{"@type": "DateTime", "@value": ...}`` has a valid value."""
    if not isinstance(value, dict) or "@value" not in value:
        return
    kind = value.get("@type")
    if isinstance(kind, str) and kind in _TYPED_VALUES:
        test, rule, what = _TYPED_VALUES[kind]
        if not test(value["@value"]):
            out.append((at + "/@value", rule, f"{show(value['@value'])} is not {what}", ERROR))


def looks_geometric(value: Any) -> bool:
    kind = value.get("type") if isinstance(value, dict) else None
    return isinstance(kind, str) and (kind in GEOMETRY_TYPES or kind == "GeometryCollection")


def geometry(value: Any, at: str, out: list[Problem]) -> None:
    for suffix, rule, message in geometry_problems(value):
        out.append((at + suffix, rule, message, ERROR))


def attribute(value: Any, at: str, rep: Representation, depth: int, out: list[Problem]) -> None:
    """One attribute (or sub-attribute) of a normalized or concise entity."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        kind = value.get("type")
        if (isinstance(kind, str) and kind in ATTRIBUTE_TYPES) or is_instance(value):
            _instance(value, at, rep, depth, out)
            return
    elif isinstance(value, list) and value and all(is_instance(i) for i in value):
        _instances(value, at, rep, depth, out)
        return
    if rep == "normalized":
        message = f"{show(value)} is not an attribute object with an NGSI-LD type"
        out.append((at, "ngsi-ld/attribute-type", message, ERROR))
        return
    null(value, at, out)
    if looks_geometric(value):
        geometry(value, at, out)
    else:
        typed_value(value, at, out)


def _instances(
    items: list[Any], at: str, rep: Representation, depth: int, out: list[Problem]
) -> None:
    datasets = (i.get("datasetId", "@none") for i in items)
    counts = Counter(d for d in datasets if isinstance(d, str))
    for dataset, count in counts.items():
        if count > 1:
            which = "default instances" if dataset == "@none" else f"instances of {dataset}"
            out.append((at, "ngsi-ld/dataset-id", f"{count} {which} (4.5.5: at most one)", ERROR))
    if depth == 0 and len(items) > 1:
        chosen = chosen_instance(items)
        message = f"{len(items)} instances; the data model was checked against instance {chosen}"
        out.append((f"{at}/{chosen}", "projection/multi-instance", message, Severity.WARNING))
    for index, item in enumerate(items):
        _instance(item, f"{at}/{index}", rep, depth, out)


def _instance(
    obj: dict[str, Any], at: str, rep: Representation, depth: int, out: list[Problem]
) -> None:
    declared = obj.get("type")
    if declared is None and "type" not in obj:
        kind = instance_type(obj)
        if kind is None:
            return
    elif isinstance(declared, str) and declared in ATTRIBUTE_TYPES:
        kind = declared
    else:
        message = f"type {show(declared)} is not an NGSI-LD attribute type"
        out.append((at + "/type", "ngsi-ld/attribute-type", message, ERROR))
        return
    member = VALUE_MEMBER[kind]
    if member not in obj:
        out.append((at, "ngsi-ld/attribute-value", f"{kind} without {member}", ERROR))
    else:
        _VALUE_CHECKS[kind](obj[member], f"{at}/{member}", out)
    others = obj.keys() - _PLAIN[kind]
    if others:
        _others(obj, others, kind, at, rep, depth, out)


def _others(
    obj: dict[str, Any],
    others: set[str],
    kind: str,
    at: str,
    rep: Representation,
    depth: int,
    out: list[Problem],
) -> None:
    present = [m for m in _VALUE_MEMBERS if m in obj]
    if len(present) > 1:
        message = f"members {present} define different attribute types"
        out.append((at, "ngsi-ld/conflicting-members", message, ERROR))
    _metadata(obj, at, kind, out)
    for name in [n for n in obj if n in others and n not in _NOT_SUB_ATTRIBUTES]:
        sub_at = f"{at}/{escape(name)}"
        if not is_name(name):
            out.append((sub_at, "ngsi-ld/attribute-name", bad_name(name), ERROR))
        attribute(obj[name], sub_at, rep, depth + 1, out)


def _metadata(obj: dict[str, Any], at: str, kind: str, out: list[Problem]) -> None:
    for member in _TEMPORAL:
        if member in obj and not is_date_time(obj[member]):
            message = f"{member} {show(obj[member])} is not a DateTime with Z"
            out.append((f"{at}/{member}", "ngsi-ld/datetime", message, ERROR))
    if "datasetId" in obj and not is_uri(obj["datasetId"]):
        message = f"datasetId {show(obj['datasetId'])} is not a URI"
        out.append((f"{at}/datasetId", "ngsi-ld/dataset-id", message, ERROR))
    if "unitCode" in obj:
        if kind in ("Relationship", "ListRelationship"):
            out.append((f"{at}/unitCode", "ngsi-ld/unit-code", "relationships are unitless", ERROR))
        elif not isinstance(obj["unitCode"], str):
            message = f"unitCode {show(obj['unitCode'])} is not a string"
            out.append((f"{at}/unitCode", "ngsi-ld/unit-code", message, ERROR))


def _property(value: Any, at: str, out: list[Problem]) -> None:
    if value is None or value == NGSI_LD_NULL:
        null(value, at, out)
    elif isinstance(value, dict):
        typed_value(value, at, out)


def _relationship(value: Any, at: str, out: list[Problem]) -> None:
    if value == NGSI_LD_NULL:
        null(value, at, out)
        return
    if isinstance(value, list) and value:
        pairs = [(f"{at}/{index}", target) for index, target in enumerate(value)]
    else:
        pairs = [(at, value)]
    for where, target in pairs:
        if not is_uri(target):
            message = f"object {show(target)} is not a URI"
            out.append((where, "ngsi-ld/relationship-object-uri", message, ERROR))


def _language_map(value: Any, at: str, out: list[Problem]) -> None:
    if not isinstance(value, dict) or not value:
        out.append((at, "ngsi-ld/language-map", f"{show(value)} is not a language map", ERROR))
        return
    for tag, text in value.items():
        tag_at = f"{at}/{escape(tag)}"
        if not is_language_tag(tag):
            out.append(
                (tag_at, "ngsi-ld/language-map", f"{show(tag)} is not a language tag", ERROR)
            )
        texts = text if isinstance(text, list) else [text]
        if not all(isinstance(t, str) for t in texts):
            message = f"{show(text)} is not a string or array of strings"
            out.append((tag_at, "ngsi-ld/language-map", message, ERROR))
        elif NGSI_LD_NULL in texts:
            null(NGSI_LD_NULL, tag_at, out)


def _vocab(value: Any, at: str, out: list[Problem]) -> None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and i for i in items):
        message = f"{show(value)} is not a string or array of strings"
        out.append((at, "ngsi-ld/vocab", message, ERROR))


def _value_list(value: Any, at: str, out: list[Problem]) -> None:
    if not isinstance(value, list):
        out.append((at, "ngsi-ld/value-list", f"{show(value)} is not an array", ERROR))


def _object_list(value: Any, at: str, out: list[Problem]) -> None:
    if not isinstance(value, list):
        out.append((at, "ngsi-ld/value-list", f"{show(value)} is not an array", ERROR))
        return
    for index, item in enumerate(value):
        target, where = item, f"{at}/{index}"
        if isinstance(item, dict) and "object" in item:
            target, where = item["object"], f"{where}/object"
        if not is_uri(target):
            message = f"object {show(target)} is not a URI"
            out.append((where, "ngsi-ld/relationship-object-uri", message, ERROR))


def _json(value: Any, at: str, out: list[Problem]) -> None:
    """Any JSON value is a valid ``json`` member (5.2.38)."""


_VALUE_CHECKS: Final = {
    "Property": _property,
    "Relationship": _relationship,
    "GeoProperty": geometry,
    "LanguageProperty": _language_map,
    "VocabProperty": _vocab,
    "ListProperty": _value_list,
    "ListRelationship": _object_list,
    "JsonProperty": _json,
}
