"""Rendering of internal entities: normalized, concise, keyValues, GeoJSON (clause 4.5)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reference_server.ngsild.payload import parse_entity
from reference_server.ngsild.representation import (
    RenderOptions,
    render_entity,
    render_geojson,
    render_geojson_feature,
)
from tests.server.test_payload_support import CORE, NOW, FakeMapper, d, load, without_context

MAPPER = FakeMapper()
MULTI_MAPPER = FakeMapper(
    {
        "speed#1": "http://example.org/speed",
        "speed#2": "http://example.org/speed",
        "source": "http://example.org/hasSource",
    }
)
EXAMPLES = ["Vehicle_C2.2.json", "OffStreetParking_C2.3.json", "Entity-example.json"]
NORMALIZED = RenderOptions()
CONCISE = RenderOptions(form="concise")
KEY_VALUES = RenderOptions(form="keyValues")


def _parse(body: dict[str, Any], mapper: FakeMapper = MAPPER) -> dict[str, Any]:
    return parse_entity(body, mapper, now=NOW)


def _render(body: dict[str, Any], options: RenderOptions = NORMALIZED) -> dict[str, Any]:
    return render_entity(_parse(body), MAPPER, options=options)


@pytest.mark.parametrize("name", EXAMPLES)
def test_normalized_examples_round_trip(name: str) -> None:
    example = load(name)
    assert _render(example) == without_context(example)


def test_vehicle_key_values_equal_the_official_example() -> None:
    rendered = _render(load("Vehicle_C2.2.json"), KEY_VALUES)
    # Upstream inconsistency: the official keyValues example omits schema:image.
    assert rendered.pop("schema:image") == "http://example.org/images/Mercedes-C220"
    assert rendered == without_context(load("Vehicle_keyValues_C2.2.json"))


def test_offstreet_parking_key_values_equal_the_official_example() -> None:
    rendered = _render(load("OffStreetParking_C2.3.json"), KEY_VALUES)
    assert rendered == without_context(load("OffStreetParking_keyValues_C2.3.json"))


def test_multi_attribute_example_in_all_forms() -> None:
    example = load("Vehicle_MultiAttribute_C2.2.json")
    entity = _parse(example, MULTI_MAPPER)
    normalized = render_entity(entity, MULTI_MAPPER)
    assert normalized["speed#1"] == [example["speed#1"], example["speed#2"]]
    key_values = render_entity(entity, MULTI_MAPPER, options=KEY_VALUES)
    assert key_values["speed#1"] == {
        "dataset": {
            "urn:ngsi-ld:Property:speedometerA4567-speed": 55,
            "urn:ngsi-ld:Property:gpsBxyz123-speed": 54.5,
        }
    }
    concise = render_entity(entity, MULTI_MAPPER, options=CONCISE)
    assert concise["speed#1"][1] == {
        "value": 54.5,
        "source": "GPS",
        "datasetId": "urn:ngsi-ld:Property:gpsBxyz123-speed",
    }


def test_concise_offstreet_parking() -> None:
    assert _render(load("OffStreetParking_C2.3.json"), CONCISE) == {
        "id": "urn:ngsi-ld:OffStreetParking:Downtown1",
        "type": "OffStreetParking",
        "name": "Downtown One",
        "availableSpotNumber": {
            "value": 121,
            "observedAt": "2017-07-29T12:05:02Z",
            "reliability": 0.7,
            "providedBy": {"object": "urn:ngsi-ld:Camera:C1"},
        },
        "totalSpotNumber": 200,
        "location": {"type": "Point", "coordinates": [-8.5, 41.2]},
    }


GEOMETRY = {"type": "Point", "coordinates": [1, 2]}
ROUND_TRIP_ATTRIBUTES: list[tuple[str, Any, Any]] = [
    ("scalar", {"type": "Property", "value": 3}, 3),
    ("array", {"type": "Property", "value": [1, "a"]}, [1, "a"]),
    ("object value", {"type": "Property", "value": {"k": 1}}, {"value": {"k": 1}}),
    ("array of objects", {"type": "Property", "value": [{"value": 1}]}, {"value": [{"value": 1}]}),
    (
        "geometry-shaped Property",
        {"type": "Property", "value": GEOMETRY},
        {"type": "Property", "value": GEOMETRY},
    ),
    ("GeoProperty", {"type": "GeoProperty", "value": GEOMETRY}, GEOMETRY),
    (
        "GeoProperty with metadata",
        {"type": "GeoProperty", "value": GEOMETRY, "observedAt": NOW},
        {"value": GEOMETRY, "observedAt": NOW},
    ),
    (
        "Relationship",
        {"type": "Relationship", "object": "urn:a:1", "objectType": "Car"},
        {"object": "urn:a:1", "objectType": "Car"},
    ),
    (
        "LanguageProperty",
        {"type": "LanguageProperty", "languageMap": {"en": "x"}},
        {"languageMap": {"en": "x"}},
    ),
    ("VocabProperty", {"type": "VocabProperty", "vocab": ["a", "b"]}, {"vocab": ["a", "b"]}),
    ("ListProperty", {"type": "ListProperty", "valueList": [3, 1]}, {"valueList": [3, 1]}),
    (
        "ListRelationship",
        {"type": "ListRelationship", "objectList": [{"object": "urn:a:1"}]},
        {"objectList": ["urn:a:1"]},
    ),
    ("JsonProperty", {"type": "JsonProperty", "json": {"x": None}}, {"json": {"x": None}}),
    (
        "multi-instance",
        [
            {"type": "Property", "value": 1},
            {"type": "Property", "value": 2, "datasetId": "urn:d:1"},
        ],
        [{"value": 1}, {"value": 2, "datasetId": "urn:d:1"}],
    ),
    (
        "sub-attributes",
        {
            "type": "Property",
            "value": 1,
            "unitCode": "CEL",
            "by": {"type": "Relationship", "object": "urn:a:1"},
        },
        {"value": 1, "unitCode": "CEL", "by": {"object": "urn:a:1"}},
    ),
]


@pytest.mark.parametrize(
    ("normalized", "concise"),
    [case[1:] for case in ROUND_TRIP_ATTRIBUTES],
    ids=[case[0] for case in ROUND_TRIP_ATTRIBUTES],
)
def test_concise_rendering_parses_back_to_the_same_entity(normalized: Any, concise: Any) -> None:
    entity = _parse({"id": "urn:x:1", "type": "T", "a": normalized})
    rendered = render_entity(entity, MAPPER, options=CONCISE)
    assert rendered["a"] == concise
    assert _parse(rendered) == entity
    assert render_entity(entity, MAPPER)["a"] == normalized


KEY_VALUE_ATTRIBUTES: list[tuple[str, Any, Any]] = [
    ("Property", {"type": "Property", "value": 3, "unitCode": "CEL"}, 3),
    ("GeoProperty", {"type": "GeoProperty", "value": GEOMETRY}, GEOMETRY),
    (
        "Relationship",
        {"type": "Relationship", "object": ["urn:a:1", "urn:a:2"]},
        ["urn:a:1", "urn:a:2"],
    ),
    (
        "LanguageProperty",
        {"type": "LanguageProperty", "languageMap": {"en": "x"}},
        {"languageMap": {"en": "x"}},
    ),
    ("VocabProperty", {"type": "VocabProperty", "vocab": "rental"}, {"vocab": "rental"}),
    ("JsonProperty", {"type": "JsonProperty", "json": [1]}, {"json": [1]}),
    ("ListProperty", {"type": "ListProperty", "valueList": [1, 2]}, [1, 2]),
    (
        "ListRelationship",
        {"type": "ListRelationship", "objectList": [{"object": "urn:a:1"}]},
        ["urn:a:1"],
    ),
    (
        "default and dataset",
        [
            {"type": "Property", "value": 1},
            {"type": "Property", "value": 2, "datasetId": "urn:d:1"},
        ],
        {"dataset": {"@none": 1, "urn:d:1": 2}},
    ),
]


@pytest.mark.parametrize(
    ("normalized", "simplified"),
    [case[1:] for case in KEY_VALUE_ATTRIBUTES],
    ids=[case[0] for case in KEY_VALUE_ATTRIBUTES],
)
def test_key_values_per_attribute_type(normalized: Any, simplified: Any) -> None:
    assert _render({"id": "urn:x:1", "type": "T", "a": normalized}, KEY_VALUES)["a"] == simplified


def test_vocab_and_object_type_are_compacted() -> None:
    mapper = FakeMapper({"Car": "https://example.org/Car", "rental": "https://example.org/rental"})
    entity = parse_entity(
        {
            "id": "urn:x:1",
            "type": ["T", "Car"],
            "category": {"vocab": "rental"},
            "rel": {"object": "urn:a:1", "objectType": "Car"},
        },
        mapper,
        now=NOW,
    )
    assert entity[d("category")][0]["vocab"] == "https://example.org/rental"
    rendered = render_entity(entity, mapper)
    assert rendered["type"] == ["T", "Car"]
    assert rendered["category"]["vocab"] == "rental"
    assert rendered["rel"]["objectType"] == "Car"


def test_sys_attrs_everywhere_or_nowhere() -> None:
    body = {"id": "urn:x:1", "type": "T", "a": {"value": 1, "b": {"value": 2}}}
    plain = _render(body)
    assert "createdAt" not in str(plain)
    full = _render(body, RenderOptions(sys_attrs=True))
    stamps = {"createdAt": NOW, "modifiedAt": NOW}
    assert full == {
        "id": "urn:x:1",
        "type": "T",
        **stamps,
        "a": {
            "type": "Property",
            "value": 1,
            **stamps,
            "b": {"type": "Property", "value": 2, **stamps},
        },
    }
    simplified = _render(body, RenderOptions(form="keyValues", sys_attrs=True))
    assert simplified == {"id": "urn:x:1", "type": "T", **stamps, "a": 1}


STREET = {"type": "LanguageProperty", "languageMap": {"fr": "Grand Place", "nl": "Grote Markt"}}


@pytest.mark.parametrize(
    ("lang", "tag"),
    [
        ("fr", "fr"),
        ("fr-CH,fr", "fr"),
        ("fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5", "fr"),
        ("*", "fr"),
        ("nl", "nl"),
        ("de", "fr"),
    ],
)
def test_language_filter(lang: str, tag: str) -> None:
    """ETSI test suite 018_07: lang turns a LanguageProperty into a Property (clause 4.15)."""
    body = {"id": "urn:x:1", "type": "T", "street": STREET}
    text = STREET["languageMap"][tag]  # type: ignore[index]
    normalized = _render(body, RenderOptions(lang=lang))
    assert normalized["street"] == {"type": "Property", "value": text, "lang": tag}
    assert _render(body, RenderOptions(form="keyValues", lang=lang))["street"] == text
    assert _render(body, RenderOptions(form="concise", lang=lang))["street"] == {
        "value": text,
        "lang": tag,
    }


def test_language_filter_keeps_metadata_and_reaches_sub_attributes() -> None:
    body = {
        "id": "urn:x:1",
        "type": "T",
        "street": {
            **STREET,
            "observedAt": NOW,
            "label": {"languageMap": {"@none": "x", "en": "y"}},
        },
    }
    rendered = _render(body, RenderOptions(lang="de"))
    assert rendered["street"] == {
        "type": "Property",
        "value": "Grand Place",
        "lang": "fr",
        "observedAt": NOW,
        "label": {"type": "Property", "value": "x", "lang": "@none"},
    }


def _building() -> dict[str, Any]:
    return {
        "id": "urn:ngsi-ld:Building:1",
        "type": "Building",
        "scope": "/Paris",
        "name": {"type": "Property", "value": "Eiffel Tower"},
        "almostFull": {"type": "Property", "value": False},
        "speed": [
            {"type": "Property", "value": 1},
            {"type": "Property", "value": 2, "datasetId": "urn:ds:gps"},
        ],
    }


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        (RenderOptions(attrs=frozenset({d("name")})), ["id", "type", "scope", "name"]),
        (RenderOptions(pick=frozenset({"id"})), ["id"]),
        (RenderOptions(pick=frozenset({d("name")})), ["name"]),
        (RenderOptions(pick=frozenset({"id", "scope", d("speed")})), ["id", "scope", "speed"]),
        (
            RenderOptions(omit=frozenset({"type", d("name")})),
            ["id", "scope", "almostFull", "speed"],
        ),
        (RenderOptions(omit=frozenset({"id"})), ["type", "scope", "name", "almostFull", "speed"]),
        (
            RenderOptions(attrs=frozenset({d("name")}), omit=frozenset({d("name")})),
            ["id", "type", "scope"],
        ),
    ],
)
def test_projections(options: RenderOptions, keys: list[str]) -> None:
    assert list(_render(_building(), options)) == keys


@pytest.mark.parametrize(
    ("dataset_ids", "speed"),
    [
        (frozenset({"@none"}), {"type": "Property", "value": 1}),
        (frozenset({"urn:ds:gps"}), {"type": "Property", "value": 2, "datasetId": "urn:ds:gps"}),
        (frozenset({"urn:ds:other"}), None),
    ],
)
def test_dataset_id_filter(dataset_ids: frozenset[str], speed: Any) -> None:
    rendered = _render(_building(), RenderOptions(dataset_ids=dataset_ids))
    assert rendered.get("speed") == speed


def test_scope_renders_as_string_or_array() -> None:
    assert _render(_building())["scope"] == "/Paris"
    assert _render({**_building(), "scope": ["/a", "/b"]})["scope"] == ["/a", "/b"]


def test_rendering_never_mutates_or_aliases_the_entity() -> None:
    entity = _parse({**load("OffStreetParking_C2.3.json"), "street": STREET})
    snapshot = copy.deepcopy(entity)
    for form in ("normalized", "concise", "keyValues"):
        rendered = render_entity(entity, MAPPER, options=RenderOptions(form=form, lang="nl"))
        rendered["location"]["coordinates" if form != "normalized" else "value"] = None
    feature = render_geojson_feature(entity, MAPPER)
    feature["geometry"]["coordinates"].append(0)
    assert entity == snapshot


def test_geojson_feature_normalized_and_simplified() -> None:
    """ETSI test suite building-two-geometry-attribute-*.geojson shapes (clause 4.5.16)."""
    body = {
        "id": "urn:ngsi-ld:Building:1",
        "type": "Building",
        "name": "Eiffel Tower",
        "location": {"type": "Point", "coordinates": [13.3986, 52.5547]},
        "observationSpace": {"type": "Point", "coordinates": [11.1111, 11.1111]},
    }
    entity = _parse(body)
    context = ["https://example.org/context.jsonld"]
    feature = render_geojson_feature(entity, MAPPER, KEY_VALUES, context=context)
    assert feature == {
        "id": "urn:ngsi-ld:Building:1",
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [13.3986, 52.5547]},
        "properties": {
            "type": "Building",
            "name": "Eiffel Tower",
            "location": {"type": "Point", "coordinates": [13.3986, 52.5547]},
            "observationSpace": {"type": "Point", "coordinates": [11.1111, 11.1111]},
        },
        "@context": context,
    }
    normalized = render_geojson_feature(
        entity, MAPPER, RenderOptions(geometry_property=CORE + "observationSpace")
    )
    assert normalized["geometry"] == {"type": "Point", "coordinates": [11.1111, 11.1111]}
    assert normalized["properties"]["name"] == {"type": "Property", "value": "Eiffel Tower"}
    assert "@context" not in normalized


def test_geojson_geometry_is_null_without_the_geometry_property() -> None:
    entity = _parse({"id": "urn:x:1", "type": "T", "name": "x", "spot": {"value": 3}})
    options = RenderOptions(geometry_property=d("spot"))
    assert render_geojson_feature(entity, MAPPER, options)["geometry"] is None
    assert render_geojson_feature(entity, MAPPER)["geometry"] is None


def test_geojson_prefers_the_default_instance_and_honours_pick() -> None:
    location = [
        {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [5, 5]},
            "datasetId": "urn:d:1",
        },
        {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 1]}},
    ]
    entity = _parse({"id": "urn:x:1", "type": "T", "location": location})
    assert render_geojson_feature(entity, MAPPER)["geometry"]["coordinates"] == [1, 1]
    picked = render_geojson_feature(entity, MAPPER, RenderOptions(pick=frozenset({"type"})))
    assert picked == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1, 1]},
        "properties": {"type": "T"},
    }


def test_geojson_feature_collection() -> None:
    entities = [_parse({"id": f"urn:x:{i}", "type": "T", "location": GEOMETRY}) for i in (1, 2)]
    collection = render_geojson(entities, MAPPER, KEY_VALUES, context="https://e.org/c.jsonld")
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["urn:x:1", "urn:x:2"]
    assert collection["features"][0]["properties"] == {"type": "T", "location": GEOMETRY}
    assert all("@context" not in f for f in collection["features"])
    assert collection["@context"] == "https://e.org/c.jsonld"
    assert render_geojson([], MAPPER) == {"type": "FeatureCollection", "features": []}


def test_deleted_at_on_the_entity_is_always_rendered_on_instances_only_with_sys_attrs() -> None:
    entity = _parse({"id": "urn:x:1", "type": "T", "a": 1})
    entity["deletedAt"] = NOW
    entity[d("a")][0]["deletedAt"] = NOW
    assert render_entity(entity, MAPPER) == {
        "id": "urn:x:1",
        "type": "T",
        "deletedAt": NOW,
        "a": {"type": "Property", "value": 1},
    }
    assert (
        render_entity(entity, MAPPER, options=RenderOptions(sys_attrs=True))["a"]["deletedAt"]
        == NOW
    )
