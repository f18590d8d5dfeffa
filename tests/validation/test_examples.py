"""Verdicts on the official Smart Data Models examples bundled with the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from mim_suite.catalogue import Catalogue
from mim_suite.validation import read_inputs, validate_entities

from .helpers import SDM, errors, example, label, load, validate_one
from .official_verdicts import EXPECTED_ERRORS

ALL_EXAMPLES = sorted(SDM.glob("*/*/examples/*.json*"))
KEY_VALUES = [p for p in ALL_EXAMPLES if "normalized" not in p.name and "geojson" not in p.name]


def test_every_example_is_read() -> None:
    read = read_inputs([str(p) for p in ALL_EXAMPLES])
    assert not read.errors
    assert len(read.entities) == len(ALL_EXAMPLES) == 182


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=label)
def test_official_example_verdict(catalogue: Catalogue, path: Path) -> None:
    """Valid unless the table lists its upstream defects, and then exactly those."""
    read = read_inputs([str(path)])
    (report,) = validate_entities(read.entities, catalogue)
    expected = EXPECTED_ERRORS.get(label(path), set())
    assert errors(report) == expected
    assert report.valid is not expected


@pytest.mark.parametrize("path", KEY_VALUES, ids=label)
def test_example_valid_per_its_schema_has_no_schema_finding(
    catalogue: Catalogue, path: Path
) -> None:
    """jsonschema's own verdict on the example decides whether we report schema errors."""
    document = load(path)
    model = catalogue.model(document["type"])
    schema_valid = catalogue.validator(model).is_valid(
        {k: v for k, v in document.items() if k != "@context"}
    )
    report = validate_one(catalogue, document)
    schema_errors = [f for f in report.findings if f.source == "jsonschema"]
    assert (not schema_errors) is schema_valid
    if schema_valid:
        assert all(rule.startswith("ngsi-ld/") for rule, _ in errors(report))


def test_known_bad_citywork_fails_at_its_pointers(catalogue: Catalogue) -> None:
    report = validate_one(catalogue, example("Transportation/CityWork"))
    assert not report.valid
    assert errors(report) == {
        ("jsonschema/format", "/workDisposition/1/endDate"),
        ("jsonschema/format", "/derogation/0/endDate"),
    }
    messages = {f.pointer: f.message for f in report.findings}
    assert "'2020-05-15T23:30:00' is not a 'date-time'" in messages["/derogation/0/endDate"]


def test_citywork_normalized_reports_input_pointers(catalogue: Catalogue) -> None:
    """The same defect in the NGSI v2 normalized example points below ``value``."""
    document = example("Transportation/CityWork", "example-normalized.json")
    found = errors(validate_one(catalogue, document))
    assert ("jsonschema/format", "/derogation/value/0/endDate") in found
    assert ("jsonschema/format", "/workDisposition/value/1/endDate") in found
