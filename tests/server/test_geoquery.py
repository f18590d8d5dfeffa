"""Geo-query parsing and matching (ETSI GS CIM 009 V1.8.1 clauses 4.10, 5.2.13, 6.4.3.2)."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import numpy as np
import pytest

from reference_server.ngsild.errors import BadRequestData, TooComplexQuery
from reference_server.ngsild.geoquery import (
    EARTH_RADIUS_M,
    LOCATION,
    MAX_POSITIONS,
    GeoQuery,
    distance_m,
    haversine_m,
    matches_geo,
    parse_geo_query,
    parse_geoq_member,
)

NS = "http://example.org/ns/"
OBSERVATION_SPACE = NS + "observationSpace"

# Avenida dos Aliados, Porto, and a 0.02-degree square around it.
PORTO = (-8.611, 41.1496)
SQUARE = [[[-8.62, 41.14], [-8.60, 41.14], [-8.60, 41.16], [-8.62, 41.16], [-8.62, 41.14]]]
INSIDE = [-8.61, 41.15]
OUTSIDE = [-8.50, 41.15]
FAR = [100.0, 0.0]


def expand(term: str) -> str:
    return term if "://" in term else NS + term


def north_of(lon: float, lat: float, metres: float) -> list[float]:
    """The position ``metres`` north along the meridian (exact on the haversine sphere)."""
    return [lon, lat + math.degrees(metres / EARTH_RADIUS_M)]


def east_of(lon: float, lat: float, metres: float) -> list[float]:
    """The position at the same latitude whose haversine distance is ``metres``."""
    half = math.sin(metres / (2 * EARTH_RADIUS_M)) / math.cos(math.radians(lat))
    return [lon + math.degrees(2 * math.asin(half)), lat]


def geo(kind: str, coordinates: Any) -> dict[str, Any]:
    return {"type": kind, "coordinates": coordinates}


def entity(*values: Any, prop: str = LOCATION, kind: str = "GeoProperty") -> dict[str, Any]:
    instances = [
        {"type": kind, "value": value, "datasetId": f"urn:ngsi-ld:Dataset:{n}"}
        for n, value in enumerate(values)
    ]
    return {"id": "urn:ngsi-ld:Thing:1", "type": [NS + "Thing"], prop: instances}


def query(georel: str, geometry: str, coordinates: Any, geoproperty: str | None = None) -> GeoQuery:
    text = coordinates if isinstance(coordinates, str) else json.dumps(coordinates)
    parsed = parse_geo_query(georel, geometry, text, geoproperty, expand)
    assert parsed is not None
    return parsed


def bad(georel: Any, geometry: Any, coordinates: Any, geoproperty: Any = None) -> str:
    with pytest.raises(BadRequestData) as caught:
        parse_geo_query(georel, geometry, coordinates, geoproperty, expand)
    return caught.value.detail


# -- parameters present or absent -----------------------------------------------------------------


def test_no_geo_parameter_gives_none() -> None:
    assert parse_geo_query(None, None, None, None, expand) is None


def test_geoproperty_alone_is_ignored() -> None:
    assert parse_geo_query(None, None, None, "observationSpace", expand) is None


@pytest.mark.parametrize(
    ("georel", "geometry", "coordinates", "missing"),
    [
        ("within", None, None, ["geometry", "coordinates"]),
        (None, "Point", None, ["georel", "coordinates"]),
        (None, None, "[8.6,41.1]", ["georel", "geometry"]),
        ("within", "Point", None, ["coordinates"]),
        ("within", None, "[8.6,41.1]", ["geometry"]),
        (None, "Point", "[8.6,41.1]", ["georel"]),
    ],
)
def test_partial_geo_parameters_are_rejected(
    georel: str | None, geometry: str | None, coordinates: str | None, missing: list[str]
) -> None:
    detail = bad(georel, geometry, coordinates)
    assert all(name in detail.split(" missing")[0] for name in missing)
    assert "expected georel, geometry and coordinates together" in detail


# -- georel ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("georel", "relation", "max_distance", "min_distance"),
    [
        ("near;maxDistance==2000", "near", 2000.0, None),
        ("near;minDistance==100", "near", None, 100.0),
        ("near;maxDistance==0.5", "near", 0.5, None),
        ("near;maxDistance==1e3", "near", 1000.0, None),
        ("near;minDistance==2.5E+2", "near", None, 250.0),
        ("near;maxDistance==2000.0", "near", 2000.0, None),
        ("within", "within", None, None),
        ("contains", "contains", None, None),
        ("intersects", "intersects", None, None),
        ("equals", "equals", None, None),
        ("disjoint", "disjoint", None, None),
        ("overlaps", "overlaps", None, None),
    ],
)
def test_georel_forms(
    georel: str, relation: str, max_distance: float | None, min_distance: float | None
) -> None:
    parsed = query(georel, "Point", INSIDE)
    assert (parsed.georel, parsed.max_distance, parsed.min_distance) == (
        relation,
        max_distance,
        min_distance,
    )


@pytest.mark.parametrize(
    "georel",
    [
        "",
        "near",
        "near;",
        "near;maxDistance",
        "near;maxDistance=2000",
        "near;maxDistance==",
        "near;maxDistance==0",
        "near;maxDistance==0.0",
        "near;maxDistance==-5",
        "near;maxDistance==+5",
        "near;maxDistance==05",
        "near;maxDistance==.5",
        "near;maxDistance==5.",
        "near;maxDistance==1e400",
        "near;maxDistance==NaN",
        "near;maxDistance==Infinity",
        "near;maxDistance==abc",
        "near;maxDistance==2000 ",
        "near;maxDistance==10;minDistance==5",
        "near;distance==5",
        "near;maxDistance:2000",
        "Near;maxDistance==5",
        "near;MAXDISTANCE==5",
        "WITHIN",
        "coveredBy",
        "within;maxDistance==5",
        " within",
        "within ",
    ],
)
def test_invalid_georel(georel: str) -> None:
    detail = bad(georel, "Point", "[8.6,41.1]")
    assert detail.startswith("georel: ")
    assert json.dumps(georel) in detail
    assert "expected" in detail


def test_near_without_modifier_says_so() -> None:
    assert "needs one distance modifier" in bad("near", "Point", "[8.6,41.1]")


# -- geometry and coordinates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geometry", "coordinates"),
    [
        ("Point", INSIDE),
        ("Point", [-8.61, 41.15, 120.5]),
        ("Point", [-180, -90]),
        ("Point", [180, 90]),
        ("MultiPoint", [INSIDE, OUTSIDE]),
        ("LineString", [INSIDE, OUTSIDE]),
        ("LineString", [[-8.61, 41.15, 1], [-8.5, 41.15, 2]]),
        ("MultiLineString", [[INSIDE, OUTSIDE], [[-8.7, 41.0], [-8.7, 41.3]]]),
        ("Polygon", SQUARE),
        (
            "Polygon",
            [
                SQUARE[0],
                [[-8.615, 41.145], [-8.605, 41.145], [-8.605, 41.155], [-8.615, 41.145]],
            ],
        ),
        ("MultiPolygon", [SQUARE, [[[0, 0], [1, 0], [1, 1], [0, 0]]]]),
    ],
)
def test_every_geometry_type_parses(geometry: str, coordinates: Any) -> None:
    parsed = query("intersects", geometry, coordinates)
    assert parsed.geometry.geom_type == geometry
    assert parsed.geoproperty == LOCATION


@pytest.mark.parametrize("geometry", ["point", "POINT", "GeometryCollection", "Circle", "", "Box"])
def test_invalid_geometry_type(geometry: str) -> None:
    detail = bad("within", geometry, "[8.6,41.1]")
    assert detail.startswith("geometry: ")
    assert json.dumps(geometry) in detail
    assert "expected one of Point, MultiPoint" in detail


@pytest.mark.parametrize(
    ("geometry", "coordinates", "reason"),
    [
        ("Point", "[8.6,41", "not valid JSON"),
        ("Point", "8.6,41.1", "not valid JSON"),
        ("Point", "", "not valid JSON"),
        ("Point", "[NaN,41.1]", "NaN is not a JSON number"),
        ("Point", "[Infinity,41.1]", "Infinity is not a JSON number"),
        ("Point", "[-Infinity,41.1]", "-Infinity is not a JSON number"),
        ("Point", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("Point", '{"type":"Point"}', "not a JSON array"),
        ("Point", '"[8.6,41.1]"', "not a JSON array"),
        ("Point", "8.6", "not a JSON array"),
        ("Point", "null", "not a JSON array"),
        ("Point", '["8.6",41.1]', "finite numbers"),
        ("Point", "[true,41.1]", "finite numbers"),
        ("Point", "[null,41.1]", "finite numbers"),
        ("Point", "[1e999,41.1]", "finite numbers"),
        ("Point", "[" + "9" * 400 + ",41.1]", "finite numbers"),
        ("Point", "[8.6]", "not a position"),
        ("Point", "[]", "not a position"),
        ("Point", "[8.6,41.1,1,2]", "not a position"),
        ("Point", "[[8.6,41.1]]", "not a position"),
        ("Point", "[200,41.1]", "out of range"),
        ("Point", "[8.6,95]", "out of range"),
        ("Point", "[8.6,-90.5]", "out of range"),
        ("MultiPoint", "[]", "at least 1"),
        ("MultiPoint", "[8.6,41.1]", "not a position"),
        ("LineString", "[8.6,41.1]", "not a position"),
        ("LineString", "[[8.6,41.1]]", "at least 2"),
        ("LineString", "[[8.6,41.1],[8.6,41.1]]", "not a valid geometry"),
        ("MultiLineString", "[]", "at least 1"),
        ("MultiLineString", "[[8.6,41.1],[8.7,41.2]]", "not a position"),
        ("Polygon", "[]", "at least 1"),
        ("Polygon", "[[[0,0],[1,0],[1,1],[0,1]]]", "not closed"),
        ("Polygon", "[[[0,0],[1,0],[0,0]]]", "at least 4"),
        ("Polygon", "[[0,0],[1,0],[1,1],[0,0]]", "linear ring"),
        ("Polygon", "[[[0,0],[1,1],[1,0],[0,1],[0,0]]]", "Self-intersection"),
        ("Polygon", "[[[0,0],[1,0],[1,1],[0,0,5]]]", "not closed"),
        ("MultiPolygon", "[]", "at least 1"),
        ("MultiPolygon", "[[[0,0],[1,0],[1,1],[0,0]]]", "linear ring"),
    ],
)
def test_invalid_coordinates(geometry: str, coordinates: str, reason: str) -> None:
    detail = bad("within", geometry, coordinates)
    assert detail.startswith("coordinates: ")
    assert reason in detail
    assert "expected" in detail


@pytest.mark.parametrize("coordinates", [5, 8.6, True, {"type": "Point"}, ("a",)])
def test_coordinates_value_of_wrong_type(coordinates: Any) -> None:
    assert "is not a JSON array" in bad("within", "Point", coordinates)


def test_coordinates_may_be_parsed_json() -> None:
    parsed = parse_geo_query("within", "Polygon", SQUARE, None, expand)
    assert parsed is not None
    assert parsed.geometry.geom_type == "Polygon"


def test_position_limit() -> None:
    positions = [[(i % 360) - 180 + 0.5, (i // 360) * 0.001] for i in range(MAX_POSITIONS)]
    assert query("intersects", "MultiPoint", positions).geometry.geom_type == "MultiPoint"
    with pytest.raises(TooComplexQuery, match="coordinates: more than 10,000 positions"):
        parse_geo_query("intersects", "MultiPoint", [*positions, [0, 0]], None, expand)


def test_coordinates_text_limit() -> None:
    text = "[8.6," + " " * 1_000_000 + "41.1]"
    with pytest.raises(TooComplexQuery, match="coordinates: "):
        parse_geo_query("within", "Point", text, None, expand)


# -- geoproperty -----------------------------------------------------------------------------------


def test_geoproperty_defaults_to_location() -> None:
    assert query("within", "Polygon", SQUARE).geoproperty == LOCATION


def test_geoproperty_is_expanded() -> None:
    assert query("within", "Polygon", SQUARE, "observationSpace").geoproperty == OBSERVATION_SPACE


@pytest.mark.parametrize("geoproperty", ["", "  "])
def test_invalid_geoproperty(geoproperty: str) -> None:
    assert bad("within", "Point", "[8.6,41.1]", geoproperty).startswith("geoproperty: ")


# -- the geoQ member (clause 5.2.13) --------------------------------------------------------------


@pytest.mark.parametrize("coordinates", [SQUARE, json.dumps(SQUARE)])
def test_geoq_member(coordinates: Any) -> None:
    member = {"georel": "within", "geometry": "Polygon", "coordinates": coordinates}
    parsed = parse_geoq_member(member, expand)
    assert (parsed.georel, parsed.geoproperty) == ("within", LOCATION)
    assert parsed.geometry.geom_type == "Polygon"


def test_geoq_member_with_geoproperty() -> None:
    member = {
        "georel": "near;maxDistance==2000",
        "geometry": "Point",
        "coordinates": [8, 40],
        "geoproperty": "observationSpace",
    }
    parsed = parse_geoq_member(member, expand)
    assert (parsed.max_distance, parsed.geoproperty) == (2000.0, OBSERVATION_SPACE)


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ({"georel": "within", "geometry": "Point"}, "geoQ.coordinates missing"),
        ({"geometry": "Point", "coordinates": [8, 40]}, "geoQ.georel missing"),
        ({}, "geoQ.georel, geoQ.geometry, geoQ.coordinates missing"),
        ({"georel": 5, "geometry": "Point", "coordinates": [8, 40]}, "geoQ.georel: 5 is not"),
        ({"georel": "within", "geometry": ["Point"], "coordinates": [8, 40]}, "geoQ.geometry:"),
        ({"georel": "within", "geometry": "Point", "coordinates": 8}, "geoQ.coordinates: 8 is"),
        ({"georel": "within", "geometry": "Point", "coordinates": "[8"}, "geoQ.coordinates:"),
        (
            {"georel": "within", "geometry": "Point", "coordinates": [8, 40], "geoproperty": 1},
            "geoQ.geoproperty: 1 is not valid",
        ),
    ],
)
def test_invalid_geoq_member(member: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_geoq_member(member, expand)
    assert message in caught.value.detail


@pytest.mark.parametrize("member", [["within"], "georel=within", None])
def test_geoq_member_must_be_an_object(member: Any) -> None:
    with pytest.raises(BadRequestData, match=r"geoQ: .* expected a JSON object"):
        parse_geoq_member(member, expand)


# -- relations -------------------------------------------------------------------------------------

SHIFTED = [[[-8.61, 41.15], [-8.59, 41.15], [-8.59, 41.17], [-8.61, 41.17], [-8.61, 41.15]]]
SMALL = [[[-8.615, 41.145], [-8.605, 41.145], [-8.605, 41.155], [-8.615, 41.155], [-8.615, 41.145]]]
# SQUARE's ring starting at another corner and running the other way: topologically equal.
SQUARE_REWOUND = [[[-8.60, 41.16], [-8.60, 41.14], [-8.62, 41.14], [-8.62, 41.16], [-8.60, 41.16]]]
CROSSING = [[-8.63, 41.15], [-8.59, 41.15]]
SECOND_SQUARE = [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]


@pytest.mark.parametrize(
    ("georel", "geometry", "coordinates", "stored", "expected"),
    [
        ("within", "Polygon", SQUARE, geo("Point", INSIDE), True),
        ("within", "Polygon", SQUARE, geo("Point", OUTSIDE), False),
        ("within", "Polygon", SQUARE, geo("Point", [-8.60, 41.15]), False),  # on the boundary
        ("within", "Polygon", SQUARE, geo("Polygon", SMALL), True),
        ("within", "Polygon", SQUARE, geo("Polygon", SHIFTED), False),
        ("within", "MultiPolygon", [SQUARE, SECOND_SQUARE], geo("Point", [0.5, 0.5]), True),
        ("within", "MultiPolygon", [SQUARE, SECOND_SQUARE], geo("Point", [2.0, 2.0]), False),
        ("contains", "Point", INSIDE, geo("Polygon", SQUARE), True),
        ("contains", "Point", OUTSIDE, geo("Polygon", SQUARE), False),
        ("contains", "Polygon", SMALL, geo("Polygon", SQUARE), True),
        ("contains", "Polygon", SQUARE, geo("Point", INSIDE), False),  # target-first (4.10)
        ("contains", "LineString", [INSIDE, [-8.605, 41.155]], geo("Polygon", SQUARE), True),
        ("intersects", "Polygon", SQUARE, geo("LineString", CROSSING), True),
        ("intersects", "Polygon", SQUARE, geo("Point", [-8.62, 41.15]), True),  # boundary
        ("intersects", "Polygon", SQUARE, geo("Point", OUTSIDE), False),
        ("intersects", "MultiPoint", [FAR, INSIDE], geo("Polygon", SQUARE), True),
        ("intersects", "MultiPoint", [FAR, OUTSIDE], geo("Polygon", SQUARE), False),
        ("intersects", "MultiLineString", [CROSSING], geo("Polygon", SQUARE), True),
        ("intersects", "LineString", [[-8.7, 41.0], [-8.7, 41.3]], geo("Polygon", SQUARE), False),
        ("equals", "Point", INSIDE, geo("Point", INSIDE), True),
        ("equals", "Point", INSIDE, geo("Point", [-8.61, 41.1500001]), False),
        ("equals", "Polygon", SQUARE, geo("Polygon", SQUARE_REWOUND), True),
        ("equals", "Polygon", SQUARE, geo("Polygon", SHIFTED), False),
        ("equals", "MultiPoint", [INSIDE, OUTSIDE], geo("MultiPoint", [OUTSIDE, INSIDE]), True),
        ("disjoint", "Polygon", SQUARE, geo("Point", OUTSIDE), True),
        ("disjoint", "Polygon", SQUARE, geo("Point", INSIDE), False),
        ("disjoint", "Polygon", SQUARE, geo("Point", [-8.62, 41.15]), False),  # boundary
        ("overlaps", "Polygon", SQUARE, geo("Polygon", SHIFTED), True),
        ("overlaps", "Polygon", SQUARE, geo("Polygon", SMALL), False),  # contained
        ("overlaps", "Polygon", SQUARE, geo("Polygon", SECOND_SQUARE), False),
        ("overlaps", "Polygon", SQUARE, geo("Point", INSIDE), False),  # different dimension
    ],
)
def test_relation(
    georel: str, geometry: str, coordinates: Any, stored: dict[str, Any], expected: bool
) -> None:
    assert matches_geo(query(georel, geometry, coordinates), entity(stored)) is expected


# -- near ------------------------------------------------------------------------------------------

NORTH_1KM = north_of(*PORTO, 1000)
EAST_1KM = east_of(*PORTO, 1000)


def test_haversine_known_values() -> None:
    assert haversine_m(0, 0, 1, 0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, abs=1e-6)
    assert haversine_m(0, 0, 0, 1) == pytest.approx(111_195.080, abs=1e-3)
    assert haversine_m(*PORTO, *NORTH_1KM) == pytest.approx(1000, abs=1e-6)
    assert haversine_m(*PORTO, *EAST_1KM) == pytest.approx(1000, abs=1e-6)
    assert haversine_m(0, 0, 180, 0) == pytest.approx(math.pi * EARTH_RADIUS_M)
    # Porto (Aliados) to Lisbon (Praça do Comércio): about 274 km as the crow flies.
    assert 273_000 < haversine_m(*PORTO, -9.1393, 38.7223) < 275_000


@pytest.mark.parametrize("other", [NORTH_1KM, EAST_1KM], ids=["north", "east"])
@pytest.mark.parametrize(
    ("georel", "expected"),
    [
        ("near;maxDistance==1001", True),
        ("near;maxDistance==999", False),
        ("near;minDistance==999", True),
        ("near;minDistance==1001", False),
        ("near;maxDistance==2e3", True),
        ("near;minDistance==1e2", True),
    ],
)
def test_near_points_one_kilometre_apart(georel: str, expected: bool, other: list[float]) -> None:
    assert matches_geo(query(georel, "Point", list(PORTO)), entity(geo("Point", other))) is expected


def test_near_same_point() -> None:
    stored = entity(geo("Point", list(PORTO)))
    assert matches_geo(query("near;maxDistance==0.001", "Point", list(PORTO)), stored)
    assert not matches_geo(query("near;minDistance==0.001", "Point", list(PORTO)), stored)


# A point 1 km east of SQUARE's east edge, and a north-south line 1 km west of Porto.
EAST_OF_SQUARE = east_of(-8.60, 41.15, 1000)
WEST_LINE = [east_of(PORTO[0], 41.0, -1000), east_of(PORTO[0], 41.3, -1000)]


@pytest.mark.parametrize(
    ("georel", "geometry", "coordinates", "stored", "expected"),
    [
        ("near;maxDistance==1001", "Polygon", SQUARE, geo("Point", EAST_OF_SQUARE), True),
        ("near;maxDistance==999", "Polygon", SQUARE, geo("Point", EAST_OF_SQUARE), False),
        ("near;minDistance==999", "Polygon", SQUARE, geo("Point", EAST_OF_SQUARE), True),
        ("near;minDistance==1", "Polygon", SQUARE, geo("Point", INSIDE), False),
        ("near;maxDistance==1", "Polygon", SQUARE, geo("Point", INSIDE), True),
        ("near;maxDistance==1001", "Point", list(PORTO), geo("Polygon", SQUARE), True),
        ("near;maxDistance==1001", "Point", EAST_OF_SQUARE, geo("Polygon", SQUARE), True),
        ("near;maxDistance==999", "Point", EAST_OF_SQUARE, geo("Polygon", SQUARE), False),
        ("near;maxDistance==1001", "Point", list(PORTO), geo("LineString", WEST_LINE), True),
        ("near;maxDistance==999", "Point", list(PORTO), geo("LineString", WEST_LINE), False),
        ("near;maxDistance==1001", "LineString", WEST_LINE, geo("Point", list(PORTO)), True),
        ("near;minDistance==999", "LineString", WEST_LINE, geo("Point", list(PORTO)), True),
        ("near;maxDistance==1001", "MultiPoint", [FAR, NORTH_1KM], geo("Point", list(PORTO)), True),
        ("near;maxDistance==999", "MultiPoint", [FAR, NORTH_1KM], geo("Point", list(PORTO)), False),
        ("near;maxDistance==1001", "Point", list(PORTO), geo("MultiPoint", [FAR, EAST_1KM]), True),
        ("near;maxDistance==1001", "MultiPolygon", [SQUARE], geo("Point", EAST_OF_SQUARE), True),
        ("near;maxDistance==999", "MultiLineString", [WEST_LINE], geo("Point", list(PORTO)), False),
    ],
)
def test_near_with_other_geometries(
    georel: str, geometry: str, coordinates: Any, stored: dict[str, Any], expected: bool
) -> None:
    assert matches_geo(query(georel, geometry, coordinates), entity(stored)) is expected


def _brute_force_m(points: np.ndarray, lon: float, lat: float) -> float:
    phi1, phi2 = np.radians(points[:, 1]), math.radians(lat)
    half = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * math.cos(phi2) * np.sin(np.radians(lon - points[:, 0]) / 2) ** 2
    )
    return float((2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(half))).min())


def test_distance_to_a_line_matches_brute_force() -> None:
    line = query("intersects", "LineString", [[-8.70, 41.00], [-8.65, 41.40]]).geometry
    point = query("intersects", "Point", list(PORTO)).geometry
    samples = np.column_stack((np.linspace(-8.70, -8.65, 40_001), np.linspace(41.0, 41.4, 40_001)))
    expected = _brute_force_m(samples, *PORTO)
    assert distance_m(line, point) == pytest.approx(expected, rel=1e-6)
    assert distance_m(point, line) == pytest.approx(expected, rel=1e-6)


def test_distance_between_lines_matches_brute_force() -> None:
    a = query("intersects", "LineString", [[0.0, 50.0], [1.0, 50.5]]).geometry
    b = query("intersects", "LineString", [[0.2, 49.0], [1.2, 49.6]]).geometry
    t = np.linspace(0.0, 1.0, 2001)
    samples_a = np.column_stack((0.0 + t, 50.0 + 0.5 * t))
    expected = min(_brute_force_m(samples_a, 0.2 + s, 49.0 + 0.6 * s) for s in t[::4])
    assert distance_m(a, b) == pytest.approx(expected, rel=1e-4)


def test_distance_of_intersecting_geometries_is_zero() -> None:
    square = query("intersects", "Polygon", SQUARE).geometry
    line = query("intersects", "LineString", CROSSING).geometry
    assert distance_m(square, line) == 0.0


def test_distance_from_the_antipode() -> None:
    square = query("intersects", "Polygon", SQUARE).geometry
    antipode = query("intersects", "Point", [PORTO[0] + 180, -PORTO[1]]).geometry
    farthest = max(haversine_m(*PORTO, *corner) for corner in SQUARE[0])
    expected = math.pi * EARTH_RADIUS_M - farthest
    assert distance_m(antipode, square) == pytest.approx(expected, abs=5)
    assert distance_m(square, antipode) == pytest.approx(expected, abs=5)


HEMISPHERE = [[[-170, -80], [170, -80], [170, 80], [-170, 80], [-170, -80]]]


@pytest.mark.parametrize(
    ("georel", "expected"),
    [("near;maxDistance==556000", True), ("near;maxDistance==555000", False)],
)
def test_near_a_hemisphere_sized_polygon(georel: str, expected: bool) -> None:
    assert haversine_m(175, 0, 170, 0) == pytest.approx(555_975.4, abs=0.1)
    near = query(georel, "Polygon", HEMISPHERE)
    assert matches_geo(near, entity(geo("Point", [175.0, 0.0]))) is expected


def test_distance_when_the_projection_would_wrap() -> None:
    # Both extended, one reaching the antipode of the other: sampled vertices are used.
    polygon = query("intersects", "Polygon", HEMISPHERE).geometry
    line = query("intersects", "LineString", [[175, -1], [175, 1]]).geometry
    assert distance_m(line, polygon) == pytest.approx(haversine_m(175, 1, 170, 1), rel=1e-4)
    square = query("intersects", "Polygon", SQUARE).geometry
    far_line = query("intersects", "LineString", [[171.0, -41.2], [171.8, -41.1]]).geometry
    t = np.linspace(0.0, 1.0, 2001)
    samples = np.column_stack((171.0 + 0.8 * t, -41.2 + 0.1 * t))
    corners = SQUARE[0]
    boundary = [
        (x1 + (x2 - x1) * s, y1 + (y2 - y1) * s)
        for (x1, y1), (x2, y2) in itertools.pairwise(corners)
        for s in np.linspace(0.0, 1.0, 101)
    ]
    expected = min(_brute_force_m(samples, lon, lat) for lon, lat in boundary)
    assert distance_m(far_line, square) == pytest.approx(expected, rel=1e-6)


# -- targets: instances, geoproperty, invalid stored values -------------------------------------


def test_any_instance_may_match() -> None:
    within = query("within", "Polygon", SQUARE)
    assert matches_geo(within, entity(geo("Point", OUTSIDE), geo("Point", INSIDE)))
    assert not matches_geo(within, entity(geo("Point", OUTSIDE), geo("Point", FAR)))


def test_single_instance_not_in_a_list() -> None:
    stored = {
        "id": "urn:ngsi-ld:Thing:1",
        LOCATION: {"type": "GeoProperty", "value": geo("Point", INSIDE)},
    }
    assert matches_geo(query("within", "Polygon", SQUARE), stored)


def test_custom_geoproperty() -> None:
    inside_space = entity(geo("Point", INSIDE), prop=OBSERVATION_SPACE)
    inside_space[LOCATION] = [{"type": "GeoProperty", "value": geo("Point", OUTSIDE)}]
    on_space = query("within", "Polygon", SQUARE, "observationSpace")
    on_location = query("within", "Polygon", SQUARE)
    assert matches_geo(on_space, inside_space)
    assert not matches_geo(on_location, inside_space)


@pytest.mark.parametrize(
    ("georel", "geometry", "coordinates"),
    [
        ("within", "Polygon", SQUARE),
        ("contains", "Point", INSIDE),
        ("intersects", "Polygon", SQUARE),
        ("equals", "Point", INSIDE),
        ("disjoint", "Point", FAR),
        ("overlaps", "Polygon", SQUARE),
        ("near;maxDistance==1e9", "Point", FAR),
        ("near;minDistance==1", "Point", FAR),
    ],
)
def test_entity_without_the_geoproperty_never_matches(
    georel: str, geometry: str, coordinates: Any
) -> None:
    elsewhere = entity(geo("Point", INSIDE), prop=OBSERVATION_SPACE)
    assert not matches_geo(query(georel, geometry, coordinates), elsewhere)
    assert not matches_geo(query(georel, geometry, coordinates), {"id": "urn:ngsi-ld:Thing:2"})


@pytest.mark.parametrize(
    "attribute",
    [
        [{"type": "GeoProperty", "value": 5}],
        [{"type": "GeoProperty", "value": None}],
        [{"type": "GeoProperty"}],
        [{"type": "GeoProperty", "value": {"type": "Point"}}],
        [{"type": "GeoProperty", "value": geo("Point", "8.6,41.1")}],
        [{"type": "GeoProperty", "value": geo("Point", [math.nan, 41.1])}],
        [{"type": "GeoProperty", "value": geo("Point", [8.6, 141.1])}],
        [{"type": "GeoProperty", "value": geo("Point", [True, 41.1])}],
        [{"type": "GeoProperty", "value": geo("Polygon", [[[0, 0], [1, 0], [1, 1], [0, 1]]])}],
        [
            {
                "type": "GeoProperty",
                "value": geo("Polygon", [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]),
            }
        ],
        [{"type": "GeoProperty", "value": geo("LineString", [[0, 0], [0, "x"]])}],
        [{"type": "GeoProperty", "value": geo("Circle", [0, 0])}],
        [{"type": "GeoProperty", "value": {"type": "GeometryCollection", "geometries": []}}],
        [{"type": "GeoProperty", "value": "not json"}],
        [{"type": "GeoProperty", "value": "[" * 100_000}],
        [{"type": "GeoProperty", "value": '{"type":"Point","coordinates":[NaN,1]}'}],
        [{"type": "Property", "value": geo("Point", [0.5, 0.5])}],
        [{"type": "Relationship", "object": "urn:ngsi-ld:Thing:3"}],
        [{"value": geo("Point", [0.5, 0.5])}],
        ["GeoProperty"],
        [None],
        42,
        "location",
        None,
    ],
)
def test_invalid_stored_values_never_match(attribute: Any) -> None:
    stored = {"id": "urn:ngsi-ld:Thing:1", LOCATION: attribute}
    for georel, coordinates in [
        ("disjoint", [-50.0, -50.0]),
        ("near;minDistance==1", [-50.0, -50.0]),
        ("near;maxDistance==1e9", [0.5, 0.5]),
        ("intersects", [0.5, 0.5]),
    ]:
        assert not matches_geo(query(georel, "Point", coordinates), stored)


def test_invalid_instance_does_not_hide_a_valid_one() -> None:
    stored = entity({"type": "Point"}, geo("Point", INSIDE))
    assert matches_geo(query("within", "Polygon", SQUARE), stored)


@pytest.mark.parametrize(
    "instance",
    [
        {"type": "GeoProperty", "value": json.dumps(geo("Point", INSIDE))},
        {"type": "https://uri.etsi.org/ngsi-ld/GeoProperty", "value": geo("Point", INSIDE)},
        {"type": "GeoProperty", "value": geo("Point", [*INSIDE, 35.0])},
    ],
    ids=["string-encoded", "expanded-type", "with-altitude"],
)
def test_accepted_stored_forms(instance: dict[str, Any]) -> None:
    stored = {"id": "urn:ngsi-ld:Thing:1", LOCATION: [instance]}
    assert matches_geo(query("within", "Polygon", SQUARE), stored)
