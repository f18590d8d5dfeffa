"""GeoJSON geometry rules for GeoProperty values (ETSI GS CIM 009 V1.8.1 4.7.1, RFC 7946).

A GeoProperty value is a GeoJSON geometry (RFC 7946 section 3.1) of type Point, MultiPoint,
LineString, MultiLineString, Polygon or MultiPolygon; GeometryCollection is not supported
(4.7.1 note). Checked here, each problem with the pointer below the value where it lies:

* the ``type`` and the nesting depth of ``coordinates`` for that type;
* positions (RFC 7946 3.1.1): 2 or 3 numbers, longitude in [-180, 180] and latitude in
  [-90, 90] (WGS 84, RFC 7946 section 4);
* a LineString has at least 2 positions (3.1.4); a Polygon ring at least 4 and is closed
  (3.1.6);
* for lines and polygons, validity by ``shapely`` (OGC simple features: no self-intersecting
  ring, holes inside the shell...), with shapely's explanation.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Final

import orjson
from shapely import from_geojson  # type: ignore[import-untyped]  # shapely 2.2 has no py.typed
from shapely.errors import GEOSException  # type: ignore[import-untyped]  # same reason
from shapely.validation import explain_validity  # type: ignore[import-untyped]  # same reason

__all__ = ["GEOMETRY_TYPES", "geometry_problems"]

GEOMETRY_TYPES: Final = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
"""Supported geometry types and the array depth of their ``coordinates`` above positions."""

Problem = tuple[str, str, str]
"""(pointer suffix below the value, rule, message)."""


def geometry_problems(value: Any) -> list[Problem]:
    """Everything wrong with ``value`` as a GeoProperty value; empty when it is valid."""
    if isinstance(value, dict) and value.get("type") == "Point" and _good_point(value):
        return []
    if not isinstance(value, dict):
        return [("", "ngsi-ld/geojson-type", f"{_show(value)} is not a GeoJSON geometry object")]
    kind = value.get("type")
    if kind == "GeometryCollection":
        return [("/type", "ngsi-ld/geojson-type", "GeometryCollection is not supported (4.7.1)")]
    if not isinstance(kind, str) or kind not in GEOMETRY_TYPES:
        at = "/type" if "type" in value else ""
        return [(at, "ngsi-ld/geojson-type", f"{_show(kind)} is not a geometry type")]
    if "coordinates" not in value:
        return [("", "ngsi-ld/geojson-coordinates", f"{kind} has no coordinates")]
    coords, depth = value["coordinates"], GEOMETRY_TYPES[kind]
    nesting = _nesting(coords)
    if nesting is not None and nesting != depth + 1:
        message = f"{kind} coordinates are nested {nesting} arrays deep, not {depth + 1}"
        return [("/coordinates", "ngsi-ld/geojson-coordinates", message)]
    problems = list(_coordinates(coords, depth, kind, "/coordinates"))
    if not problems and kind not in ("Point", "MultiPoint"):
        problems += _topology(value)
    return problems


def _good_point(value: dict[str, Any]) -> bool:
    """The common case, decided at once: a Point with 2 or 3 finite in-range numbers."""
    position = value.get("coordinates")
    if not isinstance(position, list) or not 2 <= len(position) <= 3:
        return False
    if not all(n.__class__ is float or n.__class__ is int for n in position):
        return False
    return -180 <= position[0] <= 180 and -90 <= position[1] <= 90 and math.isfinite(sum(position))


def _nesting(coords: Any) -> int | None:
    """How many arrays deep the first number lies; None when an array is empty."""
    depth = 0
    while isinstance(coords, list):
        if not coords:
            return None
        coords, depth = coords[0], depth + 1
    return depth


def _coordinates(coords: Any, depth: int, kind: str, at: str) -> Iterator[Problem]:
    if depth == 0:
        yield from _position(coords, at)
        return
    if not isinstance(coords, list):
        yield (at, "ngsi-ld/geojson-coordinates", f"{kind} coordinates must be nested arrays")
        return
    minimum = _minimum_length(kind, depth)
    if len(coords) < minimum:
        what = {4: f"{kind} ring", 2: kind, 1: f"{kind} polygon"}[minimum]
        items = "rings" if minimum == 1 else "positions"
        message = f"{what} has {len(coords)} {items}, at least {minimum} required"
        yield (at, "ngsi-ld/geojson-coordinates", message)
    for index, item in enumerate(coords):
        yield from _coordinates(item, depth - 1, kind, f"{at}/{index}")
    if minimum == 4 and len(coords) >= minimum and coords[0] != coords[-1]:
        yield (at, "ngsi-ld/geojson-coordinates", "polygon ring is not closed")


def _minimum_length(kind: str, depth: int) -> int:
    polygonal = kind in ("Polygon", "MultiPolygon")
    if depth == 1:
        return 4 if polygonal else 2 if kind in ("LineString", "MultiLineString") else 0
    return 1 if depth == 2 and polygonal else 0


def _position(position: Any, at: str) -> Iterator[Problem]:
    if not isinstance(position, list) or not 2 <= len(position) <= 3:
        yield (
            at,
            "ngsi-ld/geojson-position",
            f"{_show(position)} is not a position of 2-3 numbers",
        )
        return
    for index, number in enumerate(position):
        if isinstance(number, bool) or not isinstance(number, int | float):
            yield (f"{at}/{index}", "ngsi-ld/geojson-position", f"{_show(number)} is not a number")
            return
        if not math.isfinite(number):
            yield (f"{at}/{index}", "ngsi-ld/geojson-position", f"{number} is not finite")
            return
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        yield (f"{at}/0", "ngsi-ld/geojson-range", f"longitude {longitude} outside [-180, 180]")
    if not -90 <= latitude <= 90:
        yield (f"{at}/1", "ngsi-ld/geojson-range", f"latitude {latitude} outside [-90, 90]")


def _topology(value: dict[str, Any]) -> list[Problem]:
    try:
        shape = from_geojson(orjson.dumps(value))
    except (GEOSException, ValueError, TypeError) as error:
        return [("", "ngsi-ld/geojson-invalid", f"not a valid geometry: {error}")]
    if shape.is_valid:
        return []
    reason = explain_validity(shape)
    return [("", "ngsi-ld/geojson-invalid", f"invalid {value['type']}: {reason}")]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
