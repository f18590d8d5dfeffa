"""One-defect variants of official examples fail at the right pointer of the input.

Each variant changes one thing in a valid keyValues example - a wrong type, a missing
required property, a bad enum value, a bad date-time, a relationship object that is not a
URI, an invalid GeoJSON position, a bad ``observedAt`` - and is checked both as keyValues
and as NGSI-LD normalized (built here from the keyValues form), where the pointer lies below
the attribute's ``value`` or ``object``.
"""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.catalogue import Catalogue

from .helpers import errors, example, to_normalized, validate_one

# model directory -> (number attribute, enum attribute, date-time attribute, required attribute)
MODELS: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    "Agrifood/AgriParcel": ("area", "cropStatus", "dateCreated", "hasAgriCrop"),
    "Alert/Alert": (None, "category", "dateIssued", "alertSource"),
    "Energy/ACMeasurement": ("frequency", "phaseType", "dateObserved", "phaseType"),
    "Environment/AeroAllergenObserved": (None, "allergenRisk", "dateObserved", "dateObserved"),
    "Building/VibrationsObserved": ("accelerationMeasured", None, "dateObserved", "dateObserved"),
    "Transportation/CrowdFlowObserved": (
        "averageHeadwayTime",
        "direction",
        "dateObservedFrom",
        "dateObserved",
    ),
    "Transportation/TrafficViolation": ("amountCollected", "paymentStatus", None, None),
    "UrbanMobility/ArrivalEstimation": ("remainingDistance", None, None, "headSign"),
    "Device/DeviceOperation": (None, "operationType", "plannedStartAt", None),
    "WaterQuality/WaterQualityPredicted": (
        None,
        "waterQualityPredictionValue",
        "dateCreated",
        "waterQualityPredictionValue",
    ),
    "PointOfInterest/Store": (None, None, None, "name"),
}
RELATIONSHIPS = {
    "Agrifood/AgriParcel": "hasAgriCrop",
    "Parking/ParkingAccess": "refOffStreetParking",
    "UrbanMobility/GtfsStopTime": "hasStop",
}
GEOLOCATED = [
    "Agrifood/AgriParcel",
    "Parking/ParkingAccess",
    "Alert/Alert",
    "PointOfInterest/Store",
]


def base(model_dir: str) -> dict[str, Any]:
    """The official keyValues example with a URI id (some upstream ids are not URIs)."""
    document: dict[str, Any] = example(model_dir)
    document["id"] = f"urn:ngsi-ld:{document['type']}:defect-test"
    return document


def _defects() -> list[Any]:
    """pytest params: (base example, attribute, expected rule, defect kind)."""
    cases = []
    for model_dir, attributes in MODELS.items():
        for name, (rule, kind) in zip(attributes, _KINDS, strict=True):
            if name is not None:
                case = (base(model_dir), name, rule, kind)
                cases.append(pytest.param(*case, id=f"{model_dir}:{kind}"))
    return cases


_KINDS = [
    ("jsonschema/type", "type"),
    ("jsonschema/enum", "enum"),
    ("jsonschema/format", "format"),
    ("jsonschema/required", "drop"),
]
BAD_VALUES = {"type": "fast", "enum": "not-in-the-enum", "format": "2024-05-01 10:00"}


@pytest.mark.parametrize(("document", "name", "rule", "kind"), _defects())
def test_schema_defect_key_values_and_normalized(
    catalogue: Catalogue, document: dict[str, Any], name: str, rule: str, kind: str
) -> None:
    assert validate_one(catalogue, document).valid, "the base example must be valid"
    if kind == "drop":
        del document[name]
        expected_kv, expected_normalized = ("", "")
    else:
        document[name] = BAD_VALUES[kind]
        expected_kv, expected_normalized = (f"/{name}", f"/{name}/value")
    report = validate_one(catalogue, document)
    assert not report.valid
    assert (rule, expected_kv) in errors(report)

    normalized = to_normalized(document)
    report = validate_one(catalogue, normalized)
    assert not report.valid
    assert (rule, expected_normalized) in errors(report)
    assert {f.source for f in report.findings} == {"jsonschema"}


@pytest.mark.parametrize(("model_dir", "name"), sorted(RELATIONSHIPS.items()))
def test_relationship_object_not_a_uri(catalogue: Catalogue, model_dir: str, name: str) -> None:
    document = base(model_dir)
    normalized = to_normalized(document)
    assert normalized[name]["type"] == "Relationship"
    normalized[name]["object"] = "not a uri"
    found = errors(validate_one(catalogue, normalized))
    assert ("ngsi-ld/relationship-object-uri", f"/{name}/object") in found
    assert all(pointer == f"/{name}/object" for _, pointer in found)

    # In keyValues a relationship is a bare string: only the model's schema could say it
    # must be a URI, and the catalogue does not assert ``format: uri`` (docs/validate.md).
    document[name] = "not a uri"
    assert validate_one(catalogue, document).valid


@pytest.mark.parametrize("model_dir", GEOLOCATED)
def test_invalid_geojson_position(catalogue: Catalogue, model_dir: str) -> None:
    document = base(model_dir)
    document["location"] = {"type": "Point", "coordinates": [200.0, 45.0]}
    found = errors(validate_one(catalogue, document))
    assert ("ngsi-ld/geojson-range", "/location/coordinates/0") in found
    found = errors(validate_one(catalogue, to_normalized(document)))
    assert ("ngsi-ld/geojson-range", "/location/value/coordinates/0") in found


@pytest.mark.parametrize("model_dir", sorted(MODELS))
def test_bad_observed_at(catalogue: Catalogue, model_dir: str) -> None:
    normalized = to_normalized(base(model_dir))
    name = next(k for k, v in normalized.items() if isinstance(v, dict) and "value" in v)
    normalized[name]["observedAt"] = "2024-05-01T10:00:00+02:00"
    report = validate_one(catalogue, normalized)
    assert errors(report) == {("ngsi-ld/datetime", f"/{name}/observedAt")}


@pytest.mark.parametrize("model_dir", sorted(MODELS))
def test_multi_instance_and_concise_forms_stay_valid(catalogue: Catalogue, model_dir: str) -> None:
    document = base(model_dir)
    report = validate_one(catalogue, to_normalized(document, with_dataset=True))
    assert report.valid
    assert {f.rule for f in report.findings} == {"projection/multi-instance"}
