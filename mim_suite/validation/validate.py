"""Validation of entities: structure, data model and optionally SHACL, one report per entity.

For each :class:`~.findings.EntityInput`: the NGSI-LD structure checks of its representation
(:mod:`.structure`), then its keyValues projection (:mod:`.representation`) against its data
model's JSON Schema (:mod:`.jsonschema_check`). With ``shacl=True`` the entities also go,
batch by batch, through the SHACL validator (:mod:`.shacl`: JSON-LD expansion with the
offline contexts, the shapes parsed once); its findings are merged, and where the two
pipelines disagree on an entity's verdict - structure and JSON Schema say valid and SHACL
invalid, or the reverse - a warning ``disagreement/jsonschema-vs-shacl`` says so.

An entity is valid when no finding has severity ``error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Protocol

from mim_suite.catalogue import Catalogue
from mim_suite.validation.findings import EntityInput, EntityReport, Finding, Severity
from mim_suite.validation.jsonschema_check import DataModelChecker
from mim_suite.validation.representation import to_key_values
from mim_suite.validation.structure import check_structure

__all__ = ["ShaclLike", "validate_entities"]

BATCH_SIZE: Final = 1000
_DISAGREEMENT: Final = "disagreement/jsonschema-vs-shacl"


class ShaclLike(Protocol):
    """What :func:`validate_entities` needs of a SHACL validator."""

    def validate(self, inputs: Sequence[EntityInput]) -> dict[tuple[str, int], list[Finding]]: ...


def validate_entities(
    inputs: Iterable[EntityInput],
    catalogue: Catalogue,
    *,
    schema_override: dict[str, Any] | None = None,
    model_override: str | None = None,
    shacl: bool = False,
    shacl_validator: ShaclLike | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[EntityReport]:
    """One report per input, in input order.

    ``model_override`` raises :class:`~mim_suite.catalogue.UnknownModel` and
    ``schema_override`` :class:`~.jsonschema_check.SchemaProblem` before any entity is read.
    ``shacl_validator`` replaces the default :class:`~.shacl.ShaclValidator` (built once per
    call when ``shacl`` is true).
    """
    checker = DataModelChecker(
        catalogue, schema_override=schema_override, model_override=model_override
    )
    if not shacl:
        for entity in inputs:
            yield _report(entity, _findings(entity, checker))
        return
    validator = shacl_validator if shacl_validator is not None else _default_shacl(catalogue)
    for batch in _batches(inputs, batch_size):
        shacl_findings = validator.validate(batch)
        for entity in batch:
            own = _findings(entity, checker)
            extra = shacl_findings.get((entity.file, entity.index), [])
            yield _report(entity, own + _merge(entity, own, extra))


def _default_shacl(catalogue: Catalogue) -> ShaclLike:
    from mim_suite.validation.shacl import ShaclValidator

    return ShaclValidator(catalogue)


def _batches(inputs: Iterable[EntityInput], size: int) -> Iterator[list[EntityInput]]:
    batch: list[EntityInput] = []
    for entity in inputs:
        batch.append(entity)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _findings(entity: EntityInput, checker: DataModelChecker) -> list[Finding]:
    document = entity.document
    findings = check_structure(document, entity.representation)
    if isinstance(document, dict):
        projection, mapping = to_key_values(document, entity.representation)
        entity_id = document.get("id") if isinstance(document.get("id"), str) else None
        findings += checker.check(entity_id, document.get("type"), projection, mapping)
    return findings


def _merge(entity: EntityInput, own: list[Finding], shacl: list[Finding]) -> list[Finding]:
    """SHACL findings plus a disagreement warning when the verdicts differ."""
    own_valid = not any(f.severity is Severity.ERROR for f in own)
    shacl_valid = not any(f.severity is Severity.ERROR for f in shacl)
    if own_valid == shacl_valid:
        return shacl
    entity_id = own[0].entity_id if own else _entity_id(entity)
    if own_valid:
        message = "structure and JSON Schema checks pass but SHACL finds errors"
    else:
        message = "structure or JSON Schema checks find errors but SHACL finds none"
    warning = Finding(entity_id, "", _DISAGREEMENT, message, Severity.WARNING, "shacl")
    return [*shacl, warning]


def _entity_id(entity: EntityInput) -> str | None:
    document = entity.document
    if isinstance(document, dict) and isinstance(document.get("id"), str):
        return str(document["id"])
    return None


def _report(entity: EntityInput, findings: list[Finding]) -> EntityReport:
    if entity.feature:
        findings = [_in_feature(f) for f in findings]
    document = entity.document
    types = document.get("type") if isinstance(document, dict) else None
    return EntityReport(
        file=entity.file,
        index=entity.index,
        id=_entity_id(entity),
        type=types if isinstance(types, str | list) else None,
        valid=not any(f.severity is Severity.ERROR for f in findings),
        findings=tuple(findings),
    )


def _in_feature(finding: Finding) -> Finding:
    """A finding on an entity read from a GeoJSON Feature, pointing into the Feature."""
    pointer = finding.pointer
    if pointer in ("", "/id") or pointer.startswith("/id/"):
        return finding
    return Finding(
        finding.entity_id,
        "/properties" + pointer,
        finding.rule,
        finding.message,
        finding.severity,
        finding.source,
    )
