"""Shared fixtures for the payload and representation tests: a dict-based TermMapper fake.

Terms not in the table expand under the NGSI-LD default context
(``https://uri.etsi.org/ngsi-ld/default-context/``); the core GeoProperties ``location``,
``observationSpace`` and ``operationSpace`` expand under ``https://uri.etsi.org/ngsi-ld/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CORE = "https://uri.etsi.org/ngsi-ld/"
DEFAULT = CORE + "default-context/"
NOW = "2024-01-01T00:00:00.000Z"
LATER = "2024-02-02T00:00:00.000Z"
DATA = Path(__file__).parent / "data"


class FakeMapper:
    """A TermMapper over a term table with a default-context fallback and known prefixes."""

    def __init__(self, terms: dict[str, str] | None = None) -> None:
        self.terms = {
            "location": CORE + "location",
            "observationSpace": CORE + "observationSpace",
            "operationSpace": CORE + "operationSpace",
            **(terms or {}),
        }
        self.prefixes = {"schema": "https://schema.org/"}

    def expand_term(self, term: str) -> str:
        if term in self.terms:
            return self.terms[term]
        prefix, colon, rest = term.partition(":")
        if colon and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return term if colon else DEFAULT + term

    def compact_iri(self, iri: str) -> str:
        for term, expanded in self.terms.items():
            if expanded == iri:
                return term
        for prefix, base in self.prefixes.items():
            if iri.startswith(base):
                return f"{prefix}:{iri[len(base) :]}"
        if iri.startswith(DEFAULT):
            return iri[len(DEFAULT) :]
        return iri


def d(term: str) -> str:
    """The default-context IRI of ``term``."""
    return DEFAULT + term


def load(name: str) -> Any:
    """A JSON example from ``tests/server/data``."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def without_context(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "@context"}


def test_fake_mapper_round_trips() -> None:
    mapper = FakeMapper({"speed#1": "http://example.org/speed"})
    for term in ("speed#1", "location", "brandName", "schema:image", "urn:x:y"):
        assert mapper.compact_iri(mapper.expand_term(term)) == term
