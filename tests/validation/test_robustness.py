"""Whatever the input, validation never crashes and every pointer resolves in the input."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mim_suite.catalogue import Catalogue

from .helpers import example_paths, load, to_normalized, validate_one
from .test_compiled import _mutate

EXAMPLES = [load(p) for p in example_paths("example.json")]


def resolves(document: Any, pointer: str) -> bool:
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


@pytest.mark.parametrize("form", ["keyValues", "normalized"])
def test_mutated_examples(catalogue: Catalogue, form: str) -> None:
    rng = random.Random(form)
    for _ in range(400):
        base = rng.choice(EXAMPLES)
        document = to_normalized(base) if form == "normalized" else base
        mutated = _mutate(document, rng)
        report = validate_one(catalogue, mutated)
        for finding in report.findings:
            assert resolves(mutated, finding.pointer), (finding, mutated)
            assert "\n" not in finding.message


@pytest.mark.parametrize(
    "document",
    [
        None,
        "text",
        [],
        {},
        {"id": None, "type": None},
        {"id": [], "type": {}, "a": {"type": {}, "value": []}},
        {"id": "urn:x:1", "type": "T", "a": [{"type": "Property"}, 5]},
        {"id": "urn:x:1", "type": "T", "a": [{"value": 1, "datasetId": {}}]},
        {"id": "urn:x:1", "type": "T", "a": {"type": "GeoProperty", "value": None}},
        {"id": "urn:x:1", "type": "T", "location": {"type": "Polygon", "coordinates": [[[]]]}},
        {"id": "urn:x:1", "type": "T", "a": {"type": "LanguageProperty", "languageMap": []}},
        {"id": "urn:x:1", "type": "T", "a": {"type": "ListRelationship", "objectList": [{}]}},
        {"id": "urn:x:1", "type": ["ParkingAccess", 5], "a": {"@type": [], "@value": 1}},
    ],
)
def test_odd_documents(catalogue: Catalogue, document: Any) -> None:
    report = validate_one(catalogue, document)
    for finding in report.findings:
        assert resolves(document, finding.pointer)
