"""GeoJSON representation of entities, selected by Accept application/geo+json (ETSI GS CIM
009 V1.8.1 clauses 4.5.16, 4.5.17; HTTP binding 6.3.4, 6.3.6)."""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext
from mim_suite.checks.mim1._support import create_sample, retrieve, sample_entity
from mim_suite.checks.mim1.negotiation import GEOJSON, context_links, expect_media
from mim_suite.checks.mim1.representation import member, representation_check, show
from mim_suite.probe import ProbeResponse

ACCEPT_GEO = {"Accept": GEOJSON}
OTHER_PLACE = {"type": "Point", "coordinates": [2.35, 48.85]}


async def _feature(
    ctx: CheckContext,
    entity_id: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[ProbeResponse, dict[str, Any]]:
    response = await retrieve(
        ctx, entity_id, params=params, headers={**ACCEPT_GEO, **(headers or {})}
    )
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(isinstance(body, dict), "a GeoJSON Feature object", show(body))
    assert isinstance(body, dict)
    return response, body


def _properties(ctx: CheckContext, feature: dict[str, Any]) -> dict[str, Any]:
    props = member(ctx, feature, "properties")
    ctx.expect(isinstance(props, dict), "properties as a JSON object", f"properties: {show(props)}")
    assert isinstance(props, dict)
    return props


@representation_check(
    "MIM1.REPR.GEOJSON.MEDIA",
    "Retrieve Entity with Accept application/geo+json answers Content-Type application/geo+json.",
    "6.3.4",
)
async def geojson_media_type(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    expect_media(ctx, await retrieve(ctx, entity["id"], headers=ACCEPT_GEO), GEOJSON)


@representation_check(
    "MIM1.REPR.GEOJSON.FEATURE",
    'A GeoJSON entity is a Feature: "type" "Feature", the entity id, and the location value as'
    " geometry.",
    "4.5.16.2",
)
async def geojson_feature(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    _, feature = await _feature(ctx, entity["id"])
    expected = {"type": "Feature", "id": entity["id"], "geometry": entity["location"]["value"]}
    for key, value in expected.items():
        got = member(ctx, feature, key)
        ctx.expect(got == value, f"{key}: {show(value)}", f"{key}: {show(got)}")


@representation_check(
    "MIM1.REPR.GEOJSON.PROPERTIES",
    "A GeoJSON Feature's properties carry the entity type and its attributes.",
    "4.5.16.2",
)
async def geojson_properties(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    _, feature = await _feature(ctx, entity["id"])
    props = _properties(ctx, feature)
    kind = member(ctx, props, "type")
    ctx.expect(kind == entity["type"], f"properties.type {entity['type']}", f"{kind!r}")
    for name, key in (("speed", "value"), ("isParked", "object"), ("location", "value")):
        got = member(ctx, props, name)
        expected = entity[name][key]
        ctx.expect(
            isinstance(got, dict) and got.get(key) == expected,
            f"properties.{name}.{key} = {show(expected)}",
            f"properties.{name}: {show(got)}",
        )


@representation_check(
    "MIM1.REPR.GEOJSON.CONTEXT",
    "A GeoJSON answer without a Prefer header carries the @context in its body.",
    "6.3.6",
)
async def geojson_context_in_body(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    _, feature = await _feature(ctx, entity["id"])
    ctx.expect("@context" in feature, "an @context member", f"members {sorted(feature)}")


@representation_check(
    "MIM1.REPR.GEOJSON.PREFER_LINK",
    "With Prefer: body=json a GeoJSON answer names its @context in a Link header, not the body.",
    "6.3.6",
)
async def geojson_prefer_link(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response, feature = await _feature(ctx, entity["id"], headers={"Prefer": "body=json"})
    ctx.expect("@context" not in feature, "no @context member", f"members {sorted(feature)}")
    ctx.expect(
        bool(context_links(response)),
        "a JSON-LD context Link header",
        f"Link: {response.headers.get_list('link')}",
    )


@representation_check(
    "MIM1.REPR.GEOJSON.COLLECTION",
    "Query Entities with Accept application/geo+json answers a FeatureCollection of Features.",
    "4.5.16.3",
)
async def geojson_collection(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    params = {"type": entity["type"]}
    response = await ctx.get("/entities", params=params, headers=ACCEPT_GEO)
    expect_media(ctx, response, GEOJSON)
    body = ctx.json(response)
    ctx.expect(
        isinstance(body, dict) and body.get("type") == "FeatureCollection",
        '"type": "FeatureCollection"',
        show(body),
    )
    features = body.get("features")
    ids = (
        [f.get("id") for f in features if isinstance(f, dict)] if isinstance(features, list) else []
    )
    ctx.expect(ids == [entity["id"]], f"features: one Feature with id {entity['id']}", show(body))
    ctx.expect(features[0].get("type") == "Feature", '"type": "Feature"', show(features[0]))


@representation_check(
    "MIM1.REPR.GEOJSON.GEOMETRY_PROPERTY",
    "geometryProperty selects the GeoProperty whose value becomes the Feature's geometry.",
    "4.5.16.1",
)
async def geojson_geometry_property(ctx: CheckContext) -> None:
    place = {"type": "GeoProperty", "value": OTHER_PLACE}
    entity = await create_sample(ctx, otherPlace=place)
    _, feature = await _feature(ctx, entity["id"], {"geometryProperty": "otherPlace"})
    got = member(ctx, feature, "geometry")
    ctx.expect(got == OTHER_PLACE, f"geometry: {show(OTHER_PLACE)}", f"geometry: {show(got)}")


@representation_check(
    "MIM1.REPR.GEOJSON.NULL_GEOMETRY",
    "An entity without the selected GeoProperty has geometry null in its Feature.",
    "4.5.16.1",
)
async def geojson_null_geometry(ctx: CheckContext) -> None:
    entity = sample_entity(ctx)
    del entity["location"]
    await ctx.create(entity)
    _, feature = await _feature(ctx, entity["id"])
    got = member(ctx, feature, "geometry")
    ctx.expect(got is None, "geometry: null", f"geometry: {show(got)}")


@representation_check(
    "MIM1.REPR.GEOJSON.SIMPLIFIED",
    "GeoJSON with format=simplified carries simplified attribute values in properties.",
    "4.5.17.1",
)
async def geojson_simplified(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    _, feature = await _feature(ctx, entity["id"], {"format": "simplified"})
    props = _properties(ctx, feature)
    for name, value in (("speed", 80), ("isParked", entity["isParked"]["object"])):
        got = member(ctx, props, name)
        ctx.expect(got == value, f"properties.{name}: {show(value)}", f"{show(got)}")
