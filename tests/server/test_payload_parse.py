"""Parsing of normalized and concise NGSI-LD payloads into the internal form (clause 4.5)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reference_server.ngsild.errors import BadRequestData
from reference_server.ngsild.payload import (
    NGSI_LD_NULL,
    is_null_instance,
    parse_attribute_instance,
    parse_attribute_value,
    parse_attributes,
    parse_entity,
    parse_merge_patch,
)
from tests.server.test_payload_support import CORE, NOW, FakeMapper, d, load

MAPPER = FakeMapper()
TS = {"createdAt": NOW, "modifiedAt": NOW}


def _entity(body: dict[str, Any], mapper: FakeMapper = MAPPER) -> dict[str, Any]:
    return parse_entity(body, mapper, now=NOW)


def _attr(value: Any, name: str = "a") -> list[dict[str, Any]]:
    entity = _entity({"id": "urn:x:1", "type": "T", name: value})
    return entity[MAPPER.expand_term(name)]  # type: ignore[no-any-return]


def test_vehicle_example_parses_to_the_internal_form() -> None:
    entity = _entity(load("Vehicle_C2.2.json"))
    assert entity == {
        "id": "urn:ngsi-ld:Vehicle:A4567",
        "type": [d("Vehicle")],
        **TS,
        d("brandName"): [{"type": "Property", "value": "Mercedes", **TS}],
        "https://schema.org/image": [
            {"type": "Property", "value": "http://example.org/images/Mercedes-C220", **TS}
        ],
        d("isParked"): [
            {
                "type": "Relationship",
                "object": "urn:ngsi-ld:OffStreetParking:Downtown1",
                "observedAt": "2017-07-29T12:00:04Z",
                d("providedBy"): {"type": "Relationship", "object": "urn:ngsi-ld:Person:Bob", **TS},
                **TS,
            }
        ],
    }


def test_offstreet_parking_example_parses() -> None:
    entity = _entity(load("OffStreetParking_C2.3.json"))
    spots = entity[d("availableSpotNumber")][0]
    assert spots["value"] == 121
    assert spots[d("reliability")] == {"type": "Property", "value": 0.7, **TS}
    assert spots[d("providedBy")]["object"] == "urn:ngsi-ld:Camera:C1"
    location = entity[CORE + "location"][0]
    assert location["type"] == "GeoProperty"
    assert location["value"] == {"type": "Point", "coordinates": [-8.5, 41.2]}


def test_entity_example_parses() -> None:
    entity = _entity(load("Entity-example.json"))
    assert entity[d("speed")][0][d("accuracy")]["value"] == 0.7
    assert entity[d("closeTo")][0]["object"] == "urn:ngsi-ld:Building:B1234"


def test_multi_attribute_example_merges_keys_with_the_same_iri() -> None:
    mapper = FakeMapper(
        {
            "speed#1": "http://example.org/speed",
            "speed#2": "http://example.org/speed",
            "source": "http://example.org/hasSource",
        }
    )
    entity = _entity(load("Vehicle_MultiAttribute_C2.2.json"), mapper)
    speeds = entity["http://example.org/speed"]
    assert [s["value"] for s in speeds] == [55, 54.5]
    assert [s["datasetId"] for s in speeds] == [
        "urn:ngsi-ld:Property:speedometerA4567-speed",
        "urn:ngsi-ld:Property:gpsBxyz123-speed",
    ]
    assert speeds[1]["http://example.org/hasSource"]["value"] == "GPS"


GEOMETRY = {"type": "Point", "coordinates": [2.35, 48.85]}

CONCISE_EQUIVALENTS: list[tuple[str, Any, dict[str, Any]]] = [
    ("bare number", 42, {"type": "Property", "value": 42}),
    ("bare string", "x", {"type": "Property", "value": "x"}),
    ("bare array", [1, 2], {"type": "Property", "value": [1, 2]}),
    (
        "value object",
        {"value": 5, "unitCode": "CEL"},
        {"type": "Property", "value": 5, "unitCode": "CEL"},
    ),
    ("plain object", {"street": "Main"}, {"type": "Property", "value": {"street": "Main"}}),
    ("bare geometry", GEOMETRY, {"type": "GeoProperty", "value": GEOMETRY}),
    ("geometry value", {"value": GEOMETRY}, {"type": "GeoProperty", "value": GEOMETRY}),
    ("object", {"object": "urn:a:b"}, {"type": "Relationship", "object": "urn:a:b"}),
    (
        "object list",
        {"object": ["urn:a:b", "urn:a:c"]},
        {"type": "Relationship", "object": ["urn:a:b", "urn:a:c"]},
    ),
    (
        "languageMap",
        {"languageMap": {"fr": "Rue", "@none": "Street"}},
        {"type": "LanguageProperty", "languageMap": {"fr": "Rue", "@none": "Street"}},
    ),
    ("vocab", {"vocab": "rental"}, {"type": "VocabProperty", "vocab": d("rental")}),
    ("valueList", {"valueList": [1, "a"]}, {"type": "ListProperty", "valueList": [1, "a"]}),
    (
        "objectList",
        {"objectList": ["urn:a:b"]},
        {"type": "ListRelationship", "objectList": [{"object": "urn:a:b"}]},
    ),
    ("json", {"json": {"k": [1, None]}}, {"type": "JsonProperty", "json": {"k": [1, None]}}),
]


@pytest.mark.parametrize(
    ("concise", "normalized"),
    [(c, n) for _, c, n in CONCISE_EQUIVALENTS],
    ids=[name for name, _, _ in CONCISE_EQUIVALENTS],
)
def test_concise_equals_normalized(concise: Any, normalized: dict[str, Any]) -> None:
    assert _attr(concise) == _attr(normalized) == [{**normalized, **TS}]


def test_concise_sub_attributes_and_relationship() -> None:
    concise = {"value": 121, "reliability": 0.7, "providedBy": {"object": "urn:c:1"}}
    normalized = {
        "type": "Property",
        "value": 121,
        "reliability": {"type": "Property", "value": 0.7},
        "providedBy": {"type": "Relationship", "object": "urn:c:1"},
    }
    assert _attr(concise) == _attr(normalized)


def test_multi_instance_array_and_dataset_none() -> None:
    instances = _attr(
        [
            {"value": 1, "datasetId": "@none"},
            {"type": "Property", "value": 2, "datasetId": "urn:ds:2"},
        ]
    )
    assert [i.get("datasetId") for i in instances] == [None, "urn:ds:2"]


def test_types_expand_and_deduplicate() -> None:
    entity = _entity({"id": "urn:x:1", "type": ["A", "B", "A", "https://e.org/C"]})
    assert entity["type"] == [d("A"), d("B"), "https://e.org/C"]


def test_system_members_and_context_are_dropped() -> None:
    body = {
        "id": "urn:x:1",
        "type": "T",
        "@context": "https://example.org/context.jsonld",
        "createdAt": "2000-01-01T00:00:00Z",
        "modifiedAt": "2000-01-01T00:00:00Z",
        "a": {"value": 1, "createdAt": "2000-01-01T00:00:00Z", "instanceId": "urn:i:1"},
    }
    entity = _entity(body)
    assert entity == {
        "id": "urn:x:1",
        "type": [d("T")],
        **TS,
        d("a"): [{"type": "Property", "value": 1, **TS}],
    }


def test_scope_and_expires_at_are_kept() -> None:
    entity = _entity(
        {
            "id": "urn:x:1",
            "type": "T",
            "scope": "/Madrid/Gardens",
            "expiresAt": "2030-01-01T00:00:00Z",
        }
    )
    assert entity["scope"] == ["/Madrid/Gardens"]
    assert entity["expiresAt"] == "2030-01-01T00:00:00Z"


def test_object_type_and_vocab_lists_are_expanded() -> None:
    rel = _attr({"object": "urn:a:1", "objectType": ["Car", "https://e.org/Bus"]})[0]
    assert rel["objectType"] == [d("Car"), "https://e.org/Bus"]
    vocab = _attr({"type": "VocabProperty", "vocab": ["a", "b"]})[0]
    assert vocab["vocab"] == [d("a"), d("b")]


def test_parse_entity_without_id_and_type_when_not_required() -> None:
    entity = parse_entity({"a": 1}, MAPPER, require_id_type=False, now=NOW)
    assert entity[d("a")][0]["value"] == 1
    assert "id" not in entity


def test_parsing_does_not_mutate_or_alias_the_body() -> None:
    body = load("OffStreetParking_C2.3.json")
    snapshot = copy.deepcopy(body)
    entity = _entity(body)
    assert body == snapshot
    entity[CORE + "location"][0]["value"]["coordinates"][0] = 0
    assert body == snapshot


def test_parse_attributes_fragment_with_types_and_scope() -> None:
    fragment = parse_attributes(
        {"id": "urn:x:1", "type": ["Car"], "scope": ["/a", "/b"], "speed": 3},
        MAPPER,
        now=NOW,
        entity_id="urn:x:1",
    )
    assert fragment == {
        "type": [d("Car")],
        "scope": ["/a", "/b"],
        d("speed"): [{"type": "Property", "value": 3, **TS}],
    }


def test_parse_attributes_rejects_a_foreign_id() -> None:
    with pytest.raises(BadRequestData, match=r"/id: .*does not match the target entity urn:x:1"):
        parse_attributes({"id": "urn:x:2", "a": 1}, MAPPER, now=NOW, entity_id="urn:x:1")


def test_parse_attributes_with_allow_null_keeps_deletion_markers() -> None:
    fragment = parse_attributes(
        {"a": NGSI_LD_NULL, "b": {"type": "Relationship", "object": NGSI_LD_NULL}},
        MAPPER,
        now=NOW,
        allow_null=True,
    )
    assert is_null_instance(fragment[d("a")][0])
    assert is_null_instance(fragment[d("b")][0])


@pytest.mark.parametrize(
    "attribute",
    [
        {"type": "Property", "value": NGSI_LD_NULL},
        {"type": "GeoProperty", "value": NGSI_LD_NULL},
        {"type": "LanguageProperty", "languageMap": {"@none": NGSI_LD_NULL}},
        {"type": "ListProperty", "valueList": [NGSI_LD_NULL]},
        {"type": "ListRelationship", "objectList": [NGSI_LD_NULL]},
        {"vocab": NGSI_LD_NULL},
        {"json": NGSI_LD_NULL},
        NGSI_LD_NULL,
    ],
)
def test_merge_patch_null_forms_are_deletion_markers(attribute: Any) -> None:
    patch = parse_merge_patch({"a": attribute}, MAPPER, now=NOW)
    assert is_null_instance(patch[d("a")][0])


def test_merge_patch_keeps_nulls_inside_object_values_and_scope_null() -> None:
    patch = parse_merge_patch(
        {"scope": NGSI_LD_NULL, "a": {"value": {"k": NGSI_LD_NULL, "j": 1}}}, MAPPER, now=NOW
    )
    assert patch["scope"] == NGSI_LD_NULL
    assert patch[d("a")][0]["value"] == {"k": NGSI_LD_NULL, "j": 1}


def test_parse_attribute_instance_keeps_only_given_members() -> None:
    patch = parse_attribute_instance(
        {
            "value": 7,
            "datasetId": "urn:ds:1",
            "accuracy": {"value": 0.5},
            "observedAt": NGSI_LD_NULL,
        },
        MAPPER,
        now=NOW,
    )
    assert patch == {
        "value": 7,
        "datasetId": "urn:ds:1",
        d("accuracy"): {"type": "Property", "value": 0.5, **TS},
        "observedAt": NGSI_LD_NULL,
    }


def test_parse_attribute_value_for_replace() -> None:
    instances = parse_attribute_value({"object": "urn:a:1"}, MAPPER, now=NOW, iri=d("rel"))
    assert instances == [{"type": "Relationship", "object": "urn:a:1", **TS}]


def test_json_property_content_is_raw_json() -> None:
    """JsonProperty content is never interpreted: nulls and NGSI-LD Nulls stay (4.5.24)."""
    instance = _attr({"json": {"a": None, "b": NGSI_LD_NULL, "value": 1}})[0]
    assert instance["json"] == {"a": None, "b": NGSI_LD_NULL, "value": 1}
