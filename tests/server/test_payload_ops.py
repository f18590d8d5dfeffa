"""Append / update / partial update / merge / replace / delete semantics (clauses 5.6.2-5.6.19)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from reference_server.ngsild.errors import BadRequestData, ResourceNotFound
from reference_server.ngsild.payload import (
    NGSI_LD_NULL,
    append_attributes,
    apply_merge,
    delete_attribute,
    parse_attribute_instance,
    parse_attribute_value,
    parse_attributes,
    parse_entity,
    parse_merge_patch,
    partial_update_attribute,
    replace_attribute,
    update_attributes,
)
from reference_server.ngsild.representation import render_entity
from tests.server.test_payload_support import LATER, NOW, FakeMapper, d

MAPPER = FakeMapper()
BUILDING = {
    "id": "urn:ngsi-ld:Building:randomUUID",
    "type": "Building",
    "name": {"type": "Property", "value": "Eiffel Tower"},
    "subCategory": {"type": "Property", "value": "tourism"},
    "airQualityLevel": {
        "type": "Property",
        "value": 4,
        "unitCode": "C62",
        "observedAt": "2020-09-09T16:40:00.000Z",
        "source": {"type": "Property", "value": "sensor"},
    },
    "almostFull": {"type": "Property", "value": False},
    "speed": [
        {"type": "Property", "value": 1},
        {"type": "Property", "value": 2, "datasetId": "urn:ds:gps"},
    ],
}


def _building() -> dict[str, Any]:
    return parse_entity(BUILDING, MAPPER, now=NOW)


def _fragment(body: dict[str, Any], *, allow_null: bool = False) -> dict[str, Any]:
    return parse_attributes(body, MAPPER, now=LATER, allow_null=allow_null)


def _merge(entity: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return apply_merge(entity, parse_merge_patch(body, MAPPER, now=LATER), now=LATER)


def _patch(entity: dict[str, Any], name: str, body: dict[str, Any]) -> dict[str, Any]:
    patch = parse_attribute_instance(body, MAPPER, now=LATER)
    return partial_update_attribute(entity, d(name), patch, now=LATER)


def _view(entity: dict[str, Any]) -> dict[str, Any]:
    return render_entity(entity, MAPPER)


OPERATIONS: list[Callable[[dict[str, Any]], Any]] = [
    lambda e: append_attributes(e, _fragment({"name": "x", "new": 1}), overwrite=True, now=LATER),
    lambda e: update_attributes(e, _fragment({"name": "x", "nope": 1}), now=LATER),
    lambda e: _patch(e, "airQualityLevel", {"value": 5, "source": NGSI_LD_NULL}),
    lambda e: _merge(e, {"name": NGSI_LD_NULL, "airQualityLevel": {"value": 6}}),
    lambda e: replace_attribute(
        e, d("name"), parse_attribute_value("y", MAPPER, now=LATER), now=LATER
    ),
    lambda e: delete_attribute(e, d("speed"), delete_all=True, now=LATER),
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operations_never_mutate_their_input(operation: Callable[[dict[str, Any]], Any]) -> None:
    entity = _building()
    snapshot = copy.deepcopy(entity)
    operation(entity)
    assert entity == snapshot


def test_append_adds_new_attributes_and_overwrites_existing() -> None:
    entity, updated, not_updated = append_attributes(
        _building(),
        _fragment({"airQualityLevel": {"value": 9}, "extra": {"object": "urn:a:1"}}),
        overwrite=True,
        now=LATER,
    )
    assert updated == [d("airQualityLevel"), d("extra")]
    assert not_updated == []
    air = entity[d("airQualityLevel")][0]
    assert air == {"type": "Property", "value": 9, "createdAt": NOW, "modifiedAt": LATER}
    assert entity[d("extra")][0]["createdAt"] == LATER
    assert (entity["createdAt"], entity["modifiedAt"]) == (NOW, LATER)


def test_append_no_overwrite_reports_existing_instances() -> None:
    before = _building()
    entity, updated, not_updated = append_attributes(
        before,
        _fragment({"name": "Other", "speed": {"value": 3, "datasetId": "urn:ds:radar"}}),
        overwrite=False,
        now=LATER,
    )
    assert updated == [d("speed")]
    assert not_updated == [(d("name"), "the attribute instance exists (noOverwrite)")]
    assert entity[d("name")] == before[d("name")]
    assert [i.get("datasetId") for i in entity[d("speed")]] == [None, "urn:ds:gps", "urn:ds:radar"]


def test_append_without_changes_keeps_modified_at() -> None:
    entity, updated, _ = append_attributes(
        _building(), _fragment({"name": "Other"}), overwrite=False, now=LATER
    )
    assert updated == []
    assert entity["modifiedAt"] == NOW


def test_append_adds_types_and_scope_rules() -> None:
    fragment = _fragment({"type": ["Building", "Vehicle"], "scope": "/B"})
    entity, _, _ = append_attributes(_building(), fragment, overwrite=True, now=LATER)
    assert entity["type"] == [d("Building"), d("Vehicle")]
    assert entity["scope"] == ["/B"]
    scoped = {**_building(), "scope": ["/A"]}
    kept, _, _ = append_attributes(scoped, fragment, overwrite=False, now=LATER)
    assert kept["scope"] == ["/A"]


def test_update_replaces_existing_instances_only() -> None:
    entity, updated, not_updated = update_attributes(
        _building(),
        _fragment(
            {
                "airQualityLevel": {"value": 7, "source": {"value": "model"}},
                "missing": 1,
                "speed": {"value": 5, "datasetId": "urn:ds:nope"},
            }
        ),
        now=LATER,
    )
    assert updated == [d("airQualityLevel")]
    assert not_updated == [
        (d("missing"), "the attribute does not exist"),
        (d("speed"), "the attribute has no instance with datasetId urn:ds:nope"),
    ]
    air = entity[d("airQualityLevel")][0]
    assert "unitCode" not in air
    assert (air["createdAt"], air["modifiedAt"]) == (NOW, LATER)
    assert air[d("source")] == {
        "type": "Property",
        "value": "model",
        "createdAt": NOW,
        "modifiedAt": LATER,
    }


def test_update_reports_a_missing_default_instance() -> None:
    entity = _building()
    entity[d("speed")] = entity[d("speed")][1:]
    _, _, not_updated = update_attributes(entity, _fragment({"speed": 9}), now=LATER)
    assert not_updated == [
        (d("speed"), "the attribute has no default instance (without datasetId)")
    ]


def test_update_with_ngsi_ld_null_deletes() -> None:
    fragment = _fragment(
        {"name": NGSI_LD_NULL, "speed": {"value": NGSI_LD_NULL, "datasetId": "urn:ds:gps"}},
        allow_null=True,
    )
    entity, updated, _ = update_attributes(_building(), fragment, now=LATER)
    assert updated == [d("name"), d("speed")]
    assert d("name") not in entity
    assert [i["value"] for i in entity[d("speed")]] == [1]


def test_partial_update_changes_only_given_members() -> None:
    entity = _patch(
        _building(), "airQualityLevel", {"value": 5, "observedAt": "2021-01-01T00:00:00Z"}
    )
    air = entity[d("airQualityLevel")][0]
    assert (air["value"], air["unitCode"], air["observedAt"]) == (5, "C62", "2021-01-01T00:00:00Z")
    assert (air["createdAt"], air["modifiedAt"], entity["modifiedAt"]) == (NOW, LATER, LATER)
    assert air[d("source")]["value"] == "sensor"


def test_partial_update_null_members_sub_attributes_and_instances() -> None:
    entity = _patch(
        _building(),
        "airQualityLevel",
        {"unitCode": NGSI_LD_NULL, "source": NGSI_LD_NULL, "accuracy": {"value": 0.9}},
    )
    air = entity[d("airQualityLevel")][0]
    assert "unitCode" not in air and d("source") not in air
    assert air[d("accuracy")]["value"] == 0.9
    gone = _patch(_building(), "speed", {"value": NGSI_LD_NULL, "datasetId": "urn:ds:gps"})
    assert [i["value"] for i in gone[d("speed")]] == [1]


def test_partial_update_selects_by_dataset_id_and_replaces_sub_attributes() -> None:
    entity = _patch(_building(), "speed", {"value": 20, "datasetId": "urn:ds:gps"})
    assert [i["value"] for i in entity[d("speed")]] == [1, 20]
    replaced = _patch(_building(), "airQualityLevel", {"source": {"value": "manual"}})
    source = replaced[d("airQualityLevel")][0][d("source")]
    assert (source["value"], source["createdAt"], source["modifiedAt"]) == ("manual", NOW, LATER)


def test_partial_update_type_change() -> None:
    entity = _patch(_building(), "name", {"type": "Relationship", "object": "urn:a:1"})
    assert entity[d("name")][0]["object"] == "urn:a:1"
    assert "value" not in entity[d("name")][0]
    with pytest.raises(BadRequestData, match=r"a Relationship needs the member 'object'"):
        _patch(_building(), "name", {"type": "Relationship", "observedAt": "2021-01-01T00:00:00Z"})


def test_partial_update_result_is_validated() -> None:
    entity = parse_entity(
        {"id": "urn:x:1", "type": "T", "location": {"type": "Point", "coordinates": [1, 2]}},
        MAPPER,
        now=NOW,
    )
    with pytest.raises(BadRequestData, match=r"/value/coordinates/0: longitude"):
        partial_update_attribute(
            entity,
            MAPPER.expand_term("location"),
            parse_attribute_instance(
                {"value": {"type": "Point", "coordinates": [500, 2]}}, MAPPER, now=LATER
            ),
            now=LATER,
        )


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("missing", {"value": 1}, "attribute " + d("missing") + ": the attribute does not exist"),
        ("speed", {"value": 1, "datasetId": "urn:ds:x"}, "no instance with datasetId urn:ds:x"),
    ],
)
def test_partial_update_not_found(name: str, body: dict[str, Any], message: str) -> None:
    with pytest.raises(ResourceNotFound) as caught:
        _patch(_building(), name, body)
    assert message in caught.value.detail
    assert "urn:ngsi-ld:Building:randomUUID" in caught.value.detail


def test_merge_with_partial_data_keeps_other_members() -> None:
    """ETSI test suite 056_01_04 (merge/building-with-changed-airQualityLevel)."""
    merged = _merge(
        _building(),
        {
            "airQualityLevel": {
                "type": "Property",
                "value": 1,
                "observedAt": "2024-01-01T00:00:00.000Z",
            }
        },
    )
    air = _view(merged)["airQualityLevel"]
    assert air == {
        "type": "Property",
        "value": 1,
        "unitCode": "C62",
        "observedAt": "2024-01-01T00:00:00.000Z",
        "source": {"type": "Property", "value": "sensor"},
    }
    assert merged[d("airQualityLevel")][0]["createdAt"] == NOW


def test_merge_adds_and_deletes_attributes_and_instances() -> None:
    merged = _merge(
        _building(),
        {
            "locatedAt": {"object": "urn:ngsi-ld:City:Paris"},
            "name": {"type": "Property", "value": NGSI_LD_NULL},
            "speed": {"value": NGSI_LD_NULL, "datasetId": "urn:ds:gps"},
            "absent": NGSI_LD_NULL,
        },
    )
    view = _view(merged)
    assert view["locatedAt"] == {"type": "Relationship", "object": "urn:ngsi-ld:City:Paris"}
    assert "name" not in view and "absent" not in view
    assert view["speed"] == {"type": "Property", "value": 1}


def test_merge_deletes_a_language_property_instance() -> None:
    """ETSI test suite 056_04_04: {"@none": "urn:ngsi-ld:null"} with a datasetId."""
    street = [
        {"type": "LanguageProperty", "languageMap": {"fr": "Jardin"}, "datasetId": "urn:ds:01"},
        {"type": "LanguageProperty", "languageMap": {"fr": "Avenue"}, "datasetId": "urn:ds:02"},
    ]
    entity = parse_entity({"id": "urn:x:1", "type": "T", "street": street}, MAPPER, now=NOW)
    patch = {
        "street": {
            "type": "LanguageProperty",
            "languageMap": {"@none": NGSI_LD_NULL},
            "datasetId": "urn:ds:01",
        }
    }
    assert _view(_merge(entity, patch))["street"] == {
        "type": "LanguageProperty",
        "languageMap": {"fr": "Avenue"},
        "datasetId": "urn:ds:02",
    }


def test_merge_object_values_and_sub_attributes_recursively() -> None:
    entity = parse_entity(
        {
            "id": "urn:x:1",
            "type": "T",
            "address": {
                "value": {"street": "Main", "city": {"name": "A", "zip": "1"}},
                "src": {"value": 1, "q": 2},
            },
            "location": {"type": "Point", "coordinates": [1, 2]},
        },
        MAPPER,
        now=NOW,
    )
    merged = _merge(
        entity,
        {
            "address": {
                "value": {"street": NGSI_LD_NULL, "city": {"zip": "2"}, "n": 3},
                "src": {"value": 5, "q": NGSI_LD_NULL},
            },
            "location": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        },
    )
    view = _view(merged)
    assert view["address"] == {
        "type": "Property",
        "value": {"city": {"name": "A", "zip": "2"}, "n": 3},
        "src": {"type": "Property", "value": 5},
    }
    assert view["location"]["value"] == {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}
    assert merged[d("address")][0][d("src")]["createdAt"] == NOW


def test_merge_new_attribute_drops_nulls_and_handles_entity_members() -> None:
    entity = {**_building(), "scope": ["/A"]}
    merged = _merge(
        entity,
        {
            "type": "Vehicle",
            "scope": NGSI_LD_NULL,
            "expiresAt": "2030-01-01T00:00:00Z",
            "fresh": {
                "value": {"a": NGSI_LD_NULL, "b": 1},
                "gone": NGSI_LD_NULL,
                "unitCode": NGSI_LD_NULL,
            },
        },
    )
    assert merged["type"] == [d("Building"), d("Vehicle")]
    assert "scope" not in merged
    assert merged["expiresAt"] == "2030-01-01T00:00:00Z"
    assert _view(merged)["fresh"] == {"type": "Property", "value": {"b": 1}}
    assert merged["modifiedAt"] == LATER


def test_merge_can_change_the_attribute_type() -> None:
    merged = _merge(_building(), {"name": {"object": "urn:a:1"}})
    assert _view(merged)["name"] == {"type": "Relationship", "object": "urn:a:1"}


def test_replace_attribute_keeps_created_at() -> None:
    instances = parse_attribute_value({"value": 3, "datasetId": "urn:ds:gps"}, MAPPER, now=LATER)
    entity = replace_attribute(_building(), d("speed"), instances, now=LATER)
    gps = entity[d("speed")][1]
    assert (gps["value"], gps["createdAt"], gps["modifiedAt"]) == (3, NOW, LATER)
    with pytest.raises(ResourceNotFound, match="the attribute does not exist"):
        replace_attribute(_building(), d("missing"), instances, now=LATER)


@pytest.mark.parametrize(
    ("kwargs", "left"),
    [
        ({}, ["urn:ds:gps"]),
        ({"dataset_id": "@none"}, ["urn:ds:gps"]),
        ({"dataset_id": "urn:ds:gps"}, [None]),
        ({"delete_all": True}, None),
    ],
)
def test_delete_attribute(kwargs: dict[str, Any], left: list[str | None] | None) -> None:
    entity = delete_attribute(_building(), d("speed"), **kwargs)
    remaining = entity.get(d("speed"))
    assert (None if remaining is None else [i.get("datasetId") for i in remaining]) == left
    assert entity["modifiedAt"] == NOW


def test_delete_attribute_bumps_modified_at_when_asked_and_removes_empty_attributes() -> None:
    entity = delete_attribute(_building(), d("name"), now=LATER)
    assert d("name") not in entity
    assert entity["modifiedAt"] == LATER


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("missing", {}, "the attribute does not exist"),
        ("missing", {"delete_all": True}, "has no attribute " + d("missing")),
        ("speed", {"dataset_id": "urn:ds:x"}, "no instance with datasetId urn:ds:x"),
        ("name", {"dataset_id": "urn:ds:x"}, "no instance with datasetId urn:ds:x"),
    ],
)
def test_delete_attribute_not_found(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ResourceNotFound, match=message):
        delete_attribute(_building(), d(name), **kwargs)
