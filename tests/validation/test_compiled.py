"""The compiled validators give jsonschema's verdicts - and, explained, its errors - on the
whole catalogue: every model, every example, every example against every other model's
schema, and seeded random one-defect mutations of each example."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError

from mim_suite.catalogue import Catalogue, Model
from mim_suite.validation.compiled import Unsupported, compile_schema
from mim_suite.validation.jsonschema_check import DataModelChecker, _errors, _Target

from .helpers import example_paths, load

KEY_VALUES = [load(p) for p in example_paths("example.json")]
MUTATIONS_PER_EXAMPLE = 25


def _target(catalogue: Catalogue, model: Model) -> _Target:
    checker = DataModelChecker(catalogue)
    return checker._model_target(model)


def _error_set(errors: list[ValidationError]) -> set[tuple[tuple[Any, ...], str, str]]:
    return {(tuple(e.absolute_path), str(e.validator), e.message) for e in errors}


def _assert_same(target: _Target, instance: Any) -> None:
    assert target.fast is not None
    verdict = target.validator.is_valid(instance)
    assert bool(target.fast.check(instance)) is verdict
    if not verdict:
        expected = _error_set(list(target.validator.iter_errors(instance)))
        assert _error_set(_errors(target, instance)) == expected


def test_every_catalogue_schema_compiles(catalogue: Catalogue) -> None:
    for model in catalogue.models():
        validator = catalogue.validator(model)
        compile_schema(validator.schema, catalogue.registry, validator.format_checker)


def test_examples_against_every_schema(catalogue: Catalogue) -> None:
    """42 keyValues examples x 87 schemas: mostly invalid, through every schema's paths."""
    for model in catalogue.models():
        target = _target(catalogue, model)
        for document in KEY_VALUES:
            _assert_same(target, document)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


_REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**9,
    "",
    "x",
    "2020-13-45T25:61:00",
    "2024-01-01T00:00:00Z",
    "urn:ngsi-ld:Thing:1",
    [],
    ["a", "a"],
    {},
    {"type": "Point", "coordinates": [1, 2]},
]


def _mutate(document: Any, rng: random.Random) -> Any:
    mutated = copy.deepcopy(document)
    path = rng.choice([p for p in _paths(mutated) if p])
    parent = mutated
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    action = rng.random()
    if action < 0.15 and isinstance(parent, dict):
        del parent[last]
    elif action < 0.25 and isinstance(parent[last], str):
        parent[last] += "!"
    elif action < 0.3 and isinstance(parent[last], int | float):
        parent[last] = -parent[last] - 1
    else:
        parent[last] = copy.deepcopy(rng.choice(_REPLACEMENTS))
    return mutated


@pytest.mark.parametrize("index", range(len(KEY_VALUES)), ids=lambda i: KEY_VALUES[i]["type"])
def test_one_defect_mutations(catalogue: Catalogue, index: int) -> None:
    document = KEY_VALUES[index]
    target = _target(catalogue, catalogue.model(document["type"]))
    rng = random.Random(index)
    _assert_same(target, document)
    for _ in range(MUTATIONS_PER_EXAMPLE):
        _assert_same(target, _mutate(document, rng))


def test_keyword_semantics_match_jsonschema(catalogue: Catalogue) -> None:
    """Corners where Python and JSON Schema disagree: bool vs number, 1 vs 1.0, unicode."""
    from jsonschema import Draft202012Validator

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "n": {"type": "number", "minimum": 0, "exclusiveMaximum": 10},
            "i": {"type": "integer"},
            "e": {"enum": [1, "a", None, [1, 2], {"k": True}]},
            "c": {"const": 1},
            "u": {"type": "array", "uniqueItems": True},
            "s": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^a"},
            "p": {
                "type": "array",
                "prefixItems": [{"type": "string"}],
                "items": {"type": "integer"},
            },
            "o": {
                "type": "object",
                "patternProperties": {"^x": {"type": "string"}},
                "additionalProperties": {"type": "integer"},
                "propertyNames": {"maxLength": 3},
                "dependentRequired": {"a": ["b"]},
                "minProperties": 1,
            },
            "f": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"minimum": 5}},
            "x": {"not": {"type": "null"}, "anyOf": [{"type": "string"}, {"type": "integer"}]},
            "y": {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
        },
        "required": ["n"],
    }
    validator = Draft202012Validator(schema)
    compiled = compile_schema(schema, catalogue.registry, None)
    samples: list[dict[str, Any]] = [
        {"n": True},
        {"n": 1.0, "i": 2.0},
        {"n": 10},
        {"n": 0, "i": True},
        {"n": 1, "e": 1.0},
        {"n": 1, "e": True},
        {"n": 1, "e": [1, 2.0]},
        {"n": 1, "e": {"k": 1}},
        {"n": 1, "c": True},
        {"n": 1, "c": 1.0},
        {"n": 1, "u": [1, True]},
        {"n": 1, "u": [1, 1.0]},
        {"n": 1, "u": [{"a": 1}, {"a": 1}]},
        {"n": 1, "s": "añ"},
        {"n": 1, "s": "ba"},
        {"n": 1, "p": ["a", 1, 2]},
        {"n": 1, "p": [1]},
        {"n": 1, "p": ["a", "b"]},
        {"n": 1, "o": {}},
        {"n": 1, "o": {"xa": "s", "b": 1}},
        {"n": 1, "o": {"xa": 1}},
        {"n": 1, "o": {"a": 1}},
        {"n": 1, "o": {"long": 1}},
        {"n": 1, "f": "a"},
        {"n": 1, "f": 4},
        {"n": 1, "x": None},
        {"n": 1, "x": 1.5},
        {"n": 1, "y": 1},
        {"n": 1, "y": -1},
        {"n": 1, "y": 0.5},
        {"i": 1},
    ]
    for sample in samples:
        assert bool(compiled.check(sample)) is validator.is_valid(sample), sample


@pytest.mark.parametrize(
    "schema",
    [
        {"contains": {"type": "string"}},
        {"multipleOf": 2},
        {"unevaluatedProperties": False},
        {"$ref": "https://example.org/not-in-the-catalogue.json"},
        {"pattern": "("},
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
    ],
)
def test_unsupported_schemas_fall_back(catalogue: Catalogue, schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_schema(schema, catalogue.registry, None)
