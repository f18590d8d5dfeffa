"""Helpers for the SHACL tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from mim_suite.catalogue import Catalogue
from mim_suite.validation.findings import EntityInput, Finding
from mim_suite.validation.representation import detect_representation
from mim_suite.validation.shacl import ShaclValidator

CORE_V18 = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
CORE_UNVERSIONED = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"


def entity_input(document: Any, file: str = "test.jsonld", index: int = 0) -> EntityInput:
    return EntityInput(file, index, document, detect_representation(document))


def findings_of(validator: ShaclValidator, document: Any) -> list[Finding]:
    """The SHACL findings for one entity."""
    item = entity_input(document)
    return validator.validate([item])[(item.file, item.index)]


def example(catalogue: Catalogue, type_name: str, name: str) -> dict[str, Any]:
    """A fresh copy of one of a model's official examples."""
    model = catalogue.model(type_name)
    path = next(p for p in model.examples if p.name == name)
    return copy.deepcopy(json.loads(Path(path).read_text(encoding="utf-8")))


def rules_at(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.pointer, f.rule) for f in findings}
