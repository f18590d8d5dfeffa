"""The hand-written NGSI-LD core shapes (shapes/ngsi-ld-core.ttl) on small entities."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.validation.findings import Severity
from mim_suite.validation.shacl import ShaclValidator
from tests.shacl.helpers import CORE_V18, findings_of, rules_at


def entity(**attributes: Any) -> dict[str, Any]:
    """A normalized entity of a type no data model has, with the v1.8 core context."""
    return {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", **attributes, "@context": CORE_V18}


def test_a_valid_entity_has_no_findings(validator: ShaclValidator) -> None:
    document = entity(
        speed={"type": "Property", "value": 3.5, "observedAt": "2024-05-01T12:00:00Z"},
        owner={"type": "Relationship", "object": "urn:ngsi-ld:Person:1"},
        location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}},
        label={"type": "LanguageProperty", "languageMap": {"en": "a", "fr": "b"}},
        unit={"type": "Property", "value": 1, "unitCode": "MTR", "datasetId": "urn:ds:1"},
    )
    assert findings_of(validator, document) == []


@pytest.mark.parametrize("value", [None, []], ids=["null", "empty array"])
def test_property_without_value(validator: ShaclValidator, value: Any) -> None:
    findings = findings_of(validator, entity(speed={"type": "Property", "value": value}))
    assert rules_at(findings) == {("/speed", "shacl/sh:MinCountConstraintComponent")}
    assert findings[0].severity is Severity.ERROR
    assert findings[0].source == "shacl"
    assert findings[0].entity_id == "urn:ngsi-ld:Thing:1"
    assert "must have a value" in findings[0].message


def test_property_with_no_value_member(validator: ShaclValidator) -> None:
    findings = findings_of(validator, entity(speed={"type": "Property", "unitCode": "KMH"}))
    assert ("/speed", "shacl/sh:MinCountConstraintComponent") in rules_at(findings)


def test_relationship_with_a_literal_object(validator: ShaclValidator) -> None:
    findings = findings_of(validator, entity(owner={"type": "Relationship", "object": 42}))
    assert rules_at(findings) == {("/owner/object", "shacl/sh:NodeKindConstraintComponent")}


def test_relationship_whose_object_is_not_a_uri(validator: ShaclValidator) -> None:
    """JSON-LD drops an object that is no absolute IRI: the object is then missing."""
    findings = findings_of(validator, entity(owner={"type": "Relationship", "object": "bob"}))
    assert rules_at(findings) == {("/owner", "shacl/sh:MinCountConstraintComponent")}


@pytest.mark.parametrize("observed", ["yesterday", "2024-05-01", "2024-13-01 12:00"])
def test_bad_observed_at(validator: ShaclValidator, observed: str) -> None:
    speed = {"type": "Property", "value": 1, "observedAt": observed}
    findings = findings_of(validator, entity(speed=speed))
    assert rules_at(findings) == {("/speed/observedAt", "shacl/sh:PatternConstraintComponent")}
    assert "observedAt" in findings[0].message


def test_observed_at_given_as_a_number(validator: ShaclValidator) -> None:
    """The core context coerces observedAt to DateTime, numbers too: the lexical form fails."""
    speed = {"type": "Property", "value": 1, "observedAt": 1714564800}
    found = rules_at(findings_of(validator, entity(speed=speed)))
    assert found == {("/speed/observedAt", "shacl/sh:PatternConstraintComponent")}


def test_geoproperty_value_must_be_a_geometry(validator: ShaclValidator) -> None:
    location = {"type": "GeoProperty", "value": "POINT (1 2)"}
    found = rules_at(findings_of(validator, entity(location=location)))
    assert ("/location/value", "shacl/sh:NodeKindConstraintComponent") in found


def test_geoproperty_value_of_an_unknown_geometry_type(validator: ShaclValidator) -> None:
    location = {"type": "GeoProperty", "value": {"type": "Circle", "coordinates": [1, 2]}}
    found = rules_at(findings_of(validator, entity(location=location)))
    assert found == {("/location/value", "shacl/sh:InConstraintComponent")}


def test_dataset_id_must_be_a_uri(validator: ShaclValidator) -> None:
    speed = {"type": "Property", "value": 1, "datasetId": 7}
    found = rules_at(findings_of(validator, entity(speed=speed)))
    assert found == {("/speed/datasetId", "shacl/sh:NodeKindConstraintComponent")}


def test_sub_attribute_findings_point_into_the_attribute(validator: ShaclValidator) -> None:
    speed = {"type": "Property", "value": 1, "accuracy": {"type": "Property", "value": None}}
    found = rules_at(findings_of(validator, entity(speed=speed)))
    assert found == {("/speed/accuracy", "shacl/sh:MinCountConstraintComponent")}


def test_multi_instance_attributes_point_at_the_instance(validator: ShaclValidator) -> None:
    speed = [
        {"type": "Property", "value": 1, "datasetId": "urn:ds:a"},
        {"type": "Property", "value": None, "datasetId": "urn:ds:b"},
    ]
    found = rules_at(findings_of(validator, entity(speed=speed)))
    assert found == {("/speed/1", "shacl/sh:MinCountConstraintComponent")}


def test_system_members_of_the_entity(validator: ShaclValidator) -> None:
    document = entity(modifiedAt="last week")
    found = rules_at(findings_of(validator, document))
    assert ("/modifiedAt", "shacl/sh:PatternConstraintComponent") in found


def test_concise_input_is_normalized_first(validator: ShaclValidator) -> None:
    """Concise: no type members; the pointers lead to the input members as given."""
    document = {
        "id": "urn:ngsi-ld:Thing:2",
        "type": "Thing",
        "speed": {"value": 1, "observedAt": "now"},
        "owner": {"object": 5},
        "@context": CORE_V18,
    }
    found = rules_at(findings_of(validator, document))
    assert found == {
        ("/speed/observedAt", "shacl/sh:PatternConstraintComponent"),
        ("/owner/object", "shacl/sh:NodeKindConstraintComponent"),
    }
