"""JSON Schema keywords to SHACL constraints (mim_suite.shapesgen.translate) and Turtle."""

from __future__ import annotations

from typing import Any

import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mim_suite.shapesgen.translate import Mode, node_constraints
from mim_suite.shapesgen.turtle import Collection, Node, literal, number, render

BASE = "https://example.org/schema.json"
SHARED = {
    "$id": "https://example.org/shared.json",
    "definitions": {"Id": {"type": "string", "minLength": 1}},
}


def pairs(schema: dict[str, Any], mode: Mode = "value") -> list[tuple[str, Any]]:
    registry: Registry[Any] = Registry().with_resources(
        [(SHARED["$id"], Resource(contents=SHARED, specification=DRAFT202012))]
    )
    return node_constraints(schema, registry.resolver(base_uri=BASE), mode).pairs


STRING = (
    "sh:or",
    Collection(
        (Node((("sh:datatype", "xsd:string"),)), Node((("sh:datatype", "ngsi-ld:DateTime"),)))
    ),
)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer"}, [("sh:datatype", "xsd:integer")]),
        ({"type": "number"}, [("sh:minInclusive", '"-INF"^^xsd:double')]),
        (
            {"type": "number", "minimum": 0, "maximum": 1.5},
            [("sh:minInclusive", "0"), ("sh:maxInclusive", "1.5")],
        ),
        ({"type": "number", "exclusiveMinimum": 0}, [("sh:minExclusive", "0")]),
        ({"type": "boolean"}, [("sh:datatype", "xsd:boolean")]),
        ({"type": "object", "properties": {"a": {}}}, [("sh:nodeKind", "sh:BlankNodeOrIRI")]),
        ({"type": "string"}, [STRING]),
        (
            {"type": "string", "pattern": "^a\\d$", "maxLength": 3},
            [STRING, ("sh:pattern", '"^a\\\\d$"'), ("sh:maxLength", "3")],
        ),
        (
            {"enum": ["a", 1, 2.5, True, None]},
            [("sh:in", Collection(('"a"', "1", '"2.5"^^xsd:double', "true")))],
        ),
        ({"const": "x"}, [("sh:in", Collection(('"x"',)))]),
        ({"type": "array", "items": {"type": "integer"}}, [("sh:datatype", "xsd:integer")]),
        ({"type": "array"}, []),
        ({"type": ["integer", "null"]}, [("sh:datatype", "xsd:integer")]),
        (
            {"anyOf": [{"type": "integer"}, {"type": "boolean"}]},
            [
                (
                    "sh:or",
                    Collection(
                        (
                            Node((("sh:datatype", "xsd:integer"),)),
                            Node((("sh:datatype", "xsd:boolean"),)),
                        )
                    ),
                )
            ],
        ),
        ({"anyOf": [{"type": "integer"}, {}]}, []),
        ({"$ref": "shared.json#/definitions/Id"}, [STRING, ("sh:minLength", "1")]),
        ({"description": "no constraint"}, []),
    ],
)
def test_value_constraints(schema: dict[str, Any], expected: list[tuple[str, Any]]) -> None:
    assert pairs(schema) == expected


def test_a_relationship_object_is_an_iri() -> None:
    assert pairs({"type": "string", "format": "uri"}, "object") == [("sh:nodeKind", "sh:IRI")]


def test_format_date_allows_ngsi_ld_dates() -> None:
    (or_pair,) = pairs({"type": "string", "format": "date"})
    assert isinstance(or_pair[1], Collection)
    assert Node((("sh:datatype", "ngsi-ld:Date"),)) in or_pair[1].items


def test_untranslated_keywords_are_reported() -> None:
    registry: Registry[Any] = Registry()
    schema = {"type": "array", "minItems": 1, "items": {"type": "string", "format": "email"}}
    translation = node_constraints(schema, registry.resolver(base_uri=BASE), "value")
    assert translation.untranslated == {
        "array size and order (minItems, maxItems, uniqueItems...)",
        "format email",
    }


def test_turtle_terms() -> None:
    assert literal('a "b"\\\n') == '"a \\"b\\"\\\\\\n"'
    assert number(0.1) == "0.1"
    assert number(1e-7) == "0.0000001"
    assert number(3.0) == "3"
    text = render("shape:x", [("sh:in", Collection(('"a"',))), ("sh:or", Collection((Node(()),)))])
    assert text == 'shape:x\n    sh:in ( "a" ) ;\n    sh:or (\n        [ ]\n    ) .\n'
