"""Primitive validators for NGSI-LD request payloads (ETSI GS CIM 009 V1.8.1).

Every check raises :class:`~reference_server.ngsild.errors.BadRequestData` whose detail names
the JSON pointer of the offending member, what is wrong and the value received.

Clauses:

* URIs (entity ``id``, Relationship ``object``, ``datasetId``): 4.5.1 / 5.2.4 require URIs;
  5.2.1 admits IRIs (RFC 3987). Checked: an RFC 3986 scheme, a non-empty remainder, no
  whitespace or control characters and none of ``<>"{}|\\^``` ``.
* Names (entity types, attribute names): 4.6.2. Full and compact IRIs follow the URI character
  rules; short terms may not contain whitespace, control characters or ``<>"'=;()`` and may not
  start with ``@`` (JSON-LD keywords).
* DateTime (``observedAt``, ``expiresAt``): 4.6.3 / 4.8 - ``YYYY-MM-DDThh:mm:ss[.ffffff]Z``,
  UTC only (trailing ``Z``), up to six fraction digits, a comma is accepted as the decimal
  separator; the date and time must exist on the calendar.
* GeoJSON (GeoProperty values): 4.7.1 and RFC 7946 - the six geometry types of
  ``GEOMETRY_TYPES``; positions of 2 or 3 finite numbers with longitude in [-180, 180] and
  latitude in [-90, 90]; a LineString has >= 2 positions; a linear ring has >= 4 positions and
  is closed; Multi* and Polygon coordinate arrays are non-empty.
* LanguageMap (LanguageProperty): 4.5.18 / 4.6.5 - keys are RFC 5646 tags or ``@none``,
  values are strings or arrays of strings.
* Scope: 4.18 - ``[/]level *(/level)``, a level being a letter followed by letters, digits
  or ``_``.
* Numbers must be finite (JSON has no NaN or Infinity); values may nest at most
  ``MAX_VALUE_DEPTH`` levels.

Limitations:

* Language tags are checked for RFC 5646 shape (alphanumeric subtags of 1-8 characters), not
  against the IANA registry.
* A geometry given as a JSON-encoded string is rejected rather than decoded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Final, NoReturn

from .errors import BadRequestData
from .payload_common import (
    GEOMETRY_TYPES,
    MAX_VALUE_DEPTH,
    NGSI_LD_NULL,
    describe,
    is_one_of,
    pointer,
)

__all__ = [
    "bad",
    "check_datetime",
    "check_geometry",
    "check_json_value",
    "check_language_map",
    "check_name",
    "check_scope",
    "check_uri",
    "iter_nulls",
]

_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN: Final = frozenset('<>"{}|\\^`')
_TERM_FORBIDDEN: Final = frozenset("<>\"'=;()")
_DATETIME: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?Z")
_LANGUAGE_TAG: Final = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def bad(path: str, message: str, *values: Any) -> NoReturn:
    """Raise BadRequestData: ``<path>: <message> (got <value>)``."""
    where = path or "/"
    suffix = f" (got {describe(values[0])})" if values else ""
    raise BadRequestData(f"{where}: {message}{suffix}")


def _has_bad_characters(text: str, forbidden: frozenset[str]) -> bool:
    if text.isascii():  # the common case, answered by C-level string methods
        return not text.isprintable() or " " in text or not forbidden.isdisjoint(text)
    return any(c.isspace() or not c.isprintable() or c in forbidden for c in text)


def check_uri(value: Any, path: str, what: str = "value") -> str:
    """Return ``value`` if it is an absolute URI (RFC 3986 / RFC 3987)."""
    if not isinstance(value, str):
        bad(path, f"{what} must be a URI string", value)
    if value == NGSI_LD_NULL:
        bad(path, f"{what} cannot be the NGSI-LD Null here (clause 5.2.1)", value)
    match = _SCHEME.match(value)
    if match is None or match.end() == len(value):
        bad(path, f"{what} must be an absolute URI with a scheme (RFC 3986)", value)
    if _has_bad_characters(value, _IRI_FORBIDDEN):
        bad(path, f"{what} contains characters not allowed in a URI", value)
    return value


def check_name(value: Any, path: str, what: str = "name") -> str:
    """Return ``value`` if it is a valid NGSI-LD name, compact IRI or IRI (clause 4.6.2)."""
    if not isinstance(value, str) or not value:
        bad(path, f"{what} must be a non-empty string", value)
    if value.startswith("@"):
        bad(path, f"{what} cannot be a JSON-LD keyword", value)
    forbidden = _IRI_FORBIDDEN if ":" in value else _TERM_FORBIDDEN
    if _has_bad_characters(value, forbidden):
        bad(path, f"{what} contains characters not allowed by clause 4.6.2", value)
    return value


def check_datetime(value: Any, path: str, what: str = "DateTime") -> str:
    """Return ``value`` if it is an NGSI-LD DateTime (clause 4.6.3: UTC, trailing ``Z``)."""
    if not isinstance(value, str):
        bad(path, f"{what} must be a string", value)
    match = _DATETIME.fullmatch(value)
    if match is None:
        bad(path, f"{what} must be YYYY-MM-DDThh:mm:ss[.ffffff]Z (UTC, clause 4.6.3)", value)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        bad(path, f"{what} is not a valid calendar date and time", value)
    return value


def check_scope(value: Any, path: str) -> list[str]:
    """Return the scopes of ``value`` (a string or an array of strings, clause 4.18)."""
    scopes = [value] if isinstance(value, str) else value
    if not isinstance(scopes, list) or not scopes:
        bad(path, "scope must be a string or a non-empty array of strings", value)
    for index, scope in enumerate(scopes):
        where = path if isinstance(value, str) else pointer(path, index)
        if not isinstance(scope, str):
            bad(where, "scope must be a string", scope)
        levels = scope.removeprefix("/").split("/")
        if not all(_is_scope_level(level) for level in levels):
            bad(where, "scope must be /Level/Level... with levels of letters, digits, _", scope)
    return list(scopes)


def _is_scope_level(level: str) -> bool:
    return level[:1].isalpha() and all(c.isalnum() or c == "_" for c in level)


def _walk(value: Any, path: str) -> Iterator[tuple[Any, str, int]]:
    """Yield ``(node, pointer, depth)`` for every node of a JSON value, without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack:
        node, where, depth = stack.pop()
        yield node, where, depth
        if isinstance(node, dict):
            stack.extend((v, pointer(where, k), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, pointer(where, i), depth + 1) for i, v in enumerate(node))


