"""Shared helpers: the bundled official examples and a one-call validation."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from mim_suite.catalogue import Catalogue
from mim_suite.resources import data_dir
from mim_suite.validation import (
    EntityInput,
    EntityReport,
    detect_representation,
    validate_entities,
)
from mim_suite.validation.values import is_uri

SDM = data_dir("sdm")


def example_paths(name: str) -> list[Path]:
    """Every bundled example file called ``name`` (e.g. ``example.json``), sorted."""
    return sorted(SDM.glob(f"*/*/examples/{name}"))


def label(path: Path) -> str:
    """``Domain/Model/examples/file`` for test ids and tables."""
    return str(path.relative_to(SDM))


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def validate_one(catalogue: Catalogue, document: Any, **options: Any) -> EntityReport:
    entity = EntityInput("test.json", 0, document, detect_representation(document))
    (report,) = validate_entities([entity], catalogue, **options)
    return report


def errors(report: EntityReport) -> set[tuple[str, str]]:
    """(rule, pointer) of each error finding."""
    return {(f.rule, f.pointer) for f in report.findings if f.severity.value == "error"}


def example(model_dir: str, name: str = "example.json") -> Any:
    """A deep copy of one official example, e.g. ``example("Parking/ParkingAccess")``."""
    return copy.deepcopy(load(SDM / model_dir / "examples" / name))


NOT_ATTRIBUTES = ("id", "type", "@context", "scope", "createdAt", "modifiedAt")
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def to_normalized(key_values: dict[str, Any], *, with_dataset: bool = False) -> dict[str, Any]:
    """A hand-built NGSI-LD normalized form of a keyValues entity (independent of ours):
    geometries become GeoProperties, URIs in ``ref*``/``has*`` attributes Relationships."""
    out: dict[str, Any] = {}
    for name, value in key_values.items():
        if name in NOT_ATTRIBUTES:
            out[name] = value
            continue
        if isinstance(value, dict) and value.get("type") in GEOMETRIES:
            instance = {"type": "GeoProperty", "value": value}
        elif name.startswith(("ref", "has")) and is_uri(value):
            instance = {"type": "Relationship", "object": value}
        else:
            instance = {"type": "Property", "value": value}
        if with_dataset:
            out[name] = [{**instance, "datasetId": "urn:ngsi-ld:Dataset:other"}, instance]
        else:
            out[name] = instance
    return out
