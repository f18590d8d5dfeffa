"""The user catalogue directory: extra models, overrides, caching."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from mim_suite.catalogue import Catalogue, default_user_dir

from .helpers import thing_schema, write_model

CONTEXT = {"@context": {"Thing": "https://example.org/Thing"}}


def test_a_user_model_is_found_with_its_context_and_examples(models_dir: Path) -> None:
    example: dict[str, Any] = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "speed": 3}
    write_model(models_dir, "Thing", thing_schema(), context=CONTEXT, example=example)
    catalogue = Catalogue.load(models_dir)
    model = catalogue.model("Thing")
    assert model.origin == "user"
    assert model.domain == "user"
    assert model.schema_id == "https://example.org/models/Thing/schema.json"
    assert model.context_path == models_dir / "Thing" / "context.jsonld"
    assert [p.name for p in model.examples] == ["example.json"]
    assert catalogue.validator(model).is_valid(example)
    assert not catalogue.validator(model).is_valid({**example, "speed": -1})
    assert catalogue.contexts()[model.context_path.resolve().as_uri()] == CONTEXT
    assert len(catalogue.models()) == 88


def test_a_user_model_overrides_the_bundled_one_with_a_warning(
    models_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    schema = thing_schema("OffStreetParking")
    schema["$id"] = "https://smart-data-models.github.io/dataModel.Parking/Mine/schema.json"
    write_model(models_dir, "OffStreetParking", schema)
    with caplog.at_level(logging.WARNING, logger="mim_suite.catalogue"):
        catalogue = Catalogue.load(models_dir)
    model = catalogue.model("OffStreetParking")
    assert (model.origin, model.domain) == ("user", "Parking")
    assert "overrides the bundled one" in caplog.text
    assert len(catalogue.models()) == 87
    # The bundled schema stays reachable for schemas that $ref it.
    bundled = Catalogue.bundled().model("OffStreetParking")
    assert catalogue.registry.resolver().lookup(bundled.schema_id).contents["title"]


def test_a_type_declared_by_the_schema_finds_the_model(models_dir: Path) -> None:
    write_model(models_dir, "my-thing", thing_schema("Gadget"))
    catalogue = Catalogue.load(models_dir)
    assert catalogue.model("Gadget").type == "my-thing"


def test_a_schema_without_id_is_known_by_its_file_uri(models_dir: Path) -> None:
    schema = thing_schema()
    del schema["$id"]
    path = write_model(models_dir, "Thing", schema)
    model = Catalogue.load(models_dir).model("Thing")
    assert model.schema_id == path.resolve().as_uri()


def test_load_is_cached_until_the_user_directory_changes(models_dir: Path) -> None:
    first = Catalogue.load(models_dir)
    assert Catalogue.load(models_dir) is first
    assert Catalogue.load() is first  # $MIM_MODELS_DIR
    write_model(models_dir, "Thing", thing_schema())
    second = Catalogue.load(models_dir)
    assert second is not first
    assert second.find("Thing") is not None


def test_default_user_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MIM_MODELS_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_user_dir() == tmp_path / "mim-suite" / "models"
    monkeypatch.setenv("MIM_MODELS_DIR", "/srv/models")
    assert default_user_dir() == Path("/srv/models")


def test_an_unreadable_user_schema_is_skipped_with_a_warning(
    models_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (models_dir / "Broken").mkdir(parents=True)
    (models_dir / "Broken" / "schema.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mim_suite.catalogue"):
        catalogue = Catalogue.load(models_dir)
    assert catalogue.find("Broken") is None
    assert "skipped: not readable JSON" in caplog.text
