"""Reading entities: JSON objects and arrays, JSON-LD, NDJSON, directories, stdin, GeoJSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from mim_suite.validation import read_inputs

from .helpers import SDM

URN = "urn:ngsi-ld:Thing:"


def thing(n: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"{URN}{n}", "type": "Thing", **extra}


def write(path: Path, content: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_object_and_array(tmp_path: Path) -> None:
    one = write(tmp_path / "one.json", thing(1))
    many = write(tmp_path / "many.json", [thing(2), thing(3, speed=1)])
    read = read_inputs([one, many])
    assert not read.errors
    assert [(e.file, e.index, e.document["id"]) for e in read.entities] == [
        (one, 0, f"{URN}1"),
        (many, 0, f"{URN}2"),
        (many, 1, f"{URN}3"),
    ]


def test_json_ld_keeps_context(tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonld", {**thing(1), "@context": "https://x.org/c.jsonld"})
    (entity,) = read_inputs([path]).entities
    assert entity.document["@context"] == "https://x.org/c.jsonld"
    assert entity.representation == "normalized"


def test_ndjson_bad_line_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    lines = [json.dumps(thing(1)), "", "{not json", json.dumps(thing(4)), "[1]"]
    path = write(tmp_path / "e.ndjson", "\n".join(lines) + "\n")
    read = read_inputs([path])
    assert [(e.index, e.document["id"]) for e in read.entities] == [(0, f"{URN}1"), (3, f"{URN}4")]
    assert [(e.file, e.line) for e in read.errors] == [(path, 3), (path, 5)]
    assert "not JSON" in str(read.errors[0]) and f"{path}:3" in str(read.errors[0])


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "z.json", thing(3))
    write(tmp_path / "a.jsonld", thing(1))
    write(tmp_path / "b" / "a.ndjson", json.dumps(thing(2)))
    write(tmp_path / "notes.txt", "not an entity")
    read = read_inputs([str(tmp_path)])
    assert [e.document["id"] for e in read.entities] == [f"{URN}1", f"{URN}2", f"{URN}3"]
    assert read.entities[1].file == str(tmp_path / "b" / "a.ndjson")


def test_stdin_json_and_ndjson() -> None:
    read = read_inputs(["-"], stdin=io.BytesIO(json.dumps([thing(1), thing(2)]).encode()))
    assert [(e.file, e.index) for e in read.entities] == [("-", 0), ("-", 1)]
    data = (json.dumps(thing(1)) + "\n" + json.dumps(thing(2)) + "\n").encode()
    read = read_inputs(["-"], stdin=io.BytesIO(data))
    assert [(e.file, e.index) for e in read.entities] == [("-", 0), ("-", 1)]


def test_unreadable_inputs(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", "{")
    scalar = write(tmp_path / "scalar.json", "42")
    missing = str(tmp_path / "missing.json")
    read = read_inputs([bad, scalar, missing])
    assert read.entities == []
    assert [e.file for e in read.errors] == [bad, scalar, missing]
    assert "No such file" in read.errors[2].message


def test_array_items_that_are_not_objects_are_entities_to_reject(tmp_path: Path) -> None:
    path = write(tmp_path / "e.json", [thing(1), 5])
    read = read_inputs([path])
    assert [e.representation for e in read.entities] == ["normalized", "unknown"]


def test_geojson_feature_becomes_its_entity() -> None:
    path = SDM / "Alert/Alert/examples/example-geojsonfeature.json"
    (entity,) = read_inputs([str(path)]).entities
    assert entity.feature
    assert entity.document["id"] == "urn:ngsi-ld:Alert:Alert:1"
    assert entity.document["type"] == "Alert"
    assert entity.document["category"] == {"type": "Property", "value": "traffic"}
    assert entity.representation == "normalized"


def test_feature_collection(tmp_path: Path) -> None:
    feature = {"type": "Feature", "id": f"{URN}1", "geometry": None, "properties": {"type": "T"}}
    path = write(tmp_path / "fc.json", {"type": "FeatureCollection", "features": [feature] * 2})
    read = read_inputs([path])
    assert [(e.index, e.feature, e.document) for e in read.entities] == [
        (0, True, {"id": f"{URN}1", "type": "T"}),
        (1, True, {"id": f"{URN}1", "type": "T"}),
    ]
