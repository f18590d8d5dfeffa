"""Geo-queries (ETSI GS CIM 009 V1.8.1 clause 4.10; parameters of 6.4.3.2, errors of 5.7.2.4,
the Query's geoQ of 5.2.23 sent through 6.23).

Reference point: Porto, ``[-8.61, 41.15]``. Entities lie at the point, about 1.1 km north of
it, and about 17 km north of it; the reference box spans 0.02 degrees of longitude and 0.03 of
latitude around the point. Distances are far from every threshold, so spherical and planar
computations agree. A platform answering 501 Not Implemented to geo-queries is skipped
(feature ``geo``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from mim_suite.checks.base import CheckContext, CheckFunc, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1.query import (
    Rows,
    describe,
    expect_bad_request,
    expect_selection,
    ids_in,
    populate,
    prop,
)
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "geoquery"
FEATURE = "geo"

HERE = [-8.61, 41.15]
NORTH_1KM = [-8.61, 41.16]
NORTH_17KM = [-8.61, 41.30]
FAR_AWAY = [-8.50, 41.30]
BOX = [[[-8.62, 41.14], [-8.60, 41.14], [-8.60, 41.17], [-8.62, 41.17], [-8.62, 41.14]]]
BOX_ELSEWHERE = [[[-8.42, 41.44], [-8.40, 41.44], [-8.40, 41.47], [-8.42, 41.47], [-8.42, 41.44]]]


def geoprop(kind: str, coordinates: Any) -> dict[str, Any]:
    return {"type": "GeoProperty", "value": {"type": kind, "coordinates": coordinates}}


def point(coordinates: list[float]) -> dict[str, Any]:
    return {"location": geoprop("Point", coordinates)}


_DISTANCES: Rows = {
    "at the point": point(HERE),
    "1 km north": point(NORTH_1KM),
    "17 km north": point(NORTH_17KM),
}
_SHAPES: Rows = {
    "point inside": point(HERE),
    "line crossing": {"location": geoprop("LineString", [HERE, NORTH_17KM])},
    "point outside": point(FAR_AWAY),
}


def _skip_if_unsupported(ctx: CheckContext, response: ProbeResponse) -> None:
    if response.status == 501:
        ctx.skip("the platform answers 501 Not Implemented to geo-queries (feature geo)")


async def geo_ids(ctx: CheckContext, params: Mapping[str, str]) -> list[str]:
    response = await ctx.get("/entities", params=dict(params))
    _skip_if_unsupported(ctx, response)
    return ids_in(ctx, response, f"GET /entities?{describe(params)}")


def geo_params(kind: str, georel: str, geometry: str, coordinates: Any) -> dict[str, str]:
    return {
        "type": kind,
        "georel": georel,
        "geometry": geometry,
        "coordinates": json.dumps(coordinates, separators=(",", ":")),
    }


async def _expect_geo(
    ctx: CheckContext, rows: Rows, georel: str, geometry: str, coordinates: Any, want: list[str]
) -> None:
    kind = ctx.type_name("Place")
    ids = await populate(ctx, kind, rows)
    params = geo_params(kind, georel, geometry, coordinates)
    expect_selection(ctx, await geo_ids(ctx, params), want, ids, describe(params))


def _geo_check(
    check_id: str, requirement: str, clause: str = "4.10", *, writes: bool = True
) -> Callable[[CheckFunc], CheckFunc]:
    return check(
        check_id,
        mim=MIM,
        area=AREA,
        requirement=requirement,
        source=NGSI_LD(clause),
        strength=Strength.SHALL,
        feature=FEATURE,
        writes=writes,
    )


@_geo_check(
    "MIM1.GEO.NEAR.MAX_DISTANCE",
    "georel=near;maxDistance==d returns the entities within d metres of the reference point.",
)
async def near_max(ctx: CheckContext) -> None:
    await _expect_geo(
        ctx, _DISTANCES, "near;maxDistance==5000", "Point", HERE, ["1 km north", "at the point"]
    )


@_geo_check(
    "MIM1.GEO.NEAR.MIN_DISTANCE",
    "georel=near;minDistance==d returns the entities at least d metres from the reference point.",
)
async def near_min(ctx: CheckContext) -> None:
    await _expect_geo(ctx, _DISTANCES, "near;minDistance==5000", "Point", HERE, ["17 km north"])


@_geo_check(
    "MIM1.GEO.WITHIN",
    "georel=within returns the entities whose geometry lies inside the reference Polygon.",
)
async def within(ctx: CheckContext) -> None:
    await _expect_geo(ctx, _SHAPES, "within", "Polygon", BOX, ["point inside"])


@_geo_check(
    "MIM1.GEO.INTERSECTS",
    "georel=intersects returns the entities whose geometry intersects the reference Polygon.",
)
async def intersects(ctx: CheckContext) -> None:
    await _expect_geo(ctx, _SHAPES, "intersects", "Polygon", BOX, ["line crossing", "point inside"])


@_geo_check(
    "MIM1.GEO.DISJOINT",
    "georel=disjoint returns the entities whose geometry is disjoint from the reference Polygon.",
)
async def disjoint(ctx: CheckContext) -> None:
    await _expect_geo(ctx, _SHAPES, "disjoint", "Polygon", BOX, ["point outside"])


@_geo_check(
    "MIM1.GEO.CONTAINS",
    "georel=contains returns the entities whose geometry contains the reference Point.",
)
async def contains(ctx: CheckContext) -> None:
    rows: Rows = {
        "box around": {"location": geoprop("Polygon", BOX)},
        "box elsewhere": {"location": geoprop("Polygon", BOX_ELSEWHERE)},
    }
    await _expect_geo(ctx, rows, "contains", "Point", HERE, ["box around"])


@_geo_check(
    "MIM1.GEO.GEOPROPERTY",
    "With geoproperty the geo-query applies to that GeoProperty instead of location.",
)
async def geoproperty(ctx: CheckContext) -> None:
    rows: Rows = {
        "work area here": {**point(NORTH_17KM), "workArea": geoprop("Point", HERE)},
        "location here": {**point(HERE), "workArea": geoprop("Point", NORTH_17KM)},
    }
    kind = ctx.type_name("Place")
    ids = await populate(ctx, kind, rows)
    params = geo_params(kind, "near;maxDistance==5000", "Point", HERE)
    params["geoproperty"] = "workArea"
    expect_selection(ctx, await geo_ids(ctx, params), ["work area here"], ids, describe(params))


@_geo_check(
    "MIM1.GEO.NO_GEOPROPERTY",
    "Entities without the target GeoProperty do not match a geo-query, not even disjoint.",
)
async def no_geoproperty(ctx: CheckContext) -> None:
    rows: Rows = {"point outside": point(FAR_AWAY), "no location": {"level": prop(1)}}
    await _expect_geo(ctx, rows, "disjoint", "Polygon", BOX, ["point outside"])


@_geo_check(
    "MIM1.GEO.POST_GEOQ",
    "POST /entityOperations/query applies the Query's geoQ.",
    "6.23.3.1",
)
async def post_geoq(ctx: CheckContext) -> None:
    kind = ctx.type_name("Place")
    ids = await populate(ctx, kind, _DISTANCES)
    geoq = {"georel": "near;maxDistance==5000", "geometry": "Point", "coordinates": HERE}
    body = {"type": "Query", "entities": [{"type": kind}], "geoQ": geoq}
    response = await ctx.post("/entityOperations/query", json_body=body)
    _skip_if_unsupported(ctx, response)
    got = ids_in(ctx, response, f"POST {body}")
    expect_selection(ctx, got, ["1 km north", "at the point"], ids, f"POST {body}")


# -- invalid geo-queries (5.7.2.4: BadRequestData) ------------------------------------------------


async def _expect_refused(ctx: CheckContext, params: dict[str, str]) -> None:
    response = await ctx.get("/entities", params=params)
    _skip_if_unsupported(ctx, response)
    expect_bad_request(ctx, response, what=describe(params))


@_geo_check(
    "MIM1.GEO.MISSING_GEOREL",
    "A geo-query with geometry and coordinates but no georel fails with 400 BadRequestData.",
    "5.7.2.4",
    writes=False,
)
async def missing_georel(ctx: CheckContext) -> None:
    params = geo_params(ctx.type_name("Place"), "", "Point", HERE)
    del params["georel"]
    await _expect_refused(ctx, params)


@_geo_check(
    "MIM1.GEO.BAD_COORDINATES",
    "A geo-query whose coordinates are not a GeoJSON position array fails with 400 BadRequestData.",
    "5.7.2.4",
    writes=False,
)
async def bad_coordinates(ctx: CheckContext) -> None:
    params = geo_params(ctx.type_name("Place"), "near;maxDistance==1000", "Point", HERE)
    params["coordinates"] = "[-8.61,north]"
    await _expect_refused(ctx, params)


@_geo_check(
    "MIM1.GEO.BAD_DISTANCE",
    "A near geo-query whose distance is not a positive number fails with 400 BadRequestData.",
    "5.7.2.4",
    writes=False,
)
async def bad_distance(ctx: CheckContext) -> None:
    params = geo_params(ctx.type_name("Place"), "near;maxDistance==-5", "Point", HERE)
    await _expect_refused(ctx, params)
