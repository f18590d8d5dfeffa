"""The catalogue lint: each rule on a small schema, the bundled catalogue, the docs summary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mim_suite.catalogue import Catalogue
from mim_suite.catalogue.lint import RULES, Defect, lint, summary_markdown
from mim_suite.catalogue.lint_rules import Hit, dialect_rule, format_rules, keyword_rules
from mim_suite.cli import app

from .helpers import thing_schema, write_model

ROOT = Path(__file__).resolve().parents[2]


def hits(found: Iterable[Hit]) -> set[tuple[str, str]]:
    return {(pointer, rule) for pointer, rule, _, _ in found}


def test_a_planted_minvalue_is_found_at_its_pointer(models_dir: Path) -> None:
    schema = thing_schema(level={"type": "number", "minvalue": 0, "maxvalue": 9})
    write_model(models_dir, "Thing", schema)
    defects = lint(Catalogue.load(models_dir), ["Thing"])
    unknown = [d for d in defects if d.rule == "keyword/unknown"]
    assert [(d.pointer, d.severity) for d in unknown] == [
        ("/allOf/1/properties/level/minvalue", "warning"),
        ("/allOf/1/properties/level/maxvalue", "warning"),
    ]
    assert "did you mean 'minimum'" in unknown[0].message
    assert {d.model for d in defects} == {"Thing"}


def test_the_city_work_example_defect_is_an_error() -> None:
    defects = lint(Catalogue.bundled(), ["CityWork"])
    errors = [d for d in defects if d.severity == "error"]
    assert {(d.rule, d.file, d.pointer) for d in errors} == {
        ("example/invalid", "Transportation/CityWork/examples/example.json", p)
        for p in ("/derogation/0/endDate", "/workDisposition/1/endDate")
    }
    assert "'2020-05-15T23:30:00' is not a 'date-time'" in " ".join(e.message for e in errors)


def test_an_example_that_is_not_a_uri_is_a_warning() -> None:
    defects = lint(Catalogue.bundled(), ["RestrictedTrafficArea"])
    found = [d for d in defects if d.rule == "example/format-uri"]
    assert [(d.pointer, d.severity) for d in found] == [("/regulation", "warning")]


def test_an_unresolved_ref_is_an_error(models_dir: Path) -> None:
    schema = thing_schema(location={"$ref": "https://geojson.org/schema/Point.json"})
    write_model(models_dir, "Thing", schema)
    defects = lint(Catalogue.load(models_dir), ["Thing"])
    found = [d for d in defects if d.rule == "ref/unresolved"]
    assert [(d.pointer, d.severity) for d in found] == [
        ("/allOf/1/properties/location/$ref", "error")
    ]
    assert "not in the offline schema catalogue" in found[0].message


def test_unknown_dialect_and_extensions() -> None:
    schema: dict[str, Any] = {"$schema": "http://json-schema.org/schema#", "modelTags": ""}
    assert hits(dialect_rule(schema)) == {("/$schema", "schema/unknown-dialect")}
    assert list(dialect_rule({"$schema": "http://json-schema.org/draft-07/schema#"})) == []
    schema["properties"] = {"a": {"x-ngsi": {}, "$comment": "ok"}, "b": {"x-ngsi": {}}}
    found = list(keyword_rules(schema))
    assert hits(found) == {
        ("/modelTags", "keyword/extension"),
        ("/properties/a/x-ngsi", "keyword/extension"),
    }
    assert all(severity == "info" for *_, severity in found)
    assert "(2 uses)" in found[1][2]


def test_a_property_beside_properties_and_dependencies_are_unknown_keywords() -> None:
    schema = {"properties": {"a/b": {"type": "string", "dependencies": {}}}, "speed": {}}
    assert hits(keyword_rules(schema)) == {
        ("/properties/a~1b/dependencies", "keyword/unknown"),
        ("/speed", "keyword/unknown"),
    }


@pytest.mark.parametrize(
    ("node", "rule"),
    [
        ({"description": "Model:'https://schema.org/DateTime'"}, "format/datetime-description"),
        ({"description": "Timestamp of it", "format": "date"}, "format/datetime-description"),
        ({"description": "Model:'https://schema.org/Date'"}, "format/date-description"),
        ({"description": "URL of the fares page"}, "format/uri-description"),
        ({"description": "Model:'https://schema.org/URL'"}, "format/uri-description"),
        ({"description": "Seconds since epoch", "format": "date-time"}, "format/epoch-description"),
    ],
)
def test_format_description_contradictions(node: dict[str, Any], rule: str) -> None:
    schema = {"properties": {"p": {"type": "string", **node}}}
    assert hits(format_rules(schema)) == {("/properties/p", rule)}


@pytest.mark.parametrize(
    "node",
    [
        {
            "type": "string",
            "format": "date-time",
            "description": "Model:'https://schema.org/DateTime'",
        },
        {"type": "string", "format": "date", "description": "Model:'https://schema.org/Date'"},
        {"type": "string", "format": "uri", "description": "A URL; its date-time of creation"},
        {"type": "number", "description": "Timestamp in seconds since epoch"},
        {"type": "string", "description": "Model:'https://schema.org/Text'. A name"},
    ],
)
def test_consistent_descriptions_are_not_reported(node: dict[str, Any]) -> None:
    assert list(format_rules({"properties": {"p": node}})) == []


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule}` | {RULES[rule][0]} |" in text, rule


def _section(text: str) -> str:
    match = re.search(r"<!-- lint-summary:start -->\n(.*)<!-- lint-summary:end -->", text, re.S)
    assert match is not None
    return match.group(1)


def test_docs_models_md_summary_is_current() -> None:
    text = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")
    expected = summary_markdown(lint(Catalogue.bundled()))
    assert _section(text) == expected, (
        "replace the lint-summary section of docs/models.md with the output of "
        "`.venv/bin/mim models lint --bundled-only --format md`"
    )


def test_lint_command_exit_codes_and_json(models_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["models", "lint", "--bundled-only", "--format", "json"])
    assert result.exit_code == 1  # the CityWork example
    defects = [Defect(**d) for d in json.loads(result.stdout)]
    assert {d.severity for d in defects} == {"error", "warning", "info"}
    result = runner.invoke(app, ["models", "lint", "Store", "ParkingAccess"])
    assert result.exit_code == 0, result.stdout
    assert "0 errors" in result.stdout
    result = runner.invoke(app, ["models", "lint", "NoSuchModel"])
    assert result.exit_code == 2
    assert "no data model for entity type 'NoSuchModel'" in result.stderr


def test_a_pointer_to_nowhere_is_an_unresolved_ref(models_dir: Path) -> None:
    common = "https://smart-data-models.github.io/data-models/common-schema.json"
    schema = thing_schema(place={"$ref": f"{common}#/definitions/Nowhere"})
    write_model(models_dir, "Thing", schema)
    found = [d for d in lint(Catalogue.load(models_dir), ["Thing"]) if d.rule == "ref/unresolved"]
    assert [d.pointer for d in found] == ["/allOf/1/properties/place/$ref"]
    assert "'/definitions/Nowhere' does not exist" in found[0].message
    assert len(found[0].message) < 200
