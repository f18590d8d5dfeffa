"""``mim validate``: exit codes, the three output formats, options."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from mim_suite.cli import app
from mim_suite.resources import bundled_dir

from .helpers import SDM

VALID = str(SDM / "Parking/ParkingAccess/examples/example.json")
CITYWORK = str(SDM / "Transportation/CityWork/examples/example.json")
REPORT_SCHEMA = json.loads((bundled_dir("schemas") / "validate-report.schema.json").read_text())


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args], input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report(*args: str, stdin: str | None = None) -> tuple[int, dict[str, Any]]:
    code, out, _ = invoke(*args, "--format", "json", stdin=stdin)
    document = json.loads(out)
    Draft202012Validator(REPORT_SCHEMA).validate(document)
    return code, document


def test_valid_entity_exits_0_with_a_summary() -> None:
    code, out, _ = invoke(VALID)
    assert code == 0
    assert "1 entities: 1 valid, 0 invalid" in out


def test_invalid_entity_exits_1_and_the_table_names_the_pointer() -> None:
    code, out, _ = invoke(CITYWORK)
    assert code == 1
    assert "/derogation/0/endDate" in out and "jsonschema/format" in out


def test_json_report_validates_against_its_schema() -> None:
    code, document = report(VALID, CITYWORK)
    assert code == 1
    assert document["summary"] == {
        "entities": 2,
        "valid": 1,
        "invalid": 1,
        "errors": 2,
        "warnings": 0,
        "infos": 0,
        "input_errors": 0,
    }
    first, second = document["entities"]
    assert (first["file"], first["index"], first["valid"]) == (VALID, 0, True)
    assert {f["pointer"] for f in second["findings"]} == {
        "/workDisposition/1/endDate",
        "/derogation/0/endDate",
    }


def test_every_official_example_gives_a_schema_valid_report() -> None:
    code, document = report(str(SDM))
    assert code == 1  # schema and index files under sdm/ are JSON but not entities
    assert document["summary"]["entities"] > 300


def test_junit_is_xml_with_one_testcase_per_entity() -> None:
    code, out, _ = invoke(VALID, CITYWORK, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 2
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and "/derogation/0/endDate" in (failure.text or "")
    assert root.get("failures") == "1"


def test_unreadable_input_exits_2_but_validates_the_rest(tmp_path: Path) -> None:
    ndjson = tmp_path / "e.ndjson"
    entity = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}
    ndjson.write_text(json.dumps(entity) + "\n{oops\n", encoding="utf-8")
    code, document = report(str(ndjson), str(tmp_path / "missing.json"))
    assert code == 2
    assert document["summary"]["entities"] == 1
    assert [(e["file"], e["line"]) for e in document["input_errors"]] == [
        (str(ndjson), 2),
        (str(tmp_path / "missing.json"), None),
    ]
    _, _, err = invoke(str(ndjson))
    assert f"{ndjson}:2" in err


def test_stdin() -> None:
    entity = {
        "id": "urn:ngsi-ld:ParkingAccess:1",
        "type": "ParkingAccess",
        "name": 5,
        "location": {"type": "Point", "coordinates": [1, 2]},
    }
    code, document = report("-", stdin=json.dumps(entity))
    assert code == 1
    (record,) = document["entities"]
    assert record["file"] == "-"
    assert [f["pointer"] for f in record["findings"]] == ["/name"]


def test_unknown_type_is_a_warning_not_an_error() -> None:
    entity = {"id": "urn:ngsi-ld:Nothing:1", "type": "NothingKnown", "a": 1}
    code, document = report("-", stdin=json.dumps(entity))
    assert code == 0
    (finding,) = document["entities"][0]["findings"]
    assert (finding["rule"], finding["severity"]) == ("jsonschema/no-model", "warning")


def test_model_override() -> None:
    entity = {"id": "urn:ngsi-ld:Nothing:1", "type": "NothingKnown", "name": 5}
    code, document = report("--model", "ParkingAccess", "-", stdin=json.dumps(entity))
    assert code == 1
    rules = {f["rule"] for f in document["entities"][0]["findings"]}
    assert "jsonschema/type" in rules and "jsonschema/enum" in rules


def test_unknown_model_exits_2_with_suggestions() -> None:
    code, _, err = invoke("--model", "ParkingAcess", VALID)
    assert code == 2
    assert "ParkingAccess" in err


def test_schema_override_resolves_catalogue_refs(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [
            {
                "$ref": "https://smart-data-models.github.io/data-models/common-schema.json#/definitions/GSMA-Commons"
            },
            {"properties": {"level": {"type": "integer", "maximum": 3}}, "required": ["level"]},
        ],
    }
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    entities = [
        {"id": "urn:ngsi-ld:T:1", "type": "T", "level": 2},
        {"id": "urn:ngsi-ld:T:2", "type": "T", "level": 9, "name": 1},
    ]
    code, document = report("--schema", str(path), "-", stdin=json.dumps(entities))
    assert code == 1
    assert [e["valid"] for e in document["entities"]] == [True, False]
    found = {(f["rule"], f["pointer"]) for f in document["entities"][1]["findings"]}
    assert found == {("jsonschema/maximum", "/level"), ("jsonschema/type", "/name")}


def test_schema_with_unresolvable_ref_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"$ref": "https://example.org/elsewhere.json"}), encoding="utf-8")
    code, _, err = invoke("--schema", str(path), VALID)
    assert code == 2
    assert "https://example.org/elsewhere.json" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke("--format", "yaml", VALID)[0] == 2
    assert invoke("--model", "ParkingAccess", "--schema", VALID, VALID)[0] == 2
    assert invoke("--schema", str(tmp_path / "none.json"), VALID)[0] == 2
    assert invoke()[0] == 2


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.xml"
    code, out, err = invoke(VALID, "--format", "junit", "--output", str(target))
    assert code == 0 and out == ""
    assert ET.fromstring(target.read_text(encoding="utf-8").split("\n", 1)[1]).tag == "testsuites"
    assert "report written to" in err
    table = tmp_path / "table.txt"
    assert invoke(CITYWORK, "--output", str(table))[0] == 1
    assert "jsonschema/format" in table.read_text(encoding="utf-8")
