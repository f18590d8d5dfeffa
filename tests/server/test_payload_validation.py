"""Every validation rule of the payload parsers: BadRequestData naming path, problem and value."""

from __future__ import annotations

from typing import Any

import pytest

from reference_server.ngsild.errors import BadRequestData, NgsiLdError
from reference_server.ngsild.payload import (
    NGSI_LD_NULL,
    parse_attribute_instance,
    parse_attribute_value,
    parse_entity,
    parse_merge_patch,
)
from tests.server.test_payload_support import NOW, FakeMapper

MAPPER = FakeMapper()
POINT = {"type": "Point", "coordinates": [1, 2]}


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _nested_attribute(levels: int) -> dict[str, Any]:
    attribute: dict[str, Any] = {"value": 1}
    for _ in range(levels):
        attribute = {"value": 1, "sub": attribute}
    return attribute


def _expect(error: NgsiLdError, path: str, fragment: str) -> None:
    assert isinstance(error, BadRequestData)
    assert error.detail.startswith(f"{path}: "), error.detail
    assert fragment in error.detail, error.detail


ENTITY_CASES: list[tuple[str, Any, str, str]] = [
    (
        "not an object",
        ["urn:x:1"],
        "/",
        'the payload must be a JSON object (an entity) (got ["urn:x:1"])',
    ),
    ("missing id", {"type": "T"}, "/id", "entity id is required"),
    (
        "id without scheme",
        {"id": "invalidUri", "type": "T"},
        "/id",
        'must be an absolute URI with a scheme (RFC 3986) (got "invalidUri")',
    ),
    ("id scheme only", {"id": "urn:", "type": "T"}, "/id", "absolute URI"),
    (
        "id with space",
        {"id": "urn:a b", "type": "T"},
        "/id",
        'characters not allowed in a URI (got "urn:a b")',
    ),
    ("id not string", {"id": 5, "type": "T"}, "/id", "entity id must be a URI string (got 5)"),
    ("id NGSI-LD Null", {"id": NGSI_LD_NULL, "type": "T"}, "/id", "cannot be the NGSI-LD Null"),
    ("missing type", {"id": "urn:x:1"}, "/type", "entity type is required"),
    (
        "empty type list",
        {"id": "urn:x:1", "type": []},
        "/type",
        "non-empty array of names (got [])",
    ),
    (
        "type with space",
        {"id": "urn:x:1", "type": "Bad Type"},
        "/type",
        'not allowed by clause 4.6.2 (got "Bad Type")',
    ),
    (
        "type item not string",
        {"id": "urn:x:1", "type": ["A", 3]},
        "/type/1",
        "must be a non-empty string (got 3)",
    ),
    (
        "type NGSI-LD Null",
        {"id": "urn:x:1", "type": NGSI_LD_NULL},
        "/type",
        "cannot be the NGSI-LD Null",
    ),
    (
        "bad scope",
        {"id": "urn:x:1", "type": "T", "scope": "/a b"},
        "/scope",
        'digits, _ (got "/a b")',
    ),
    (
        "scope item",
        {"id": "urn:x:1", "type": "T", "scope": ["/a", 1]},
        "/scope/1",
        "scope must be a string (got 1)",
    ),
    (
        "bad expiresAt",
        {"id": "urn:x:1", "type": "T", "expiresAt": "tomorrow"},
        "/expiresAt",
        "expiresAt must be YYYY-MM-DDThh:mm:ss[.ffffff]Z",
    ),
    (
        "name with space",
        {"id": "urn:x:1", "type": "T", "bad name": 1},
        "/bad name",
        'attribute name contains characters not allowed by clause 4.6.2 (got "bad name")',
    ),
    ("name with <", {"id": "urn:x:1", "type": "T", "a<b": 1}, "/a<b", "clause 4.6.2"),
    ("name with =", {"id": "urn:x:1", "type": "T", "a=b": 1}, "/a=b", "clause 4.6.2"),
    (
        "name keyword",
        {"id": "urn:x:1", "type": "T", "@id": "urn:y:1"},
        "/@id",
        "cannot be a JSON-LD keyword",
    ),
    (
        "name value",
        {"id": "urn:x:1", "type": "T", "value": 1},
        "/value",
        "'value' is a reserved NGSI-LD term",
    ),
    (
        "name datasetId",
        {"id": "urn:x:1", "type": "T", "datasetId": "urn:d:1"},
        "/datasetId",
        "reserved NGSI-LD term",
    ),
    (
        "core geo as Property",
        {"id": "urn:x:1", "type": "T", "location": {"type": "Property", "value": 1}},
        "/location",
        'must be a GeoProperty (4.7.1) (got "Property")',
    ),
    (
        "duplicate datasetId",
        {
            "id": "urn:x:1",
            "type": "T",
            "a": [{"value": 1, "datasetId": "urn:d:1"}, {"value": 2, "datasetId": "urn:d:1"}],
        },
        "/a",
        "the datasetId urn:d:1 appears more than once",
    ),
    (
        "two defaults",
        {"id": "urn:x:1", "type": "T", "a": [{"value": 1}, {"value": 2, "datasetId": "@none"}]},
        "/a",
        "default instance (no datasetId) appears more than once",
    ),
]


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [case[1:] for case in ENTITY_CASES],
    ids=[case[0] for case in ENTITY_CASES],
)
def test_entity_rules(body: Any, path: str, fragment: str) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_entity(body, MAPPER, now=NOW)
    _expect(caught.value, path, fragment)


