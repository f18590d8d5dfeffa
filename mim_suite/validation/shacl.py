"""SHACL validation of NGSI-LD entities (W3C SHACL 2017, with pySHACL) against the core shapes
(``shapes/ngsi-ld-core.ttl``) and the shapes generated from the data models
(``shapes/generated/``, ``mim shapes generate``).

Each :meth:`ShaclValidator.validate` call converts its entities to RDF (``rdf.py``) into one
data graph - more only when two inputs share an entity id, whose triples would merge, or past
``batch_size`` entities - and runs pySHACL once per graph (no inference, SHACL-AF off, only the
shapes that can apply: the core ones and those of the entity types present). Shapes are parsed
and compiled once per validator (``shacl_shapes.py``); results are mapped back to the input
entities and JSON Pointers into them (``shacl_report.py``). An entity that has no RDF form
gets an error finding: it is never silently valid.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pyshacl.graph_abstraction import DataGraph
from pyshacl.validator import Validator
from rdflib import RDF, Graph

from mim_suite.catalogue import Catalogue
from mim_suite.resources import bundled_dir
from mim_suite.validation.findings import EntityInput, Finding, Severity
from mim_suite.validation.rdf import Converted, RdfConverter
from mim_suite.validation.shacl_report import ReportReader
from mim_suite.validation.shacl_shapes import ShapeIndex

__all__ = ["ShaclValidator"]

logger = logging.getLogger(__name__)

FindingsByInput = dict[tuple[str, int], list[Finding]]


class ShaclValidator:
    """Validates batches of entities against the core and data-model shapes."""

    def __init__(
        self, catalogue: Catalogue, shapes_dir: Path | None = None, *, batch_size: int = 5000
    ) -> None:
        self._catalogue = catalogue
        self._converter = RdfConverter(catalogue)
        self._shapes = ShapeIndex(catalogue, shapes_dir or bundled_dir("shapes"))
        self._batch_size = batch_size

    def validate(self, inputs: Sequence[EntityInput]) -> FindingsByInput:
        """Findings per ``(file, index)``; every input gets an entry, maybe empty."""
        findings: FindingsByInput = {(i.file, i.index): [] for i in inputs}
        for batch in _batches(inputs, self._batch_size):
            for key, found in self._validate_batch(batch).items():
                findings[key].extend(found)
        return findings

    def _validate_batch(self, batch: list[EntityInput]) -> FindingsByInput:
        converted = [self._converter.convert(item, f"e{n}_") for n, item in enumerate(batch)]
        self._shapes.require({name for entity in converted for name in entity.types})
        data = Graph()
        for entity in converted:
            for triple in entity.triples:
                data.add(triple)
        reader = ReportReader(data, converted, self._shapes.info)
        if len(data):
            reader.read(self._run(data))
        for entity in converted:
            reader.add(entity, entity.findings)
            reader.add(entity, self._not_applied(data, entity))
        return reader.by_key

    def _run(self, data: Graph) -> Graph:
        options: dict[str, Any] = {
            "inference": "none",
            "advanced": False,
            "allow_warnings": True,
            "inplace": True,
            "logger": logger,
            "use_shapes": self._shapes.relevant(data),
        }
        graph = DataGraph.from_rdflib(data)
        validator = Validator(graph, shacl_graph=self._shapes.graph, options=options)
        validator.shacl_graph = self._shapes.compiled
        _conforms, report, _text = validator.run()  # type: ignore[no-untyped-call]
        if not isinstance(report, Graph):
            raise TypeError(f"pySHACL returned no report graph: {report!r}")
        return report

    def _not_applied(self, data: Graph, entity: Converted) -> list[Finding]:
        """A warning for each entity type whose model shapes its RDF type does not match."""
        if entity.subject is None:
            return []
        found = set(data.objects(entity.subject, RDF.type))
        findings = []
        for name in entity.types:
            model = self._catalogue.find(name)
            targets = self._shapes.targets.get(model.type) if model else None
            if targets and not targets & found:
                expected = ", ".join(sorted(map(str, targets)))
                message = (
                    f"type {name!r} does not expand to the data model's IRI ({expected}) with"
                    " this entity's @context, so the model's shapes were not applied"
                )
                rule = "shacl/model-shapes-not-applied"
                findings.append(
                    Finding(entity.entity_id, "/type", rule, message, Severity.WARNING, "shacl")
                )
        return findings


def _batches(inputs: Sequence[EntityInput], size: int) -> Iterator[list[EntityInput]]:
    """Batches of at most ``size`` inputs in which no entity id occurs twice."""
    batches: list[tuple[list[EntityInput], set[object]]] = []
    for item in inputs:
        document = item.document
        entity_id = document.get("id") if isinstance(document, dict) else None
        key = entity_id if isinstance(entity_id, str) else object()
        for members, ids in batches:
            if key not in ids and len(members) < size:
                members.append(item)
                ids.add(key)
                break
        else:
            batches.append(([item], {key}))
    for members, _ids in batches:
        yield members
