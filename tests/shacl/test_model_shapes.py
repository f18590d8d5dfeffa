"""Shapes generated from real data models catch one-defect variants of official examples."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.catalogue import Catalogue
from mim_suite.validation.findings import Severity
from mim_suite.validation.shacl import ShaclValidator
from tests.shacl.helpers import CORE_UNVERSIONED, example, findings_of, rules_at

NORMALIZED = "example-normalized.jsonld"


@pytest.fixture
def crowd(catalogue: Catalogue) -> dict[str, Any]:
    return example(catalogue, "CrowdFlowObserved", NORMALIZED)


@pytest.fixture
def access(catalogue: Catalogue) -> dict[str, Any]:
    return example(catalogue, "ParkingAccess", NORMALIZED)


def test_the_unchanged_examples_conform(
    validator: ShaclValidator, crowd: dict[str, Any], access: dict[str, Any]
) -> None:
    assert findings_of(validator, crowd) == []
    assert findings_of(validator, access) == []


def test_wrong_datatype(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    crowd["peopleCount"]["value"] = "a hundred"
    findings = findings_of(validator, crowd)
    assert ("/peopleCount/value", "shacl/sh:DatatypeConstraintComponent") in rules_at(findings)
    assert all(f.severity is Severity.ERROR for f in findings)
    assert any("CrowdFlowObserved.peopleCount" in f.message for f in findings)


def test_a_number_where_the_model_says_integer(
    validator: ShaclValidator, crowd: dict[str, Any]
) -> None:
    crowd["peopleCount"]["value"] = 99.5
    found = rules_at(findings_of(validator, crowd))
    assert found == {("/peopleCount/value", "shacl/sh:DatatypeConstraintComponent")}


def test_an_integral_float_is_an_integer(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    """JSON-LD 1.1 section 8.6: 100.0 is xsd:integer, as JSON Schema reads it too."""
    crowd["peopleCount"]["value"] = 100.0
    assert findings_of(validator, crowd) == []


def test_a_string_where_the_model_says_number(
    validator: ShaclValidator, access: dict[str, Any]
) -> None:
    access["width"] = {"type": "Property", "value": "3 m"}
    found = rules_at(findings_of(validator, access))
    assert found == {("/width/value", "shacl/sh:MinInclusiveConstraintComponent")}


def test_enum_violation(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    crowd["direction"]["value"] = "sideways"
    found = rules_at(findings_of(validator, crowd))
    assert found == {("/direction/value", "shacl/sh:InConstraintComponent")}


def test_value_out_of_range(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    crowd["occupancy"] = {"type": "Property", "value": 1.5}
    crowd["peopleCount"]["value"] = -1
    found = rules_at(findings_of(validator, crowd))
    assert found == {
        ("/occupancy/value", "shacl/sh:MaxInclusiveConstraintComponent"),
        ("/peopleCount/value", "shacl/sh:MinInclusiveConstraintComponent"),
    }


def test_missing_required_attribute(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    del crowd["dateObserved"]
    findings = findings_of(validator, crowd)
    assert rules_at(findings) == {("", "shacl/sh:MinCountConstraintComponent")}
    assert "requires the attribute 'dateObserved'" in findings[0].message


def test_relationship_object_must_be_an_entity_uri(
    validator: ShaclValidator, access: dict[str, Any]
) -> None:
    access["refOffStreetParking"]["object"] = 23889
    found = rules_at(findings_of(validator, access))
    assert ("/refOffStreetParking/object", "shacl/sh:OrConstraintComponent") in found


def test_enum_of_a_model_with_relationships(
    validator: ShaclValidator, catalogue: Catalogue
) -> None:
    device = example(catalogue, "DeviceOperation", NORMALIZED)
    assert findings_of(validator, device) == []
    device["operationType"]["value"] = "repair"
    found = rules_at(findings_of(validator, device))
    assert found == {("/operationType/value", "shacl/sh:InConstraintComponent")}


def test_array_values_are_checked_element_by_element(
    validator: ShaclValidator, access: dict[str, Any]
) -> None:
    access["category"]["value"] = ["vehicleEntrance", 7]
    found = rules_at(findings_of(validator, access))
    assert found == {("/category/value", "shacl/sh:OrConstraintComponent")}


def test_datetime_typed_values_are_strings(
    validator: ShaclValidator, crowd: dict[str, Any]
) -> None:
    """An ``@type: DateTime`` value object is a string for the model, as in its schema."""
    crowd["dateObserved"]["value"] = {"@type": "DateTime", "@value": "2018-08-07T11:10:00Z"}
    assert findings_of(validator, crowd) == []


def test_key_values_input(validator: ShaclValidator, catalogue: Catalogue) -> None:
    """keyValues attributes become Properties; pointers name the attribute itself."""
    document = example(catalogue, "CrowdFlowObserved", "example.jsonld")
    document["peopleCount"] = "many"
    found = rules_at(findings_of(validator, document))
    assert ("/peopleCount", "shacl/sh:DatatypeConstraintComponent") in found


def test_concise_input(validator: ShaclValidator, crowd: dict[str, Any]) -> None:
    crowd["peopleCount"] = {"value": -5}
    crowd["direction"] = "sideways"
    found = rules_at(findings_of(validator, crowd))
    assert found == {
        ("/peopleCount/value", "shacl/sh:MinInclusiveConstraintComponent"),
        ("/direction", "shacl/sh:InConstraintComponent"),
    }


def test_plain_json_gets_the_model_context(
    validator: ShaclValidator, crowd: dict[str, Any]
) -> None:
    """Without @context (application/json) the model's domain context is assumed."""
    del crowd["@context"]
    crowd["direction"]["value"] = "sideways"
    found = rules_at(findings_of(validator, crowd))
    assert found == {("/direction/value", "shacl/sh:InConstraintComponent")}


def test_unversioned_core_context_before_the_domain_context(
    validator: ShaclValidator, access: dict[str, Any]
) -> None:
    """The v1.0 core context maps name to ngsi-ld:name; paths list both expansions."""
    access["@context"] = [access["@context"][1], CORE_UNVERSIONED]
    access["name"]["value"] = 12
    found = rules_at(findings_of(validator, access))
    assert found == {("/name/value", "shacl/sh:OrConstraintComponent")}


def test_a_type_outside_the_model_vocabulary_is_reported(
    validator: ShaclValidator, crowd: dict[str, Any]
) -> None:
    crowd["@context"] = ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"]
    findings = findings_of(validator, crowd)
    assert rules_at(findings) == {("/type", "shacl/model-shapes-not-applied")}
    assert findings[0].severity is Severity.WARNING
