"""The checked-in shapes/generated files equal the generator's output; `mim shapes generate`."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from mim_suite.catalogue import Catalogue
from mim_suite.cli import app
from mim_suite.resources import bundled_dir
from mim_suite.shapesgen import check, generate, write


@pytest.fixture(scope="module")
def files(catalogue: Catalogue) -> dict[str, str]:
    return generate(catalogue)


def test_checked_in_files_are_in_sync(files: dict[str, str]) -> None:
    drift = check(bundled_dir("shapes") / "generated", files)
    assert drift == [], "run `mim shapes generate` and commit shapes/generated"


def test_one_file_per_bundled_model(catalogue: Catalogue, files: dict[str, str]) -> None:
    expected = {f"{m.domain}/{m.type}.ttl" for m in catalogue.models()}
    assert set(files) == expected


def test_generation_is_deterministic(catalogue: Catalogue, files: dict[str, str]) -> None:
    assert generate(catalogue) == files


def test_header_names_the_source_and_the_licence(files: dict[str, str]) -> None:
    text = files["Parking/ParkingAccess.ttl"]
    header = text.split("@prefix", 1)[0]
    assert (
        "https://smart-data-models.github.io/dataModel.Parking/ParkingAccess/schema.json" in header
    )
    assert "CC-BY-4.0" in header
    assert "https://smartdatamodels.org" in header
    assert "CC-BY-3.0" in files["WaterDistributionManagementEPANET/Junction.ttl"]


def test_every_file_is_valid_turtle(files: dict[str, str]) -> None:
    for text in files.values():
        Graph().parse(data=text, format="turtle")


def test_write_then_check_detects_drift(tmp_path: Path, files: dict[str, str]) -> None:
    some = dict(sorted(files.items())[:3])
    assert len(write(tmp_path, some)) == 3
    assert write(tmp_path, some) == []
    first = sorted(some)[0]
    (tmp_path / first).write_text("# edited\n", encoding="utf-8")
    (tmp_path / "Extra").mkdir()
    (tmp_path / "Extra" / "Old.ttl").write_text("", encoding="utf-8")
    kinds = {(d.path, d.kind) for d in check(tmp_path, some)}
    assert kinds == {(first, "changed"), ("Extra/Old.ttl", "extra")}
    write(tmp_path, some)
    assert check(tmp_path, some) == []


def test_cli_check_and_generate(tmp_path: Path) -> None:
    runner = CliRunner()
    in_sync = runner.invoke(app, ["shapes", "generate", "--check"])
    assert in_sync.exit_code == 0, in_sync.output
    stale = runner.invoke(app, ["shapes", "generate", "--check", "--out", str(tmp_path)])
    assert stale.exit_code == 1
    assert "missing: Parking/ParkingAccess.ttl" in stale.output
    done = runner.invoke(app, ["shapes", "generate", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "Parking" / "ParkingAccess.ttl").is_file()


def test_cli_out_must_be_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "file.ttl"
    target.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["shapes", "generate", "--out", str(target)])
    assert result.exit_code == 2