ATTRIBUTE_CASES: list[tuple[str, Any, str, str]] = [
    ("JSON null", None, "/a", "an attribute cannot be JSON null"),
    ("NGSI-LD Null", NGSI_LD_NULL, "/a/value", "only allowed in update and merge fragments"),
    ("unknown type", {"type": "Custom", "value": 1}, "/a/type", "attribute type must be one of"),
    ("Property without value", {"type": "Property"}, "/a", "a Property needs the member 'value'"),
    ("Property value null", {"type": "Property", "value": None}, "/a/value", "cannot be JSON null"),
    (
        "Property with object",
        {"type": "Property", "value": 1, "object": "urn:a:1"},
        "/a/object",
        "member 'object' is not allowed on a Property",
    ),
    (
        "two value members",
        {"value": 1, "object": "urn:a:b"},
        "/a",
        "define different attribute types",
    ),
    ("metadata without value", {"unitCode": "CEL"}, "/a", "an attribute needs one of the members"),
    ("Relationship without object", {"type": "Relationship"}, "/a", "needs the member 'object'"),
    (
        "object not URI",
        {"object": "not a uri"},
        "/a/object",
        'object must be an absolute URI with a scheme (RFC 3986) (got "not a uri")',
    ),
    ("object list empty", {"object": []}, "/a/object", "non-empty array of URIs"),
    (
        "object list item",
        {"object": ["urn:a:1", 7]},
        "/a/object/1",
        "object must be a URI string (got 7)",
    ),
    ("object NGSI-LD Null", {"object": NGSI_LD_NULL}, "/a/object", "cannot be the NGSI-LD Null"),
    (
        "Relationship unitCode",
        {"object": "urn:a:1", "unitCode": "MTR"},
        "/a/unitCode",
        "not allowed on a Relationship",
    ),
    (
        "Property objectType",
        {"value": 1, "objectType": "Car"},
        "/a/objectType",
        "only allowed on relationships",
    ),
    (
        "objectType number",
        {"object": "urn:a:1", "objectType": 3},
        "/a/objectType",
        "objectType must be",
    ),
    (
        "geo value string",
        {"type": "GeoProperty", "value": "x"},
        "/a/value",
        'must be a GeoJSON geometry object (got "x")',
    ),
    (
        "GeometryCollection",
        {"type": "GeometryCollection", "geometries": []},
        "/a/value/type",
        "GeometryCollection is not supported",
    ),
    (
        "geometry without coordinates",
        {"type": "Point"},
        "/a/value",
        "Point geometry needs coordinates",
    ),
    (
        "unknown geometry",
        {"type": "GeoProperty", "value": {"type": "Circle", "coordinates": [1, 2]}},
        "/a/value/type",
        '(got "Circle")',
    ),
    (
        "position size",
        {"type": "Point", "coordinates": [1]},
        "/a/value/coordinates",
        "a position must be an array of 2 or 3 numbers (got [1])",
    ),
    (
        "position string",
        {"type": "Point", "coordinates": "1,2"},
        "/a/value/coordinates",
        "position must be",
    ),
    (
        "position bool",
        {"type": "Point", "coordinates": [True, 2]},
        "/a/value/coordinates/0",
        "coordinates must be finite numbers (got true)",
    ),
    (
        "longitude",
        {"type": "Point", "coordinates": [200, 2]},
        "/a/value/coordinates/0",
        "longitude must be within [-180, 180] (got 200)",
    ),
    (
        "latitude",
        {"type": "Point", "coordinates": [2, -95.5]},
        "/a/value/coordinates/1",
        "latitude must be within [-90, 90] (got -95.5)",
    ),
    (
        "short LineString",
        {"type": "LineString", "coordinates": [[1, 2]]},
        "/a/value/coordinates",
        "at least 2 element(s)",
    ),
    (
        "open ring",
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        "/a/value/coordinates/0",
        "must be closed",
    ),
    (
        "short ring",
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
        "/a/value/coordinates/0",
        "at least 4 element(s)",
    ),
    (
        "empty MultiPolygon",
        {"type": "MultiPolygon", "coordinates": []},
        "/a/value/coordinates",
        "polygons must be an array of at least 1",
    ),
    (
        "bad MultiLineString",
        {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[1, 2]]]},
        "/a/value/coordinates/1",
        "at least 2",
    ),
    (
        "observedAt date only",
        {"value": 1, "observedAt": "2020-01-01"},
        "/a/observedAt",
        'observedAt must be YYYY-MM-DDThh:mm:ss[.ffffff]Z (UTC, clause 4.6.3) (got "2020-01-01")',
    ),
    (
        "observedAt offset",
        {"value": 1, "observedAt": "2020-01-01T00:00:00+01:00"},
        "/a/observedAt",
        "UTC, clause 4.6.3",
    ),
    (
        "observedAt 7 digits",
        {"value": 1, "observedAt": "2020-01-01T00:00:00.1234567Z"},
        "/a/observedAt",
        "UTC",
    ),
    (
        "observedAt not a day",
        {"value": 1, "observedAt": "2021-02-29T00:00:00Z"},
        "/a/observedAt",
        "not a valid calendar date and time",
    ),
    (
        "observedAt number",
        {"value": 1, "observedAt": 1},
        "/a/observedAt",
        "observedAt must be a string (got 1)",
    ),
    (
        "datasetId not URI",
        {"value": 1, "datasetId": "ds1"},
        "/a/datasetId",
        "datasetId must be an absolute URI",
    ),
    (
        "datasetId Null",
        {"value": 1, "datasetId": NGSI_LD_NULL},
        "/a/datasetId",
        "a datasetId cannot be the NGSI-LD Null (clause 5.5.8)",
    ),
    (
        "unitCode number",
        {"value": 1, "unitCode": 5},
        "/a/unitCode",
        "unitCode must be a non-empty string (got 5)",
    ),
    (
        "languageMap string",
        {"type": "LanguageProperty", "languageMap": "x"},
        "/a/languageMap",
        "languageMap must be a non-empty JSON object",
    ),
    ("languageMap empty", {"languageMap": {}}, "/a/languageMap", "non-empty JSON object (got {})"),
    (
        "language tag",
        {"languageMap": {"english language": "x"}},
        "/a/languageMap/english language",
        "RFC 5646 language tags or @none",
    ),
    (
        "language value",
        {"languageMap": {"en": 3}},
        "/a/languageMap/en",
        "strings or arrays of strings (got 3)",
    ),
    (
        "language Null",
        {"languageMap": {"en": NGSI_LD_NULL}},
        "/a/languageMap/en",
        "only allowed in update and merge",
    ),
    ("vocab number", {"vocab": 3}, "/a/vocab", "vocab must be a term/IRI"),
    ("vocab space", {"vocab": "a b"}, "/a/vocab", "vocab contains characters not allowed"),
    (
        "valueList object",
        {"type": "ListProperty", "valueList": {"a": 1}},
        "/a/valueList",
        "valueList must be an array",
    ),
    ("valueList null item", {"valueList": [1, None]}, "/a/valueList", "cannot be JSON null"),
    (
        "objectList URI",
        {"objectList": ["urn:a:1", "nope"]},
        "/a/objectList/1/object",
        'absolute URI with a scheme (RFC 3986) (got "nope")',
    ),
    (
        "objectList item",
        {"objectList": [{"object": "urn:a:1", "x": 1}]},
        "/a/objectList/0",
        'items must be {"object": URI} objects',
    ),
    ("json null", {"type": "JsonProperty", "json": None}, "/a/json", "cannot be JSON null"),
    ("NaN", {"value": float("nan")}, "/a/value", "numbers must be finite (got NaN)"),
    (
        "Infinity in list",
        {"valueList": [1, float("inf")]},
        "/a/valueList/1",
        "numbers must be finite",
    ),
    ("deep value", {"value": _deep(101)}, "/a/value", "value nests deeper than 100 levels"),
    ("nested Null", {"value": {"k": NGSI_LD_NULL}}, "/a/value/k", "only allowed in merge (5.5.4)"),
    (
        "sub multi-instance",
        {"value": 1, "sub": [{"value": 1}, {"value": 2, "datasetId": "urn:d:1"}]},
        "/a/sub",
        "a sub-attribute cannot have several instances",
    ),
    (
        "sub reserved",
        {"value": 1, "dataset": {"value": 1}},
        "/a/dataset",
        "'dataset' is a reserved NGSI-LD term",
    ),
    (
        "embedded @context",
        {"value": 1, "@context": {"a": "urn:x"}},
        "/a/@context",
        "cannot embed an @context",
    ),
    (
        "too deep",
        _nested_attribute(9),
        "/a/sub/sub/sub/sub/sub/sub/sub/sub/sub",
        "sub-attributes nest deeper than 8 levels",
    ),
    (
        "multi-instance item",
        [{"value": 1, "datasetId": "urn:d:1"}, {"type": "Property"}],
        "/a/1",
        "needs the member 'value'",
    ),
]


