"""SHACL findings merged into the reports, and disagreements between the two pipelines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mim_suite.catalogue import Catalogue
from mim_suite.validation import (
    EntityInput,
    Finding,
    Severity,
    detect_representation,
    read_inputs,
    validate_entities,
)

from .helpers import SDM, example

VALID = example("Parking/ParkingAccess")


class FakeShacl:
    """Says every entity whose id ends with ``!`` is invalid; records its batches."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def validate(self, inputs: Sequence[EntityInput]) -> dict[tuple[str, int], list[Finding]]:
        self.batches.append(len(inputs))
        out: dict[tuple[str, int], list[Finding]] = {}
        for entity in inputs:
            if str(entity.document.get("id", "")).endswith("!"):
                finding = Finding(
                    entity.document["id"],
                    "/name",
                    "shacl/sh:DatatypeConstraintComponent",
                    "not a string",
                    Severity.ERROR,
                    "shacl",
                )
                out[(entity.file, entity.index)] = [finding]
        return out


def inputs(*documents: Any) -> list[EntityInput]:
    return [EntityInput("x.json", i, d, detect_representation(d)) for i, d in enumerate(documents)]


def run(catalogue: Catalogue, fake: FakeShacl, *documents: Any, **options: Any) -> list[Any]:
    return list(
        validate_entities(
            inputs(*documents), catalogue, shacl=True, shacl_validator=fake, **options
        )
    )


def test_agreement_adds_nothing(catalogue: Catalogue) -> None:
    (report,) = run(catalogue, FakeShacl(), VALID)
    assert report.valid and report.findings == ()


def test_shacl_error_only_is_a_disagreement(catalogue: Catalogue) -> None:
    document = {**VALID, "id": VALID["id"] + "!"}
    (report,) = run(catalogue, FakeShacl(), document)
    assert not report.valid
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("shacl/sh:DatatypeConstraintComponent", Severity.ERROR),
        ("disagreement/jsonschema-vs-shacl", Severity.WARNING),
    ]


def test_json_schema_error_only_is_a_disagreement(catalogue: Catalogue) -> None:
    document = {**VALID, "name": 5}
    (report,) = run(catalogue, FakeShacl(), document)
    assert [f.rule for f in report.findings] == [
        "jsonschema/type",
        "disagreement/jsonschema-vs-shacl",
    ]
    assert "SHACL finds none" in report.findings[-1].message


def test_both_invalid_is_no_disagreement(catalogue: Catalogue) -> None:
    document = {**VALID, "id": VALID["id"] + "!", "name": 5}
    (report,) = run(catalogue, FakeShacl(), document)
    assert "disagreement/jsonschema-vs-shacl" not in {f.rule for f in report.findings}


def test_entities_go_to_shacl_in_batches(catalogue: Catalogue) -> None:
    fake = FakeShacl()
    reports = run(catalogue, fake, *[VALID] * 5, batch_size=2)
    assert fake.batches == [2, 2, 1]
    assert [r.index for r in reports] == [0, 1, 2, 3, 4]


def test_feature_findings_point_into_the_feature(catalogue: Catalogue) -> None:
    path = SDM / "Alert/Alert/examples/example-geojsonfeature.json"
    (report,) = validate_entities(read_inputs([str(path)]).entities, catalogue)
    assert {f.pointer for f in report.findings} == {
        "/properties/createdAt",
        "/properties/modifiedAt",
    }


def test_real_shacl_validator_agrees_on_official_examples(catalogue: Catalogue) -> None:
    folder = SDM / "Parking/ParkingAccess/examples"
    paths = [str(folder / "example.json"), str(folder / "example-normalized.jsonld")]
    reports = list(validate_entities(read_inputs(paths).entities, catalogue, shacl=True))
    assert [r.valid for r in reports] == [True, True]
    assert all(not r.findings for r in reports)
