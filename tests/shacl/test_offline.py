"""Conversion to RDF never uses the network: contexts come from the catalogue or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib.plugins.shared.jsonld.context import Context

from mim_suite.catalogue import Catalogue
from mim_suite.shapesgen import ContextNotOffline, resolve_offline
from mim_suite.validation.shacl import ShaclValidator
from tests.shacl.conftest import NetworkUsed
from tests.shacl.helpers import CORE_V18, example, findings_of, rules_at

UNKNOWN = "https://example.org/not-bundled/context.jsonld"


def test_rdflib_alone_would_fetch_the_context() -> None:
    """The guard works: rdflib given a context URL reaches for the network."""
    with pytest.raises(NetworkUsed):
        Context().load(UNKNOWN)


def test_bundled_contexts_are_used_offline(validator: ShaclValidator, catalogue: Catalogue) -> None:
    document = example(catalogue, "ParkingAccess", "example-normalized.jsonld")
    assert findings_of(validator, document) == []


def test_an_unknown_context_is_a_finding_not_a_fetch(validator: ShaclValidator) -> None:
    document = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "@context": [UNKNOWN, CORE_V18]}
    findings = findings_of(validator, document)
    assert rules_at(findings) == {("", "shacl/context-not-offline")}
    assert findings[0].message == f"context not available offline: {UNKNOWN}"


def test_a_nested_unknown_context_is_a_finding(validator: ShaclValidator) -> None:
    speed: dict[str, Any] = {"type": "Property", "value": {"@context": UNKNOWN, "a": 1}}
    document = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "speed": speed}
    assert rules_at(findings_of(validator, document)) == {("", "shacl/context-not-offline")}


def test_imports_and_scoped_contexts_are_inlined() -> None:
    known = {"https://a.example/ctx": {"@context": {"a": "https://a.example/a"}}}
    context = {
        "@import": "https://a.example/ctx",
        "b": {"@id": "https://b.example/b", "@context": "https://a.example/ctx"},
    }
    assert resolve_offline(context, known) == {
        "a": "https://a.example/a",
        "b": {"@id": "https://b.example/b", "@context": {"a": "https://a.example/a"}},
    }
    with pytest.raises(ContextNotOffline):
        resolve_offline({"@import": UNKNOWN}, known)
