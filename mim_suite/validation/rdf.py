"""NGSI-LD entities to RDF by JSON-LD 1.1 expansion with offline @contexts (GS CIM 009, 4.5).

The entity is normalized and labelled first (``rdf_input.py``), its ``@context`` resolved with
the catalogue's bundled documents (:meth:`Catalogue.contexts`), then rdflib's JSON-LD parser
turns it into triples. Which @context applies:

* the entity's own ``@context``, with the NGSI-LD core context appended when it names none
  (the core context always applies, and its terms take precedence);
* for plain JSON without ``@context``: the domain context of the entity type's catalogue model,
  if any, then the core context v1.8 (a Link header would carry them over HTTP).

A context URL the catalogue does not hold stops the conversion of that entity with a finding
("context not available offline: URL"); nothing is ever fetched. rdflib builds each distinct
context stack once; the parser never sees a URL, so it has nothing to dereference.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.jsonld import Parser
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

from mim_suite.catalogue import Catalogue
from mim_suite.shapesgen import ContextNotOffline, resolve_offline
from mim_suite.validation.findings import EntityInput, Finding, Severity
from mim_suite.validation.rdf_input import Instance, Prepared, prepare

__all__ = ["CORE_CONTEXT_URL", "Converted", "RdfConverter"]

logger = logging.getLogger(__name__)

CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
_CORE_PREFIXES = ("https://uri.etsi.org/ngsi-ld/", "http://uri.etsi.org/ngsi-ld/")

Triple = tuple[Node, Node, Node]


@dataclass
class Converted:
    """One entity in RDF: its subject, triples, labelled instances, or why it has none."""

    file: str
    index: int
    entity_id: str | None
    types: tuple[str, ...] = ()
    subject: URIRef | None = None
    triples: list[Triple] = field(default_factory=list)
    instances: dict[str, Instance] = field(default_factory=dict)
    top_level: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def fail(self, rule: str, message: str) -> Converted:
        self.findings.append(
            Finding(self.entity_id, "", rule, message, Severity.ERROR, source="shacl")
        )
        return self


class _Sink:
    """What rdflib's JSON-LD parser writes to: a triple list (no store, no prefixes)."""

    context_aware = False

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, triple: Triple) -> None:
        self.triples.append(triple)

    def bind(self, *args: Any, **kwargs: Any) -> None:
        del args, kwargs


class RdfConverter:
    """Converts input entities to triples; caches one rdflib context per context stack."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._known = catalogue.contexts()
        self._contexts: dict[str, Context] = {}
        self._model_contexts: dict[Path, Any] = {}

    def convert(self, item: EntityInput, label_prefix: str) -> Converted:
        """The RDF form of one entity; blank-node labels start with ``label_prefix``."""
        document = item.document
        if not isinstance(document, dict):
            return Converted(item.file, item.index, None).fail(
                "shacl/rdf-conversion", "the entity is not a JSON object"
            )
        if item.representation == "unknown":
            return Converted(item.file, item.index, _id(document)).fail(
                "shacl/not-ngsi-ld",
                "not an NGSI-LD entity representation (e.g. NGSI v2 attribute types):"
                " SHACL shapes apply to NGSI-LD entities only",
            )
        result = Converted(item.file, item.index, _id(document), _type_names(document.get("type")))
        try:
            context = self._context(document)
            prepared = prepare(document, item.representation, label_prefix, self._known)
        except ContextNotOffline as missing:
            return result.fail("shacl/context-not-offline", str(missing))
        except Exception as error:  # rdflib raises bare exceptions on invalid contexts
            return result.fail("shacl/rdf-conversion", f"invalid @context: {error}")
        return self._parse(result, context, prepared)

    def _parse(self, result: Converted, context: Context, prepared: Prepared) -> Converted:
        sink = _Sink()
        try:
            Parser().parse(prepared.document, context, cast(Graph, sink))
        except Exception as error:  # rdflib raises bare exceptions on invalid JSON-LD
            logger.debug("JSON-LD parsing failed for %s", result.entity_id, exc_info=True)
            return result.fail("shacl/rdf-conversion", f"JSON-LD to RDF failed: {error}")
        subject = _subject(context, result.entity_id)
        if subject is None or not any(s == subject for s, _, _ in sink.triples):
            return result.fail(
                "shacl/rdf-conversion",
                f"no RDF for this entity: its id {result.entity_id!r} is not an absolute URI",
            )
        result.subject = subject
        result.triples = sink.triples
        result.instances = prepared.instances
        result.top_level = prepared.top_level
        return result

    def _context(self, document: dict[str, Any]) -> Context:
        if "@context" in document:
            value = document["@context"]
            key = json.dumps(value, sort_keys=True)
            if key not in self._contexts:
                self._contexts[key] = _load(self._explicit(value))
            return self._contexts[key]
        path = self._model_context_path(document.get("type"))
        key = f"implicit:{path}"
        if key not in self._contexts:
            stack = [] if path is None else [self._model_context(path)]
            self._contexts[key] = _load([*stack, self._core()])
        return self._contexts[key]

    def _explicit(self, value: Any) -> list[Any]:
        items = value if isinstance(value, list) else [value]
        resolved = resolve_offline(items, self._known)
        names_core = any(isinstance(i, str) and i.startswith(_CORE_PREFIXES) for i in items)
        return resolved if names_core else [*resolved, self._core()]

    def _core(self) -> Any:
        return resolve_offline(CORE_CONTEXT_URL, self._known)

    def _model_context_path(self, type_value: Any) -> Path | None:
        names = type_value if isinstance(type_value, list) else [type_value]
        for name in names:
            model = self._catalogue.find(name) if isinstance(name, str) else None
            if model is not None and model.context_path is not None:
                return model.context_path
        return None

    def _model_context(self, path: Path) -> Any:
        if path not in self._model_contexts:
            with path.open("rb") as handle:
                self._model_contexts[path] = resolve_offline(json.load(handle), self._known)
        return self._model_contexts[path]


def _load(stack: list[Any]) -> Context:
    context = Context()
    context.load(stack)
    return context


def _id(document: dict[str, Any]) -> str | None:
    entity_id = document.get("id")
    return entity_id if isinstance(entity_id, str) else None


def _type_names(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(v for v in values if isinstance(v, str))


def _subject(context: Context, entity_id: str | None) -> URIRef | None:
    """The entity's IRI as JSON-LD expands its id (``ngsi-ld:X`` is a compact IRI)."""
    if entity_id is None:
        return None
    expanded = context.resolve(entity_id)
    return URIRef(expanded) if isinstance(expanded, str) and ":" in expanded else None