def check_json_value(value: Any, path: str) -> Any:
    """Return ``value`` if it is finite JSON nested at most ``MAX_VALUE_DEPTH`` levels."""
    for node, where, depth in _walk(value, path):
        if depth > MAX_VALUE_DEPTH:
            bad(path, f"value nests deeper than {MAX_VALUE_DEPTH} levels")
        if isinstance(node, float) and not math.isfinite(node):
            bad(where, "numbers must be finite", node)
        if isinstance(node, dict) and not all(isinstance(k, str) for k in node):
            bad(where, "object keys must be strings", node)
    return value


def iter_nulls(value: Any, path: str) -> Iterator[str]:
    """Yield the pointer of every NGSI-LD Null nested inside a JSON object of ``value``."""
    for node, where, _ in _walk(value, path):
        if isinstance(node, dict):
            yield from (pointer(where, k) for k, v in node.items() if v == NGSI_LD_NULL)


def check_language_map(value: Any, path: str) -> dict[str, Any]:
    """Return ``value`` if it is a LanguageMap (clause 4.6.5)."""
    if not isinstance(value, dict) or not value:
        bad(path, "languageMap must be a non-empty JSON object", value)
    for tag, text in value.items():
        where = pointer(path, tag)
        if tag != "@none" and _LANGUAGE_TAG.fullmatch(tag) is None:
            bad(where, "languageMap keys must be RFC 5646 language tags or @none", tag)
        strings = text if isinstance(text, list) else [text]
        if not strings or not all(isinstance(s, str) for s in strings):
            bad(where, "languageMap values must be strings or arrays of strings", text)
    return value


def check_geometry(value: Any, path: str) -> dict[str, Any]:
    """Return ``value`` if it is a GeoJSON geometry supported by NGSI-LD (clause 4.7.1)."""
    if not isinstance(value, dict):
        bad(path, "GeoProperty value must be a GeoJSON geometry object", value)
    kind = value.get("type")
    if kind == "GeometryCollection":
        bad(pointer(path, "type"), "GeometryCollection is not supported (clause 4.7.1)", kind)
    if not is_one_of(kind, GEOMETRY_TYPES):
        bad(pointer(path, "type"), f"geometry type must be one of {sorted(GEOMETRY_TYPES)}", kind)
    if "coordinates" not in value:
        bad(path, f"{kind} geometry needs coordinates")
    _COORDINATE_CHECKS[kind](value["coordinates"], pointer(path, "coordinates"))
    return value


def _check_position(value: Any, path: str) -> None:
    if not isinstance(value, list) or len(value) not in (2, 3):
        bad(path, "a position must be an array of 2 or 3 numbers", value)
    for index, number in enumerate(value):
        is_number = isinstance(number, int | float) and not isinstance(number, bool)
        if not is_number or not math.isfinite(number):
            bad(pointer(path, index), "coordinates must be finite numbers", number)
    if not -180 <= value[0] <= 180:
        bad(pointer(path, 0), "longitude must be within [-180, 180]", value[0])
    if not -90 <= value[1] <= 90:
        bad(pointer(path, 1), "latitude must be within [-90, 90]", value[1])


def _check_array(value: Any, path: str, minimum: int, what: str) -> list[Any]:
    if not isinstance(value, list) or len(value) < minimum:
        bad(path, f"{what} must be an array of at least {minimum} element(s)", value)
    return value


def _check_positions(value: Any, path: str, minimum: int = 1) -> None:
    for index, position in enumerate(_check_array(value, path, minimum, "positions")):
        _check_position(position, pointer(path, index))


def _check_line_string(value: Any, path: str) -> None:
    _check_positions(value, path, 2)


def _check_ring(value: Any, path: str) -> None:
    _check_positions(value, path, 4)
    if value[0] != value[-1]:
        bad(path, "a linear ring must be closed (first position == last position)", value)


def _check_polygon(value: Any, path: str) -> None:
    for index, ring in enumerate(_check_array(value, path, 1, "polygon rings")):
        _check_ring(ring, pointer(path, index))


_Check = Callable[[Any, str], None]


def _check_each(value: Any, path: str, item_check: _Check, what: str) -> None:
    for index, item in enumerate(_check_array(value, path, 1, what)):
        item_check(item, pointer(path, index))


_COORDINATE_CHECKS: Final[dict[str, _Check]] = {
    "Point": _check_position,
    "MultiPoint": _check_positions,
    "LineString": _check_line_string,
    "MultiLineString": lambda v, p: _check_each(v, p, _check_line_string, "line strings"),
    "Polygon": _check_polygon,
    "MultiPolygon": lambda v, p: _check_each(v, p, _check_polygon, "polygons"),
}
