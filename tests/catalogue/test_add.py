"""``mim models add``: local paths, URLs through a mock transport, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from mim_suite.catalogue import Catalogue
from mim_suite.catalogue.user import MAX_SCHEMA_BYTES, AddError, fetch, read_source
from mim_suite.cli import app
from mim_suite.cli_models import add_source

from .helpers import thing_schema, write_model

URL = "https://models.example.org/Thing/schema.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def serving(
    body: bytes, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url == URL
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


def test_add_a_schema_file_with_its_sibling_context(tmp_path: Path, models_dir: Path) -> None:
    source = write_model(tmp_path / "src", "Thing", thing_schema(), context={"@context": {}})
    code, _, err = run("models", "add", str(source), "--models-dir", str(models_dir))
    assert code == 0, err
    assert "added Thing" in err
    model = Catalogue.load(models_dir).model("Thing")
    assert model.origin == "user"
    assert model.context_path is not None
    assert model.schema_path.read_bytes() == source.read_bytes()


def test_add_a_model_directory_with_examples(tmp_path: Path, models_dir: Path) -> None:
    example = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}
    source = write_model(tmp_path / "src", "Thing", thing_schema(), example=example)
    add_source(str(source.parent), models_dir, type_name="Widget")
    model = Catalogue.load(models_dir).model("Widget")
    assert [p.name for p in model.examples] == ["example.json"]


def test_add_refuses_unresolved_refs_unless_allowed(tmp_path: Path, models_dir: Path) -> None:
    schema = thing_schema(location={"$ref": "https://geojson.org/schema/Point.json"})
    source = write_model(tmp_path / "src", "Thing", schema)
    code, _, err = run("models", "add", str(source), "--models-dir", str(models_dir))
    assert code == 2
    assert "/allOf/1/properties/location/$ref: https://geojson.org/schema/Point.json" in err
    assert not (models_dir / "Thing").exists()
    code, _, err = run(
        "models", "add", str(source), "--allow-unresolved", "--models-dir", str(models_dir)
    )
    assert code == 0, err
    assert "unresolved $ref" in err


def test_add_refuses_a_document_that_is_not_a_json_schema(tmp_path: Path, models_dir: Path) -> None:
    source = write_model(tmp_path / "src", "Thing", {"type": 12})
    code, _, err = run("models", "add", str(source), "--models-dir", str(models_dir))
    assert code == 2
    assert "is not a valid JSON Schema at $.type: 12 is not valid" in err


def test_add_from_a_url(models_dir: Path) -> None:
    body = json.dumps(thing_schema()).encode()
    add_source(URL, models_dir, transport=serving(body))
    model = Catalogue.load(models_dir).model("Thing")
    assert model.schema_path.read_bytes() == body


def test_a_url_without_declared_type_needs_type(models_dir: Path) -> None:
    body = json.dumps({"type": "object"}).encode()
    with pytest.raises(typer.Exit) as caught:
        add_source(URL, models_dir, transport=serving(body))
    assert caught.value.exit_code == 2
    add_source(URL, models_dir, type_name="Blob", transport=serving(body))
    assert Catalogue.load(models_dir).model("Blob").origin == "user"


@pytest.mark.parametrize(
    ("transport", "message"),
    [
        (serving(b"<html>hello</html>"), "is not JSON"),
        (serving(b"[1, 2]"), "expected an object"),
        (serving(b"{}", status=404), "answered 404"),
        (serving(b"{}", headers={"Content-Length": str(MAX_SCHEMA_BYTES + 1)}), "byte limit"),
    ],
)
def test_fetch_refusals(transport: httpx.MockTransport, message: str) -> None:
    with pytest.raises(AddError, match=message):
        read_source(URL, transport=transport)


def test_an_oversize_streamed_body_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        chunks = (b"x" * 65536 for _ in range(MAX_SCHEMA_BYTES // 65536 + 2))
        return httpx.Response(200, content=chunks)

    with pytest.raises(AddError, match="exceeds the 5242880-byte limit"):
        fetch(URL, transport=httpx.MockTransport(handler))


def test_timeouts_and_other_schemes_are_refused() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(AddError, match="timed out after 10 s"):
        fetch(URL, transport=httpx.MockTransport(slow))
    with pytest.raises(AddError, match="only http and https"):
        fetch("ftp://models.example.org/schema.json")
    with pytest.raises(AddError, match="local path or an http"):
        read_source("file:///etc/passwd")


def test_add_errors_exit_2_with_a_message(tmp_path: Path, models_dir: Path) -> None:
    code, _, err = run(
        "models", "add", str(tmp_path / "nope.json"), "--models-dir", str(models_dir)
    )
    assert code == 2
    assert "no such schema file" in err
