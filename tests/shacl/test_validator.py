"""ShaclValidator batching, inputs without RDF form, and user catalogue models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mim_suite.catalogue import Catalogue
from mim_suite.resources import data_dir
from mim_suite.validation.findings import EntityInput
from mim_suite.validation.shacl import ShaclValidator
from tests.shacl.helpers import CORE_V18, entity_input, findings_of, rules_at


def thing(entity_id: str, value: Any) -> dict[str, Any]:
    speed = {"type": "Property", "value": value}
    return {"id": entity_id, "type": "Thing", "speed": speed, "@context": CORE_V18}


def test_every_input_gets_an_entry(validator: ShaclValidator) -> None:
    inputs = [entity_input(thing(f"urn:x:{n}", n), "a.json", n) for n in range(3)]
    result = validator.validate(inputs)
    assert result == {("a.json", 0): [], ("a.json", 1): [], ("a.json", 2): []}


def test_same_id_twice_in_one_call_is_not_merged(validator: ShaclValidator) -> None:
    good = entity_input(thing("urn:x:same", 1), "a.json", 0)
    bad = entity_input(thing("urn:x:same", None), "b.json", 0)
    result = validator.validate([good, bad])
    assert result[("a.json", 0)] == []
    assert rules_at(result[("b.json", 0)]) == {("/speed", "shacl/sh:MinCountConstraintComponent")}


def test_small_batches_give_the_same_findings(catalogue: Catalogue) -> None:
    inputs = [entity_input(thing(f"urn:x:{n}", None if n % 2 else n), "a", n) for n in range(5)]
    one = ShaclValidator(catalogue).validate(inputs)
    many = ShaclValidator(catalogue, batch_size=2).validate(inputs)
    assert one == many
    assert sum(bool(found) for found in many.values()) == 2


def test_an_entity_without_rdf_form_is_never_silently_valid(validator: ShaclValidator) -> None:
    relative = {"id": "thing-1", "type": "Thing", "@context": CORE_V18}
    assert rules_at(findings_of(validator, relative)) == {("", "shacl/rdf-conversion")}
    assert rules_at(findings_of(validator, [1, 2])) == {("", "shacl/rdf-conversion")}


def test_ngsi_v2_entities_are_not_converted(validator: ShaclValidator) -> None:
    v2 = {"id": "urn:x:1", "type": "Thing", "speed": {"type": "Number", "value": 3}}
    item = EntityInput("v2.json", 0, v2, "unknown")
    (finding,) = validator.validate([item])[("v2.json", 0)]
    assert finding.rule == "shacl/not-ngsi-ld"


def test_compact_iri_ids_are_expanded(validator: ShaclValidator) -> None:
    """``ngsi-ld:X`` is a compact IRI for JSON-LD: the entity's IRI is the expanded one."""
    assert findings_of(validator, thing("ngsi-ld:Thing:1", 1)) == []
    assert rules_at(findings_of(validator, thing("ngsi-ld:Thing:1", None))) == {
        ("/speed", "shacl/sh:MinCountConstraintComponent")
    }


def test_user_models_get_shapes_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "Gadget"
    folder.mkdir(parents=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.org/models/Gadget/schema.json",
        "type": "object",
        "properties": {
            "type": {"enum": ["Gadget"]},
            "size": {"type": "integer", "minimum": 1},
        },
        "required": ["id", "type", "size"],
    }
    context = {
        "@context": {"Gadget": "https://example.org/Gadget", "size": "https://example.org/size"}
    }
    (folder / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (folder / "context.jsonld").write_text(json.dumps(context), encoding="utf-8")
    catalogue = Catalogue(data_dir("sdm"), data_dir("contexts"), tmp_path / "models")
    validator = ShaclValidator(catalogue)
    gadget = {"id": "urn:x:g", "type": "Gadget", "size": {"type": "Property", "value": 0}}
    assert rules_at(findings_of(validator, gadget)) == {
        ("/size/value", "shacl/sh:MinInclusiveConstraintComponent")
    }
    del gadget["size"]
    assert rules_at(findings_of(validator, gadget)) == {
        ("", "shacl/sh:MinCountConstraintComponent")
    }
