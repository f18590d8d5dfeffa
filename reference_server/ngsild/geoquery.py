"""NGSI-LD geo-queries: parsing the parameters and matching entities (ETSI GS CIM 009 V1.8.1).

Clauses implemented
-------------------
- 4.10 Geo-query language: the ``georel`` grammar (``nearRel / withinRel / containsRel /
  overlapsRel / intersectsRel / equalsRel / disjointRel``), the reference geometry given by
  ``geometry`` and ``coordinates``, the target GeoProperty given by ``geoproperty`` (default
  ``location``) and the semantics of each relation. "Entities which do not convey the target
  GeoProperty of the query shall be considered as non-matching", ``disjoint`` included.
- 6.4.3.2 (table 6.4.3.2-1) Query Entities URL parameters: ``georel``, ``geometry`` and
  ``coordinates`` come together ("It shall be 1 if ... are present"); ``geoproperty`` "shall be
  ignored unless a geoquery is present".
- 5.2.13 GeoQuery data type, the ``geoQ`` member of the Query data type (POST Query) and of
  Subscriptions: ``coordinates`` is a JSON array "or a String" holding one; ``geoproperty`` is a
  short-hand name or a URI.
- 4.7.1 GeoProperty values are GeoJSON geometries (IETF RFC 7946) except GeometryCollection.

Decisions
---------
- ``near`` takes exactly one modifier, as the grammar says
  (``nearRel = nearOp andOp distance equal PositiveNumber``): ``near;maxDistance==2000`` or
  ``near;minDistance==100``; ``near`` alone or with both modifiers is BadRequestData.
  PositiveNumber is an RFC 8259 number without minus sign and not zero (``1e3`` and ``0.5`` are
  accepted, ``+5``, ``05``, ``.5`` and ``0.0`` are not).
- Names are case-sensitive (``within``, ``Point``), as RFC 7946 section 1.4 says of geometry
  types and as the brokers do, although ABNF quoted strings are formally case-insensitive.
- ``near`` accepts any reference geometry: clause 4.10 speaks of "the buffer geometric object
  ... given by the reference geometry". ``maxDistance==d`` matches when the geodesic distance
  between the target and the reference is <= d metres, ``minDistance==d`` when it is > d (the
  target is disjoint from the closed buffer). The distance is the minimum distance between the
  two geometries, as ST_DWithin in Scorpio and ST_Distance in Stellio compute it; for a Point
  target, the usual case, this is exactly "within the buffer".
- The other relations compare the target (the entity's GeoProperty) with the reference, in that
  order, as clause 4.10 words them: ``within`` = the target is within the reference, ``contains``
  = the target contains the reference. Scorpio's PostGIS design reads them so; Stellio evaluates
  ``ST_<georel>(reference, target)``, the converse.
  ``equals`` is topological equality (OGC Simple Features, reference [14]).
- The planar predicates work on longitude/latitude as Cartesian coordinates. This is how RFC 7946
  section 3.1.1 defines GeoJSON lines ("a straight Cartesian line ... in the coordinate reference
  system") and what the brokers do with PostGIS geometry or shapely.
- Coordinates: positions of 2 or 3 finite numbers (longitude in [-180, 180], latitude in
  [-90, 90], altitude ignored); LineStrings have >= 2 positions, linear rings >= 4 with the first
  equal to the last, Multi* geometries at least one member. A query geometry must also be valid
  in the Simple Features sense (no self-intersecting ring, no zero-length line), else the
  predicates would answer at random. ``coordinates`` text is JSON; NaN and Infinity are refused.
- At most 10,000 positions (and 1,000,000 characters of ``coordinates`` text) in a query
  geometry; beyond that, TooComplexQuery (table 5.5.2-1), which signals a limit of this
  implementation rather than bad data.
- Only attribute instances of type GeoProperty are targets; an entity matches when any instance
  (any datasetId) satisfies the relation. A GeoProperty value that is a string holding GeoJSON
  (the JSON-LD compatible encoding) is read too. Stored values that are not valid GeoJSON
  geometries never raise: they simply do not match, whatever the relation.

Distances
---------
Point to Point: haversine on a sphere of radius 6,371,008.8 m (the mean Earth radius), exact on
that sphere and within about 0.5 % of the geodesic on the WGS84 ellipsoid.
Other pairs: 0 when they intersect (planar test). Otherwise both are densified every 0.01 degree
of longitude/latitude (so that edges keep their RFC 7946 shape) and projected to a spherical
azimuthal equidistant plane centred on a Point operand or, without one, on the point of the
first geometry nearest to the second as a first projection finds it; the planar distance is
measured there. In that projection the distance from the centre is the exact great-circle
distance and no length shrinks (scale 1 along radii, c/sin c >= 1 across them), so the result is
never below the great-circle distance between the densified geometries and exceeds it only by
how far the centre misses the true nearest point, a second-order effect: against brute-force
haversine sampling the relative difference is below 1e-6 over tens of kilometres and 1e-4 over
hundreds. When a line or polygon comes within 1 degree of the antipode of the centre
(hemisphere-sized geometries, near-antipodal pairs), where the projection turns it inside out,
the distance is instead the smallest haversine distance between the densified vertices (thinned
to at most 4 million pairs), which can miss the interior of an edge by half a vertex spacing.

Limitations
-----------
- The sphere, not the WGS84 ellipsoid: up to about 0.5 % error on distances.
- Geometries crossing the antimeridian or covering a pole are not handled by the planar
  predicates (RFC 7946 section 3.1.9 asks producers to cut them at the antimeridian).
- Altitude is ignored by every relation; ``equals`` compares the 2D shapes only.
- Stored geometries are parsed again at every match; there is no spatial index.
- The query geometry is prepared (GEOS builds its indexes lazily on first use): evaluate one
  GeoQuery from one thread at a time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import shapely  # type: ignore[import-untyped]  # shapely 2.2 ships no py.typed marker
from numpy.typing import NDArray
from shapely.errors import GEOSException  # type: ignore[import-untyped]  # same reason
from shapely.geometry import shape  # type: ignore[import-untyped]  # same reason

from reference_server.ngsild.errors import BadRequestData, TooComplexQuery

__all__ = [
    "EARTH_RADIUS_M",
    "GEOMETRY_TYPES",
    "GEORELS",
    "LOCATION",
    "MAX_COORDINATES_CHARS",
    "MAX_POSITIONS",
    "GeoQuery",
    "Geometry",
    "distance_m",
    "haversine_m",
    "matches_geo",
    "parse_geo_query",
    "parse_geoq_member",
]

Geometry: TypeAlias = Any
"""A shapely 2 geometry (shapely ships no type hints, hence ``Any``)."""

LOCATION = "https://uri.etsi.org/ngsi-ld/location"
EARTH_RADIUS_M = 6_371_008.8
MAX_POSITIONS = 10_000
MAX_COORDINATES_CHARS = 1_000_000
GEORELS = ("near", "within", "contains", "intersects", "equals", "disjoint", "overlaps")
_TOPOLOGICAL = GEORELS[1:]
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")

_GEOREL_FORMS = (
    "near;maxDistance==<metres>, near;minDistance==<metres>, within, contains, intersects, "
    "equals, disjoint or overlaps"
)
_NEAR_RE = re.compile(r"near;(maxDistance|minDistance)==(.*)", re.DOTALL)
_POSITIVE_NUMBER_RE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_GEOPROPERTY_TYPES = ("GeoProperty", "https://uri.etsi.org/ngsi-ld/GeoProperty")
_EXAMPLES = {
    "Point": "[8.61,41.15]",
    "MultiPoint": "[[8.61,41.15],[8.62,41.16]]",
    "LineString": "[[8.61,41.15],[8.62,41.16]]",
    "MultiLineString": "[[[8.61,41.15],[8.62,41.16]]]",
    "Polygon": "[[[8.61,41.15],[8.62,41.15],[8.62,41.16],[8.61,41.15]]]",
    "MultiPolygon": "[[[[8.61,41.15],[8.62,41.15],[8.62,41.16],[8.61,41.15]]]]",
}
_DENSIFY_DEGREES = 0.01
_DENSIFY_MAX_VERTICES = 100_000
_ANTIPODE_MARGIN = 1.0  # degrees
_PAIR_BUDGET = 4_000_000
_PAIR_CHUNK = 1_000_000


@dataclass(frozen=True, slots=True)
class GeoQuery:
    """A parsed geo-query (clause 4.10).

    ``georel`` is the relation name alone (``near``, ``within``, ...); for ``near`` exactly one of
    ``max_distance`` and ``min_distance`` (metres) is set. ``geometry`` is the reference geometry
    (shapely, prepared, longitude/latitude) and ``geoproperty`` the expanded IRI of the target
    GeoProperty.
    """

    georel: str
    max_distance: float | None
    min_distance: float | None
    geometry: Geometry
    geoproperty: str = LOCATION


# -- parsing ------------------------------------------------------------------------------------


def parse_geo_query(
    georel: str | None,
    geometry: str | None,
    coordinates: str | Any | None,
    geoproperty: str | None,
    expand: Callable[[str], str],
) -> GeoQuery | None:
    """The geo-query of the URL parameters, or None when none of them is given (clause 6.4.3.2).

    ``coordinates`` is the JSON text of the URL parameter, or an already parsed JSON value.
    ``expand`` turns the ``geoproperty`` short-hand name into an IRI with the request @context.
    Raises BadRequestData when only some of georel, geometry and coordinates are given or when
    any parameter is invalid, TooComplexQuery when the geometry is too large.
    """
    if georel is None and geometry is None and coordinates is None:
        return None
    return _parse(georel, geometry, coordinates, geoproperty, expand, "")


def parse_geoq_member(geoq: Mapping[str, Any], expand: Callable[[str], str]) -> GeoQuery:
    """The geo-query of a ``geoQ`` member ``{georel, geometry, coordinates, geoproperty}``.

    Clause 5.2.13: georel, geometry and coordinates are mandatory; coordinates is a JSON array or
    a string holding one. Messages name the members ``geoQ.<member>``.
    """
    if not isinstance(geoq, Mapping):
        raise BadRequestData(
            f"geoQ: {_show(geoq)} is not valid; expected a JSON object with "
            "members georel, geometry, coordinates and optionally geoproperty"
        )
    return _parse(
        geoq.get("georel"),
        geoq.get("geometry"),
        geoq.get("coordinates"),
        geoq.get("geoproperty"),
        expand,
        "geoQ.",
    )


def _parse(
    georel: Any,
    geometry: Any,
    coordinates: Any,
    geoproperty: Any,
    expand: Callable[[str], str],
    prefix: str,
) -> GeoQuery:
    _require_all(prefix, georel=georel, geometry=geometry, coordinates=coordinates)
    relation, max_distance, min_distance = _parse_georel(georel, prefix + "georel")
    kind = _parse_geometry(geometry, prefix + "geometry")
    reference = _parse_coordinates(coordinates, kind, prefix + "coordinates")
    target = _parse_geoproperty(geoproperty, expand, prefix + "geoproperty")
    shapely.prepare(reference)
    return GeoQuery(relation, max_distance, min_distance, reference, target)


def _require_all(prefix: str, **members: Any) -> None:
    missing = [prefix + name for name, value in members.items() if value is None]
    if missing:
        given = [prefix + name for name, value in members.items() if value is not None]
        raise BadRequestData(
            f"{prefix.rstrip('.') or 'geo-query'}: {', '.join(missing)} missing"
            + (f" while {', '.join(given)} given" if given else "")
            + "; expected georel, geometry and coordinates together (clauses 4.10, 6.4.3.2, "
            "5.2.13)"
        )


def _parse_georel(text: Any, name: str) -> tuple[str, float | None, float | None]:
    if isinstance(text, str) and text in _TOPOLOGICAL:
        return text, None, None
    match = _NEAR_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        hint = " ('near' needs one distance modifier)" if str(text).startswith("near") else ""
        raise BadRequestData(
            f"{name}: {_show(text)} is not a geo-relationship{hint}; "
            f"expected {_GEOREL_FORMS} (clause 4.10)"
        )
    modifier, number = match.groups()
    distance = _positive_number(number)
    if distance is None:
        raise BadRequestData(
            f"{name}: {_show(text)} has the distance {_show(number)}; expected exactly one "
            "modifier whose value is a non-zero positive JSON number of metres, e.g. "
            "near;maxDistance==2000 (clause 4.10)"
        )
    if modifier == "maxDistance":
        return "near", distance, None
    return "near", None, distance


def _positive_number(text: str) -> float | None:
    if _POSITIVE_NUMBER_RE.fullmatch(text) is None:
        return None
    value = float(text)
    return value if 0.0 < value < math.inf else None


def _parse_geometry(text: Any, name: str) -> str:
    if isinstance(text, str) and text in GEOMETRY_TYPES:
        return text
    raise BadRequestData(
        f"{name}: {_show(text)} is not a supported geometry type; expected one "
        f"of {', '.join(GEOMETRY_TYPES)} (case-sensitive; GeometryCollection "
        "is excluded by clause 4.10)"
    )


def _parse_geoproperty(value: Any, expand: Callable[[str], str], name: str) -> str:
    if value is None:
        return LOCATION
    if not isinstance(value, str) or not value.strip():
        raise BadRequestData(
            f"{name}: {_show(value)} is not valid; expected the name of a "
            "GeoProperty, e.g. location or observationSpace (clause 4.10)"
        )
    return expand(value)


def _parse_coordinates(value: Any, kind: str, name: str) -> Geometry:
    data = _coordinates_text(value, name) if isinstance(value, str) else value
    expected = f"expected the coordinates of a {kind} such as {_EXAMPLES[kind]} (RFC 7946 3.1)"
    if not isinstance(data, list):
        raise BadRequestData(f"{name}: {_show(value)} is not a JSON array; {expected}")
    try:
        return _build(kind, data, MAX_POSITIONS)
    except _TooLarge as error:
        raise TooComplexQuery(
            f"{name}: {error}; at most {MAX_POSITIONS:,} positions are accepted in a query geometry"
        ) from None
    except _Invalid as error:
        raise BadRequestData(
            f"{name}: {_show(value)} is not valid for geometry {kind}: {error}; {expected}"
        ) from None


def _coordinates_text(text: str, name: str) -> Any:
    if len(text) > MAX_COORDINATES_CHARS:
        raise TooComplexQuery(
            f"{name}: {len(text):,} characters; at most {MAX_COORDINATES_CHARS:,} are accepted"
        )
    try:
        return _loads(text)
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise BadRequestData(
            f"{name}: {_show(text)} is not valid JSON ({reason}); expected a "
            "JSON array such as [8.61,41.15] (clause 4.10)"
        ) from None


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_refuse_constant)


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a JSON number")


def _show(value: Any, limit: int = 120) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- GeoJSON geometries (RFC 7946 section 3.1) --------------------------------------------------


class _Invalid(Exception):
    """The coordinates break RFC 7946 (or Simple Features validity); the message says how."""


class _TooLarge(Exception):
    """The geometry has more positions than allowed."""


class _Budget:
    """Counts positions against an optional limit."""

    __slots__ = ("count", "limit")

    def __init__(self, limit: int | None) -> None:
        self.count = 0
        self.limit = limit

    def take(self) -> None:
        self.count += 1
        if self.limit is not None and self.count > self.limit:
            raise _TooLarge(f"more than {self.limit:,} positions")


_Position: TypeAlias = tuple[float, float]


def _build(kind: str, coordinates: Any, limit: int | None) -> Geometry:
    """The shapely geometry of GeoJSON ``coordinates`` of type ``kind``, validated."""
    flat = _CHECKERS[kind](coordinates, _Budget(limit))
    geometry = shape({"type": kind, "coordinates": flat})
    if not shapely.is_valid(geometry):
        raise _Invalid(f"the shape is not a valid geometry ({shapely.is_valid_reason(geometry)})")
    return geometry


def _position(value: Any, budget: _Budget) -> _Position:
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise _Invalid(
            f"{_show(value, 40)} is not a position: expected an array of 2 or 3 "
            "numbers [longitude, latitude(, altitude)]"
        )
    if any(_finite(v) is None for v in value):
        raise _Invalid(f"the position {_show(value, 40)} holds something other than finite numbers")
    lon, lat = value[0], value[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _Invalid(
            f"the position {_show(value, 40)} is out of range: longitude must be in "
            "[-180, 180] and latitude in [-90, 90]"
        )
    budget.take()
    return float(lon), float(lat)


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _array(value: Any, what: str, minimum: int) -> list[Any]:
    if not isinstance(value, list) or len(value) < minimum:
        raise _Invalid(
            f"{what} needs an array of at least {minimum} member(s), got {_show(value, 40)}"
        )
    return value


def _positions(value: Any, budget: _Budget, what: str, minimum: int) -> list[_Position]:
    return [_position(p, budget) for p in _array(value, what, minimum)]


def _ring(value: Any, budget: _Budget) -> list[_Position]:
    ring = _positions(value, budget, "a linear ring", 4)
    if value[0] != value[-1]:
        raise _Invalid("a linear ring is not closed: its first and last positions differ")
    return ring


def _polygon(value: Any, budget: _Budget) -> list[list[_Position]]:
    return [_ring(r, budget) for r in _array(value, "a Polygon", 1)]


def _line(value: Any, budget: _Budget) -> list[_Position]:
    return _positions(value, budget, "a LineString", 2)


_CHECKERS: dict[str, Callable[[Any, _Budget], Any]] = {
    "Point": _position,
    "MultiPoint": lambda v, b: _positions(v, b, "a MultiPoint", 1),
    "LineString": _line,
    "MultiLineString": lambda v, b: [_line(x, b) for x in _array(v, "a MultiLineString", 1)],
    "Polygon": _polygon,
    "MultiPolygon": lambda v, b: [_polygon(x, b) for x in _array(v, "a MultiPolygon", 1)],
}


def _stored_geometry(instance: Any) -> Geometry | None:
    """The geometry of a GeoProperty instance, or None when it holds no valid GeoJSON."""
    if not isinstance(instance, Mapping) or instance.get("type") not in _GEOPROPERTY_TYPES:
        return None
    value = instance.get("value")
    if isinstance(value, str):
        value = _loads_or_none(value)
    if not isinstance(value, Mapping) or value.get("type") not in GEOMETRY_TYPES:
        return None
    try:
        return _build(value["type"], value.get("coordinates"), None)
    except (_Invalid, ValueError, TypeError, GEOSException):
        return None


def _loads_or_none(text: str) -> Any:
    try:
        return _loads(text)
    except (ValueError, RecursionError):
        return None


# -- matching -------------------------------------------------------------------------------------

# Each relation as a test of the (prepared) reference against the target: clause 4.10 words them
# target-first, so ``within`` and ``contains`` use their converse.
_PREDICATES: dict[str, Callable[[Geometry, Geometry], Any]] = {
    "within": shapely.contains,
    "contains": shapely.within,
    "intersects": shapely.intersects,
    "equals": shapely.equals,
    "disjoint": shapely.disjoint,
    "overlaps": shapely.overlaps,
}


def matches_geo(query: GeoQuery, entity: Mapping[str, Any]) -> bool:
    """Whether any instance of the entity's target GeoProperty satisfies the query (4.10).

    Entities without the GeoProperty, or whose values are not valid GeoJSON, do not match.
    """
    return any(_holds(query, target) for target in _targets(entity.get(query.geoproperty)))


def _targets(attribute: Any) -> Iterator[Geometry]:
    instances = attribute if isinstance(attribute, list) else [attribute]
    for instance in instances:
        geometry = _stored_geometry(instance)
        if geometry is not None:
            yield geometry


def _holds(query: GeoQuery, target: Geometry) -> bool:
    try:
        if query.georel == "near":
            return _near(query, target)
        return bool(_PREDICATES[query.georel](query.geometry, target))
    except (GEOSException, ValueError):
        return False


def _near(query: GeoQuery, target: Geometry) -> bool:
    distance = distance_m(target, query.geometry)
    if query.max_distance is not None:
        return distance <= query.max_distance
    return query.min_distance is not None and distance > query.min_distance


# -- distances ------------------------------------------------------------------------------------


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two lon/lat positions (mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(half)))


def distance_m(a: Geometry, b: Geometry) -> float:
    """Geodesic distance in metres between two lon/lat geometries (see the module docstring)."""
    if _is_point(a) and _is_point(b):
        return haversine_m(a.x, a.y, b.x, b.y)
    if shapely.intersects(a, b):
        return 0.0
    a, b = _densify(a), _densify(b)
    centre = _centre(a, b)
    if centre is None:
        return _sampled_distance(a, b)
    return _projected_distance(a, b, *centre)


def _is_point(geometry: Geometry) -> bool:
    return bool(geometry.geom_type == "Point")


def _densify(geometry: Geometry) -> Geometry:
    length = float(shapely.length(geometry))
    if length == 0.0:
        return geometry
    step = max(_DENSIFY_DEGREES, length / _DENSIFY_MAX_VERTICES)
    return shapely.segmentize(geometry, step)


def _centre(a: Geometry, b: Geometry) -> tuple[float, float] | None:
    """The projection centre: a Point operand, else the point of ``a`` nearest to ``b``.

    None when a line or polygon comes near the antipode of the centre, where the projection
    turns it inside out.
    """
    if _is_point(b) or _is_point(a):
        point = b if _is_point(b) else a
        centre: tuple[float, float] | None = (float(point.x), float(point.y))
    else:
        minx, miny, maxx, maxy = shapely.bounds(b)
        first = ((minx + maxx) / 2, (miny + maxy) / 2)
        centre = None if _wraps(first, a, b) else _nearest_lonlat(a, b, *first)
    return None if centre is None or _wraps(centre, a, b) else centre


def _wraps(centre: tuple[float, float], *geometries: Geometry) -> bool:
    lon, lat = centre
    antipode = lon - 180 if lon > 0 else lon + 180
    spots = shapely.MultiPoint([(antipode + shift, -lat) for shift in (-360, 0, 360)])
    return any(
        int(shapely.get_dimensions(g)) > 0 and float(shapely.distance(g, spots)) < _ANTIPODE_MARGIN
        for g in geometries
    )


def _projected_distance(a: Geometry, b: Geometry, lon0: float, lat0: float) -> float:
    return float(shapely.distance(_project(a, lon0, lat0), _project(b, lon0, lat0)))


def _nearest_lonlat(a: Geometry, b: Geometry, lon0: float, lat0: float) -> tuple[float, float]:
    """The lon/lat of the point of ``a`` nearest to ``b`` in a projection centred on lon0/lat0."""
    line = shapely.shortest_line(_project(a, lon0, lat0), _project(b, lon0, lat0))
    x, y = line.coords[0]
    return _aeqd_inverse(float(x), float(y), lon0, lat0)


def _project(geometry: Geometry, lon0: float, lat0: float) -> Geometry:
    return shapely.transform(geometry, lambda xy: _aeqd(xy, lon0, lat0))


def _aeqd(lonlat: NDArray[np.float64], lon0: float, lat0: float) -> NDArray[np.float64]:
    """Spherical azimuthal equidistant projection centred on lon0/lat0, in metres.

    The radius is the haversine distance from the centre; the direction is the azimuth.
    """
    lam = np.radians(lonlat[:, 0] - lon0)
    phi = np.radians(lonlat[:, 1])
    phi0 = math.radians(lat0)
    half = np.sin((phi - phi0) / 2) ** 2 + math.cos(phi0) * np.cos(phi) * np.sin(lam / 2) ** 2
    radius = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))
    east = np.cos(phi) * np.sin(lam)
    north = math.cos(phi0) * np.sin(phi) - math.sin(phi0) * np.cos(phi) * np.cos(lam)
    norm = np.hypot(east, north)
    x = radius * np.divide(east, norm, out=np.ones_like(norm), where=norm > 0)
    y = radius * np.divide(north, norm, out=np.zeros_like(norm), where=norm > 0)
    return np.column_stack((x, y))


def _aeqd_inverse(x: float, y: float, lon0: float, lat0: float) -> tuple[float, float]:
    rho = math.hypot(x, y)
    if rho == 0.0:
        return lon0, lat0
    c = rho / EARTH_RADIUS_M
    phi0 = math.radians(lat0)
    sin_phi = math.cos(c) * math.sin(phi0) + y * math.sin(c) * math.cos(phi0) / rho
    lat = math.degrees(math.asin(max(-1.0, min(1.0, sin_phi))))
    lon = lon0 + math.degrees(
        math.atan2(
            x * math.sin(c), rho * math.cos(phi0) * math.cos(c) - y * math.sin(phi0) * math.sin(c)
        )
    )
    return lon, lat


def _sampled_distance(a: Geometry, b: Geometry) -> float:
    """The smallest haversine distance between vertices of ``a`` and ``b`` (thinned out)."""
    xy_a, xy_b = shapely.get_coordinates(a), shapely.get_coordinates(b)
    while len(xy_a) * len(xy_b) > _PAIR_BUDGET:
        if len(xy_a) >= len(xy_b):
            xy_a = xy_a[::2]
        else:
            xy_b = xy_b[::2]
    rows = max(1, _PAIR_CHUNK // len(xy_b))
    return min(_closest_pair(xy_a[i : i + rows], xy_b) for i in range(0, len(xy_a), rows))


def _closest_pair(xy_a: NDArray[np.float64], xy_b: NDArray[np.float64]) -> float:
    phi_a, phi_b = np.radians(xy_a[:, None, 1]), np.radians(xy_b[None, :, 1])
    lam = np.radians(xy_b[None, :, 0] - xy_a[:, None, 0])
    half = np.sin((phi_b - phi_a) / 2) ** 2 + np.cos(phi_a) * np.cos(phi_b) * np.sin(lam / 2) ** 2
    return float(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0))).min())
