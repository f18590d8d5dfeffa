"""Representation detection, keyValues projection and its pointer map (clause 4.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mim_suite.validation import detect_representation, to_key_values
from mim_suite.validation.pointers import input_pointer

from .helpers import NOT_ATTRIBUTES, example_paths, label, load, to_normalized
from .upstream_pairs import DIFFERS, ONLY_KEY_VALUES, ONLY_NORMALIZED, UPSTREAM_DIFFERENCES

KEY_VALUES_EXAMPLES = example_paths("example.json") + example_paths("example.jsonld")
URN = "urn:ngsi-ld:Thing:1"


def entity(**attributes: Any) -> dict[str, Any]:
    return {"id": URN, "type": "Thing", **attributes}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (entity(a={"type": "Property", "value": 1}), "normalized"),
        (entity(a=[{"type": "Property", "value": 1, "datasetId": "urn:d:1"}]), "normalized"),
        (entity(), "normalized"),
        (entity(a={"type": "Property", "value": 1}, b=2), "concise"),
        (entity(a={"value": 1, "observedAt": "2024-01-01T00:00:00Z"}), "concise"),
        (entity(a={"valueList": [1, 2]}), "concise"),
        (entity(a={"value": 1, "accuracy": {"type": "Property", "value": 0.1}}), "concise"),
        (entity(a=1, b="x", c=[1, 2], d={"streetAddress": "x"}), "keyValues"),
        (entity(a={"value": 1}), "keyValues"),
        (entity(a={"object": "urn:x:1"}), "keyValues"),
        (entity(a={"languageMap": {"en": "x"}}), "keyValues"),
        (entity(a={"type": "Text", "value": "x"}, b={"type": "Number", "value": 2}), "unknown"),
        ([1, 2], "unknown"),
    ],
)
def test_detection(document: Any, expected: str) -> None:
    assert detect_representation(document) == expected


def test_projection_of_every_attribute_type() -> None:
    document = entity(
        **{
            "@context": "https://example.org/context.jsonld",
            "p": {"type": "Property", "value": 5, "unitCode": "KMH"},
            "r": {"type": "Relationship", "object": "urn:x:1"},
            "g": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}},
            "l": {"type": "LanguageProperty", "languageMap": {"en": "x"}},
            "v": {"type": "VocabProperty", "vocab": "green"},
            "lp": {"type": "ListProperty", "valueList": [1, 2]},
            "lr": {"type": "ListRelationship", "objectList": [{"object": "urn:x:2"}]},
            "j": {"type": "JsonProperty", "json": {"any": ["thing"]}},
            "d": {
                "type": "Property",
                "value": {"@type": "DateTime", "@value": "2024-01-01T00:00:00Z"},
            },
        }
    )
    projected, mapping = to_key_values(document, "normalized")
    assert projected == entity(
        p=5,
        r="urn:x:1",
        g={"type": "Point", "coordinates": [1, 2]},
        l={"en": "x"},
        v="green",
        lp=[1, 2],
        lr=["urn:x:2"],
        j={"any": ["thing"]},
        d="2024-01-01T00:00:00Z",
    )
    assert input_pointer(["p"], mapping) == "/p/value"
    assert input_pointer(["g", "coordinates", 0], mapping) == "/g/value/coordinates/0"
    assert input_pointer(["lr", 0], mapping) == "/lr/objectList/0/object"
    assert input_pointer(["d"], mapping) == "/d/value/@value"
    assert input_pointer(["id"], mapping) == "/id"


def test_multi_instance_projects_the_default_instance() -> None:
    instances = [
        {"type": "Property", "value": 1, "datasetId": "urn:d:a"},
        {"type": "Property", "value": 2},
    ]
    projected, mapping = to_key_values(entity(speed=instances), "normalized")
    assert projected["speed"] == 2
    assert input_pointer(["speed"], mapping) == "/speed/1/value"


def test_multi_instance_without_default_projects_the_first() -> None:
    instances = [{"value": 1, "datasetId": "urn:d:a"}, {"value": 2, "datasetId": "urn:d:b"}]
    projected, mapping = to_key_values(entity(speed=instances, other=3), "concise")
    assert projected["speed"] == 1
    assert input_pointer(["speed"], mapping) == "/speed/0/value"


def test_concise_projection_keeps_bare_values() -> None:
    document = entity(a=1, b={"value": {"x": 1}, "observedAt": "2024-01-01T00:00:00Z"})
    projected, mapping = to_key_values(document, "concise")
    assert projected == entity(a=1, b={"x": 1})
    assert input_pointer(["b", "x"], mapping) == "/b/value/x"
    assert input_pointer(["a"], mapping) == "/a"


def test_key_values_projection_drops_context_and_unwraps_value_objects() -> None:
    document = entity(
        **{"@context": "x", "when": {"@type": "DateTime", "@value": "2024-01-01T00:00:00Z"}}
    )
    projected, mapping = to_key_values(document, "keyValues")
    assert projected == entity(when="2024-01-01T00:00:00Z")
    assert input_pointer(["when"], mapping) == "/when/@value"


def test_pointer_tokens_are_escaped() -> None:
    projected, mapping = to_key_values(entity(**{"a/b": {"value": 1, "unitCode": "X"}}), "concise")
    assert projected["a/b"] == 1
    assert input_pointer(["a/b"], mapping) == "/a~1b/value"


def _concise(key_values: dict[str, Any]) -> dict[str, Any]:
    """Concise form mixing bare values (scalars named a-l) and ``{"value", "observedAt"}``."""
    out = {}
    for name, value in key_values.items():
        if name in NOT_ATTRIBUTES or (not isinstance(value, dict) and name[0] < "m"):
            out[name] = value
        else:
            out[name] = {"value": value, "observedAt": "2024-01-01T00:00:00Z"}
    return out


@pytest.mark.parametrize("path", KEY_VALUES_EXAMPLES, ids=label)
@pytest.mark.parametrize("form", ["normalized", "multi-instance", "concise"])
def test_projection_is_lossless_on_official_examples(path: Path, form: str) -> None:
    """keyValues -> normalized/concise (built here) -> projection gives back the same values,
    relationship objects and geometries."""
    original = load(path)
    if form == "concise":
        document = _concise(original)
    else:
        document = to_normalized(original, with_dataset=form == "multi-instance")
    representation = detect_representation(document)
    assert representation == ("concise" if form == "concise" else "normalized")
    projected, _ = to_key_values(document, representation)
    assert projected == {k: v for k, v in original.items() if k != "@context"}


PAIRS = [(p, "example.jsonld") for p in example_paths("example-normalized.jsonld")] + [
    (p, "example.json") for p in example_paths("example-normalized.json")
]


@pytest.mark.parametrize(("normalized", "key_values"), PAIRS, ids=lambda v: str(v)[-40:])
def test_upstream_pairs_differ_only_where_documented(normalized: Path, key_values: str) -> None:
    document = load(normalized)
    projected, _ = to_key_values(document, detect_representation(document))
    expected = {k: v for k, v in load(normalized.with_name(key_values)).items() if k != "@context"}
    found: dict[str, str] = {}
    for name in sorted(set(projected) | set(expected)):
        if name not in expected:
            found[name] = ONLY_NORMALIZED
        elif name not in projected:
            found[name] = ONLY_KEY_VALUES
        elif projected[name] != expected[name]:
            found[name] = DIFFERS
    assert found == UPSTREAM_DIFFERENCES.get(label(normalized), {})


def test_upstream_pairs_table_counts() -> None:
    """37 of the 84 upstream pairs are not lossless; the rest project exactly."""
    assert len(PAIRS) == 84
    assert len(UPSTREAM_DIFFERENCES) == 37