@pytest.mark.parametrize(
    ("attribute", "path", "fragment"),
    [case[1:] for case in ATTRIBUTE_CASES],
    ids=[case[0] for case in ATTRIBUTE_CASES],
)
def test_attribute_rules(attribute: Any, path: str, fragment: str) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_entity({"id": "urn:x:1", "type": "T", "a": attribute}, MAPPER, now=NOW)
    _expect(caught.value, path, fragment)


def test_two_keys_expanding_to_one_iri_share_the_default_instance_rule() -> None:
    mapper = FakeMapper({"s1": "http://example.org/speed", "s2": "http://example.org/speed"})
    with pytest.raises(BadRequestData) as caught:
        parse_entity({"id": "urn:x:1", "type": "T", "s1": 1, "s2": 2}, mapper, now=NOW)
    _expect(caught.value, "/s1", "default instance (no datasetId) appears more than once")


def test_name_not_expanding_to_an_iri() -> None:
    mapper = FakeMapper({"odd": "odd"})
    with pytest.raises(BadRequestData) as caught:
        parse_entity({"id": "urn:x:1", "type": "T", "odd": 1}, mapper, now=NOW)
    _expect(caught.value, "/odd", 'attribute name does not expand to an IRI (got "odd")')


PATCH_CASES: list[tuple[str, Any, str, str]] = [
    ("not an object", 5, "/", "the payload must be a JSON object (an attribute fragment)"),
    ("empty", {}, "/", "the attribute fragment has nothing to update"),
    ("datasetId only", {"datasetId": "urn:d:1"}, "/", "nothing to update"),
    ("unknown type", {"type": "Foo", "value": 1}, "/type", "attribute type must be one of"),
    (
        "foreign value member",
        {"type": "Relationship", "value": 1},
        "/value",
        "member 'value' is not allowed on a Relationship",
    ),
    ("two value members", {"value": 1, "vocab": "x"}, "/", "define different attribute types"),
    ("bad observedAt", {"observedAt": "yesterday"}, "/observedAt", "observedAt must be"),
    (
        "datasetId Null",
        {"value": 1, "datasetId": NGSI_LD_NULL},
        "/datasetId",
        "cannot be the NGSI-LD Null",
    ),
    ("nested Null", {"value": {"k": NGSI_LD_NULL}}, "/value/k", "only allowed in merge (5.5.4)"),
    (
        "bad sub-attribute",
        {"sub": {"type": "Relationship", "object": "x"}},
        "/sub/object",
        "absolute URI",
    ),
]


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [case[1:] for case in PATCH_CASES],
    ids=[case[0] for case in PATCH_CASES],
)
def test_partial_update_fragment_rules(body: Any, path: str, fragment: str) -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_attribute_instance(body, MAPPER, now=NOW)
    _expect(caught.value, path, fragment)


