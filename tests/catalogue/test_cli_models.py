"""``mim models list`` and ``mim models show``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mim_suite.cli import app

from .helpers import thing_schema, write_model


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["models", *args])
    return result.exit_code, result.stdout, result.stderr


def test_list_json_has_every_model_with_origin(models_dir: Path) -> None:
    write_model(models_dir, "Thing", thing_schema(), example={"id": "urn:x", "type": "Thing"})
    code, out, _ = invoke("list", "--format", "json")
    assert code == 0
    rows = {r["type"]: r for r in json.loads(out)}
    assert len(rows) == 88
    assert rows["Alert"] == {"type": "Alert", "domain": "Alert", "examples": 4, "origin": "bundled"}
    assert rows["Thing"] == {"type": "Thing", "domain": "user", "examples": 1, "origin": "user"}


def test_list_table_by_domain() -> None:
    code, out, _ = invoke("list", "--domain", "Parking")
    assert code == 0
    assert "5 data models" in out
    assert "OffStreetParking" in out and "CityWork" not in out


def test_show_json() -> None:
    code, out, _ = invoke("show", "OffStreetParking", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["required"] == ["id", "type", "location"]
    assert shown["context_url"] == (
        "https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld"
    )
    attributes = {a["name"]: a for a in shown["attributes"]}
    assert attributes["totalSpotNumber"]["type"] == "integer"
    assert attributes["location"]["required"] is True
    assert attributes["dateCreated"]["description"].startswith("Property. Entity creation")


def test_show_table() -> None:
    code, out, _ = invoke("show", "GtfsStation")
    assert code == 0
    assert "required: id, type, name, location, hasStop" in out
    assert "schema $id: https://smart-data-models.github.io/dataModel.UrbanMobility/" in out


def test_show_unknown_type_exits_2_with_suggestions() -> None:
    code, _, err = invoke("show", "OffstreetParking")
    assert code == 2
    assert "did you mean OffStreetParking" in err


def test_bad_format_is_a_usage_error() -> None:
    code, _, err = invoke("list", "--format", "xml")
    assert code == 2
    assert "--format must be table or json" in err
