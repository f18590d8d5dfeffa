"""NGSI-LD structure rules, one defect at a time, with the pointer where each is reported."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.validation import Severity, check_structure, detect_representation

URN = "urn:ngsi-ld:Vehicle:A4567"
POINT = {"type": "Point", "coordinates": [-3.7, 40.4]}


def normalized(**attributes: Any) -> dict[str, Any]:
    return {"id": URN, "type": "Vehicle", **attributes}


def found(document: Any) -> set[tuple[str, str]]:
    findings = check_structure(document, detect_representation(document))
    return {(f.rule, f.pointer) for f in findings if f.severity is Severity.ERROR}


def prop(value: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "Property", "value": value, **extra}


def test_valid_entity_in_every_attribute_type_has_no_finding() -> None:
    document = normalized(
        speed=prop(80, unitCode="KMH", observedAt="2024-05-01T10:00:00.123Z"),
        owner={"type": "Relationship", "object": ["urn:ngsi-ld:Person:1", "urn:x:2"]},
        location={"type": "GeoProperty", "value": POINT},
        name={"type": "LanguageProperty", "languageMap": {"en": "car", "de-AT": ["Auto"]}},
        colour={"type": "VocabProperty", "vocab": ["red", "green"]},
        stops={"type": "ListProperty", "valueList": [1, 2]},
        route={"type": "ListRelationship", "objectList": [{"object": "urn:x:1"}]},
        raw={"type": "JsonProperty", "json": {"a": None}},
        seen=prop({"@type": "DateTime", "@value": "2024-05-01T10:00:00Z"}),
        brand=prop("x", accuracy=prop(0.5), datasetId="urn:ngsi-ld:Dataset:1"),
    )
    assert check_structure(document, "normalized") == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"type": "Vehicle"}, ("ngsi-ld/id-uri", "")),
        ({"id": "A4567", "type": "Vehicle"}, ("ngsi-ld/id-uri", "/id")),
        ({"id": URN}, ("ngsi-ld/type", "")),
        ({"id": URN, "type": 5}, ("ngsi-ld/type", "/type")),
        ({"id": URN, "type": ["Vehicle", "9Car"]}, ("ngsi-ld/type-name", "/type/1")),
        (normalized(**{"bad name": prop(1)}), ("ngsi-ld/attribute-name", "/bad name")),
        (
            normalized(name=prop("x"), speed={"type": "Number", "value": 1}),
            ("ngsi-ld/attribute-type", "/speed/type"),
        ),
        (normalized(speed={"type": "Property"}), ("ngsi-ld/attribute-value", "/speed")),
        (normalized(speed=prop(None)), ("ngsi-ld/null", "/speed/value")),
        (normalized(speed=prop("urn:ngsi-ld:null")), ("ngsi-ld/null", "/speed/value")),
        (
            normalized(owner={"type": "Relationship", "object": "not a uri"}),
            ("ngsi-ld/relationship-object-uri", "/owner/object"),
        ),
        (
            normalized(owner={"type": "Relationship", "object": ["urn:x:1", "nope"]}),
            ("ngsi-ld/relationship-object-uri", "/owner/object/1"),
        ),
        (
            normalized(owner={"type": "Relationship", "object": "urn:x:1", "unitCode": "M"}),
            ("ngsi-ld/unit-code", "/owner/unitCode"),
        ),
        (normalized(speed=prop(1, unitCode=3)), ("ngsi-ld/unit-code", "/speed/unitCode")),
        (
            normalized(speed=prop(1, observedAt="2024-05-01T10:00:00+02:00")),
            ("ngsi-ld/datetime", "/speed/observedAt"),
        ),
        (
            normalized(speed=prop(1, observedAt="2024-02-30T10:00:00Z")),
            ("ngsi-ld/datetime", "/speed/observedAt"),
        ),
        (
            normalized(seen=prop({"@type": "DateTime", "@value": "2024-05-01 10:00"})),
            ("ngsi-ld/datetime", "/seen/value/@value"),
        ),
        (
            normalized(day=prop({"@type": "Date", "@value": "2024-13-01"})),
            ("ngsi-ld/date", "/day/value/@value"),
        ),
        (
            normalized(speed=prop(1, datasetId="dataset 1")),
            ("ngsi-ld/dataset-id", "/speed/datasetId"),
        ),
        (normalized(speed=[prop(1), prop(2)]), ("ngsi-ld/dataset-id", "/speed")),
        (
            normalized(name={"type": "LanguageProperty", "languageMap": {"en_GB": "x"}}),
            ("ngsi-ld/language-map", "/name/languageMap/en_GB"),
        ),
        (
            normalized(name={"type": "LanguageProperty", "languageMap": {"en": 5}}),
            ("ngsi-ld/language-map", "/name/languageMap/en"),
        ),
        (
            normalized(colour={"type": "VocabProperty", "vocab": 5}),
            ("ngsi-ld/vocab", "/colour/vocab"),
        ),
        (
            normalized(stops={"type": "ListProperty", "valueList": 5}),
            ("ngsi-ld/value-list", "/stops/valueList"),
        ),
        (
            normalized(route={"type": "ListRelationship", "objectList": [{"object": "x y"}]}),
            ("ngsi-ld/relationship-object-uri", "/route/objectList/0/object"),
        ),
        (
            normalized(speed={"type": "Property", "value": 1, "object": "urn:x:1"}),
            ("ngsi-ld/conflicting-members", "/speed"),
        ),
        (normalized(speed=prop(1, accuracy=0.5)), ("ngsi-ld/attribute-type", "/speed/accuracy")),
    ],
)
def test_structure_defect(document: dict[str, Any], expected: tuple[str, str]) -> None:
    assert expected in found(document)


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "Point", "coordinates": [200, 0]}, ("ngsi-ld/geojson-range", "/coordinates/0")),
        ({"type": "Point", "coordinates": [0, 95]}, ("ngsi-ld/geojson-range", "/coordinates/1")),
        ({"type": "Point", "coordinates": [1]}, ("ngsi-ld/geojson-position", "/coordinates")),
        (
            {"type": "Point", "coordinates": ["1", 2]},
            ("ngsi-ld/geojson-position", "/coordinates/0"),
        ),
        ({"type": "Circle", "coordinates": [1, 2]}, ("ngsi-ld/geojson-type", "/type")),
        ({"type": "GeometryCollection", "geometries": []}, ("ngsi-ld/geojson-type", "/type")),
        (
            {"type": "LineString", "coordinates": [[1, 2]]},
            ("ngsi-ld/geojson-coordinates", "/coordinates"),
        ),
        (
            {"type": "Polygon", "coordinates": [[1, 2], [3, 4]]},
            ("ngsi-ld/geojson-coordinates", "/coordinates"),
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            ("ngsi-ld/geojson-coordinates", "/coordinates/0"),
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            ("ngsi-ld/geojson-invalid", ""),
        ),
        ({"type": "Point"}, ("ngsi-ld/geojson-coordinates", "")),
    ],
)
def test_geoproperty_defect(geometry: dict[str, Any], expected: tuple[str, str]) -> None:
    rule, suffix = expected
    normalized_form = normalized(location={"type": "GeoProperty", "value": geometry})
    assert (rule, "/location/value" + suffix) in found(normalized_form)
    key_values = {"id": URN, "type": "Vehicle", "location": geometry}
    assert (rule, "/location" + suffix) in found(key_values)


def test_key_values_checks() -> None:
    document = {
        "id": URN,
        "type": "Vehicle",
        "speed": None,
        "owner": "urn:ngsi-ld:null",
        "area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        "seen": {"@type": "DateTime", "@value": "yesterday"},
        "location": "Madrid",
    }
    assert found(document) == {
        ("ngsi-ld/null", "/speed"),
        ("ngsi-ld/null", "/owner"),
        ("ngsi-ld/datetime", "/seen/@value"),
        ("ngsi-ld/geojson-type", "/location"),
    }


def test_concise_bare_values_and_inferred_types() -> None:
    document = {
        "id": URN,
        "type": "Vehicle",
        "speed": {"value": 1, "observedAt": "2024-05-01T10:00:00Z"},
        "owner": {"object": "not a uri"},
        "location": {"type": "Point", "coordinates": [500, 0]},
        "where": {"value": {"type": "Point", "coordinates": [0, 500]}},
        "name": "bare",
    }
    assert detect_representation(document) == "concise"
    assert found(document) == {
        ("ngsi-ld/relationship-object-uri", "/owner/object"),
        ("ngsi-ld/geojson-range", "/location/coordinates/0"),
        ("ngsi-ld/geojson-range", "/where/value/coordinates/1"),
    }


def test_multi_instance_warning_names_the_instance_used() -> None:
    document = normalized(
        speed=[prop(1, datasetId="urn:d:a"), prop(2)],
    )
    findings = check_structure(document, "normalized")
    assert [(f.rule, f.pointer, f.severity) for f in findings] == [
        ("projection/multi-instance", "/speed/1", Severity.WARNING)
    ]


def test_ngsi_v2_normalized_is_reported_once() -> None:
    document = {"id": URN, "type": "Vehicle", "name": {"type": "Text", "value": "x"}}
    assert detect_representation(document) == "unknown"
    assert found(document) == {("ngsi-ld/representation", "")}


def test_not_an_object() -> None:
    assert found([1]) == {("ngsi-ld/entity-object", "")}


def test_unicode_names_are_valid() -> None:
    document = {"id": URN, "type": "Škola", "výška_1": 2, "ns:name": 3, "https://x.org/a": 4}
    assert found(document) == set()


def test_unhashable_member_values_do_not_crash() -> None:
    document = {"id": URN, "type": "Vehicle", "a": {"type": ["x"], "value": {"type": {}}}}
    check_structure(document, detect_representation(document))