def test_merge_patch_rules() -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_merge_patch({"type": NGSI_LD_NULL}, MAPPER, now=NOW)
    _expect(caught.value, "/type", "cannot be the NGSI-LD Null")
    with pytest.raises(BadRequestData) as caught:
        parse_merge_patch({"a": {"value": 1, "datasetId": NGSI_LD_NULL}}, MAPPER, now=NOW)
    _expect(caught.value, "/a/datasetId", "cannot be the NGSI-LD Null")
    with pytest.raises(BadRequestData) as caught:
        parse_merge_patch({"scope": "no way"}, MAPPER, now=NOW)
    _expect(caught.value, "/scope", "scope must be")


def test_replace_body_rules() -> None:
    with pytest.raises(BadRequestData) as caught:
        parse_attribute_value({"value": 3}, MAPPER, now=NOW, iri=MAPPER.expand_term("location"))
    _expect(caught.value, "/", "this core attribute must be a GeoProperty")
    with pytest.raises(BadRequestData) as caught:
        parse_attribute_value(NGSI_LD_NULL, MAPPER, now=NOW)
    _expect(caught.value, "/value", "only allowed in update and merge")


@pytest.mark.parametrize(
    "value",
    [
        POINT,
        {"type": "Point", "coordinates": [1, 2, 3]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]},
    ],
    ids=lambda v: f"{v['type']}-{len(str(v))}",
)
def test_supported_geometries_are_accepted(value: dict[str, Any]) -> None:
    entity = parse_entity({"id": "urn:x:1", "type": "T", "location": value}, MAPPER, now=NOW)
    assert entity[MAPPER.expand_term("location")][0]["value"] == value


@pytest.mark.parametrize(
    "observed_at",
    ["2020-09-09T16:40:00Z", "2020-09-09T16:40:00.000Z", "2020-09-09T16:40:00,123456Z"],
)
def test_valid_datetimes(observed_at: str) -> None:
    body = {"id": "urn:x:1", "type": "T", "a": {"value": 1, "observedAt": observed_at}}
    entity = parse_entity(body, MAPPER, now=NOW)
    assert entity[MAPPER.expand_term("a")][0]["observedAt"] == observed_at


@pytest.mark.parametrize(
    "name", ["speed#1", "schema:image", "https://example.org/a(b)", "ñame_1", "a-b.c"]
)
def test_accepted_attribute_names(name: str) -> None:
    entity = parse_entity({"id": "urn:x:1", "type": "T", name: 1}, MAPPER, now=NOW)
    assert MAPPER.expand_term(name) in entity
