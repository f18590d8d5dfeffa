"""The data of a validation run: inputs, findings, per-entity reports.

Nothing here does I/O. A :class:`Finding` is one defect (or note) at one place of one input
entity; its ``pointer`` is an RFC 6901 JSON Pointer into the entity *as the user gave it*
(``/speed/value``, not the ``/speed`` of the keyValues projection the schema saw).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "EntityInput",
    "EntityReport",
    "Finding",
    "Representation",
    "Severity",
]

Representation = Literal["normalized", "concise", "keyValues", "unknown"]
"""The entity representations of ETSI GS CIM 009 V1.8.1 clause 4.5, or ``unknown``."""


class Severity(enum.StrEnum):
    """``error`` makes the entity invalid; ``warning`` and ``info`` never do."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect or note about one entity.

    ``rule`` names what was broken: ``ngsi-ld/<rule>`` (structure, with the clause in the
    rule's docstring), ``jsonschema/<keyword>``, ``shacl/<constraint component>``, or
    ``disagreement/jsonschema-vs-shacl``. ``source`` is the checker that produced it:
    ``structure``, ``jsonschema`` or ``shacl``.
    """

    entity_id: str | None
    pointer: str
    rule: str
    message: str
    severity: Severity
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "pointer": self.pointer,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity.value,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class EntityInput:
    """One entity read from the input.

    ``file`` is the path as given (``-`` for stdin), ``index`` the entity's position in that
    file (0 for a single object, the array position, or the NDJSON line's entity count).
    ``feature`` is true when the entity was converted from a GeoJSON Feature (clause 4.5.16):
    ``document`` is then the entity form, and pointers below ``/id`` are reported under
    ``/properties`` of the Feature.
    """

    file: str
    index: int
    document: Any
    representation: Representation
    feature: bool = False


@dataclass(frozen=True, slots=True)
class EntityReport:
    """The verdict on one entity: valid unless a finding has severity ``error``."""

    file: str
    index: int
    id: str | None
    type: str | list[str] | None
    valid: bool
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "index": self.index,
            "id": self.id,
            "type": self.type,
            "valid": self.valid,
            "findings": [f.as_dict() for f in self.findings],
        }
