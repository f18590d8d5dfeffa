"""From a pySHACL validation report (W3C SHACL, section 3.6) back to the input entities.

Each ``sh:ValidationResult`` becomes a :class:`Finding` of the entity its focus node belongs
to: the entity's own IRI (model shapes), or an attribute instance, found by the blank-node
label the conversion gave it (core shapes), or a node inside an instance's value, found by
walking up to the nearest labelled instance. The pointer names the attribute instance and the
member checked (``/speed/value``, ``/refDevice/object``, ``/speed/observedAt``); a missing
required attribute points at the entity (``""``), as JSON Schema's ``required`` does. The
rule is ``shacl/sh:<constraint component>``, the message the shape's ``sh:message``.
"""

from __future__ import annotations

import logging

from rdflib import RDF, SH, BNode, Graph, URIRef
from rdflib.term import Node

from mim_suite.validation.findings import Finding, Severity
from mim_suite.validation.pointers import escape
from mim_suite.validation.rdf import Converted
from mim_suite.validation.shacl_shapes import NGSI_LD, UNKNOWN_SHAPE, ShapeInfo

__all__ = ["ReportReader"]

logger = logging.getLogger(__name__)

_SEVERITY = {SH.Violation: Severity.ERROR, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
_PREDICATES = {"value": URIRef(NGSI_LD + "hasValue"), "object": URIRef(NGSI_LD + "hasObject")}
_MAX_ANCESTORS = 6


class ReportReader:
    """Collects findings per input entity, without duplicates."""

    def __init__(self, data: Graph, converted: list[Converted], info: dict[Node, ShapeInfo]):
        self.data = data
        self.info = info
        self.by_key: dict[tuple[str, int], list[Finding]] = {}
        self.subjects = {c.subject: c for c in converted if c.subject is not None}
        self.labelled: dict[Node, Converted] = {
            BNode(label): c for c in converted for label in c.instances
        }
        self._seen: set[tuple[str, int, str, str, str]] = set()

    def add(self, entity: Converted, findings: list[Finding]) -> None:
        bucket = self.by_key.setdefault((entity.file, entity.index), [])
        for finding in findings:
            mark = (entity.file, entity.index, finding.pointer, finding.rule, finding.message)
            if mark not in self._seen:
                self._seen.add(mark)
                bucket.append(finding)

    def read(self, report: Graph) -> None:
        """Add a finding for every validation result of ``report``."""
        for result in report.subjects(RDF.type, SH.ValidationResult):
            located = self._locate(report, result)
            if located is None:
                logger.warning("SHACL result on a node of no input entity: %s", result)
                continue
            entity, pointer = located
            self.add(entity, [_finding(report, result, entity, pointer)])

    def _locate(self, report: Graph, result: Node) -> tuple[Converted, str] | None:
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        info = self.info.get(shape, UNKNOWN_SHAPE) if shape is not None else UNKNOWN_SHAPE
        value = report.value(result, SH.value)
        if isinstance(focus, URIRef) and focus in self.subjects:
            entity = self.subjects[focus]
            return entity, self._entity_pointer(entity, info, value)
        owner = self._instance_of(focus)
        if owner is None:
            return None
        node, entity = owner
        instance = entity.instances[str(node)]
        member = info.member if node == focus else "value"
        missing = value is None and node == focus
        if member is None or missing or (instance.bare and member in _PREDICATES):
            return entity, instance.pointer
        return entity, f"{instance.pointer}/{escape(member)}"

    def _entity_pointer(self, entity: Converted, info: ShapeInfo, value: Node | None) -> str:
        if info.attribute is None:
            return "/" + escape(info.member) if info.member else ""
        if info.member is None or entity.subject is None:
            return ""
        nodes = [
            node
            for iri in sorted(info.iris, key=str)
            for node in self.data.objects(entity.subject, iri)
            if node in self.labelled
        ]
        predicate = _PREDICATES[info.member]
        holding = [n for n in nodes if value is not None and (n, predicate, value) in self.data]
        chosen = (holding or nodes)[:1]
        if not chosen:
            return "/" + escape(info.attribute)
        instance = entity.instances[str(chosen[0])]
        return instance.pointer if instance.bare else f"{instance.pointer}/{info.member}"

    def _instance_of(self, node: Node | None) -> tuple[Node, Converted] | None:
        """The labelled instance a node belongs to: itself, or its nearest labelled ancestor."""
        for _ in range(_MAX_ANCESTORS):
            if node is None:
                return None
            if node in self.labelled:
                return node, self.labelled[node]
            node = next(iter(self.data.subjects(None, node)), None)
        return None


def _finding(report: Graph, result: Node, entity: Converted, pointer: str) -> Finding:
    component = report.value(result, SH.sourceConstraintComponent)
    local = str(component).rsplit("#", 1)[-1] if component is not None else "result"
    message = report.value(result, SH.resultMessage)
    severity = report.value(result, SH.resultSeverity)
    return Finding(
        entity.entity_id,
        pointer,
        f"shacl/sh:{local}",
        " ".join(str(message or local).split()),
        _SEVERITY.get(severity, Severity.ERROR) if isinstance(severity, URIRef) else Severity.ERROR,
        source="shacl",
    )
