"""Shared data models on the entities a platform holds (OASC MIM2 C1: R1, R2a, R3).

Each check reads GET /types and samples up to ``SAMPLE_SIZE`` entities of up to ``MAX_TYPES``
types (catalogue types first) with one GET /entities?type=T&limit=N each, in the normalized
representation. Entities are validated offline: the NGSI-LD structure rules and, for a type of
the data-model catalogue (the bundled Smart Data Models plus the user catalogue), the model's
JSON Schema against the keyValues projection. SHACL is left out: too slow for a live probe.
"""

from __future__ import annotations

from dataclasses import dataclass

from mim_suite.catalogue import Catalogue
from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim2 import MIM
from mim_suite.checks.mim2._support import (
    AREA,
    MAX_TYPES,
    NO_DATA,
    SAMPLE_SIZE,
    ExposedType,
    Sample,
    closest_names,
    describe_invalid,
    errors_of,
    exposed_types,
    in_model_terms,
    oasc_mim2,
    samples,
    to_the_end,
)
from mim_suite.model import Strength
from mim_suite.validation import (
    EntityInput,
    Finding,
    Severity,
    check_structure,
    validate_entities,
)

__all__ = ["Verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The sampled entities of one type and, per entity, its error findings (empty: valid)."""

    sample: Sample
    errors: list[tuple[str | None, list[Finding], dict[str, str]]]

    @property
    def valid(self) -> int:
        return sum(1 for _, found, _ in self.errors if not found)

    def share(self, what: str) -> str:
        return f"{self.sample.type.label}: {self.valid}/{len(self.errors)} {what}"


def _conformance(catalogue: Catalogue, sample: Sample) -> Verdict:
    """Structure and JSON Schema findings of each entity against the type's model."""
    model = sample.type.model
    assert model is not None
    prepared = [in_model_terms(e, sample.type) for e in sample.entities]
    inputs = [
        EntityInput(sample.type.name, i, d, "normalized") for i, (d, _) in enumerate(prepared)
    ]
    reports = validate_entities(inputs, catalogue, model_override=model.type)
    errors = [
        (report.id, errors_of(report), renamed)
        for report, (_, renamed) in zip(reports, prepared, strict=True)
    ]
    return Verdict(sample, errors)


def _structure(sample: Sample) -> Verdict:
    errors: list[tuple[str | None, list[Finding], dict[str, str]]] = []
    for entity in sample.entities:
        entity_id = entity.get("id")
        found = [f for f in check_structure(entity, "normalized") if f.severity is Severity.ERROR]
        errors.append((entity_id if isinstance(entity_id, str) else None, found, {}))
    return Verdict(sample, errors)


def _fail_on_invalid(ctx: CheckContext, verdicts: list[Verdict], expected: str, what: str) -> None:
    """Fail listing the per-type shares and the first invalid entities, with their queries."""
    bad = [v for v in verdicts if v.valid < len(v.errors)]
    if not bad:
        return
    to_the_end(ctx, [v.sample.exchange for v in bad])
    invalid = [
        (v.sample.type.label, entity_id, found, renamed)
        for v in bad
        for entity_id, found, renamed in v.errors
        if found
    ]
    shares = "; ".join(v.share(what) for v in verdicts)
    ctx.fail(expected, f"{shares}. Invalid: {describe_invalid(invalid)}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _listing(types: list[ExposedType]) -> str:
    return ", ".join(t.label for t in types)


@check(
    "MIM2.MODELS.DISCOVER",
    mim=MIM,
    area=AREA,
    requirement=(
        'OASC MIM2 R1, "Data models used for all entities in any data source shall be made'
        ' explicit": GET /types lists the entity types the platform holds (the report notes'
        " which are in the Smart Data Models catalogue)."
    ),
    source=oasc_mim2("R1"),
    strength=Strength.SHALL,
)
async def types_are_explicit(ctx: CheckContext) -> None:
    catalogue = Catalogue.load()
    types = await exposed_types(ctx, catalogue, judge=True)
    known = [t for t in types if t.model is not None]
    unknown = [t for t in types if t.model is None]
    ctx.note(f"{_count(len(types), 'entity type')} listed (this harness's own left out)")
    if known:
        ctx.note(
            "in the data-model catalogue: "
            + ", ".join(f"{t.label} [{t.model.domain}]" for t in known if t.model is not None)
        )
    if unknown:
        ctx.note(f"not in the data-model catalogue: {_listing(unknown)}")


@check(
    "MIM2.MODELS.KNOWN",
    mim=MIM,
    area=AREA,
    requirement=(
        'OASC MIM2 R2a, "Data models used shall be based (wherever possible) on commonly'
        ' recognised sets of machine-understandable standardised data models": at least one'
        " entity type the platform holds is a Smart Data Models (or user catalogue) model."
    ),
    source=oasc_mim2("R2a"),
    strength=Strength.SHOULD,
)
async def some_type_is_shared(ctx: CheckContext) -> None:
    catalogue = Catalogue.load()
    types = await exposed_types(ctx, catalogue)
    known = [t for t in types if t.model is not None]
    if known:
        ctx.note(f"shared data models in use: {_listing(known)}")
        return
    hints = []
    for exposed in types:
        close = closest_names(catalogue, exposed.name)
        hints.append(f"{exposed.name} (closest: {', '.join(close) if close else 'none'})")
    ctx.fail(
        "at least one entity type of the data-model catalogue (`mim models list`)",
        f"{_count(len(types), 'type')}, none in the catalogue: {'; '.join(hints)}",
    )


@check(
    "MIM2.MODELS.CONFORM",
    mim=MIM,
    area=AREA,
    requirement=(
        'OASC MIM2 R2a, "Data models used shall be based (wherever possible) on commonly'
        ' recognised sets of machine-understandable standardised data models": every sampled'
        " entity of a type in the Smart Data Models catalogue conforms to that model (NGSI-LD"
        " structure, and its keyValues projection valid against the model's JSON Schema)."
    ),
    source=oasc_mim2("R2a"),
    strength=Strength.SHALL,
)
async def known_types_conform(ctx: CheckContext) -> None:
    catalogue = Catalogue.load()
    types = await exposed_types(ctx, catalogue)
    known = [t for t in types if t.model is not None]
    if not known:
        ctx.skip(
            f"no entity type the platform holds is in the data-model catalogue: {_listing(types)}"
        )
    verdicts = [_conformance(catalogue, s) for s in await samples(ctx, known, SAMPLE_SIZE)]
    if not verdicts:
        ctx.skip(
            f"no entity of a catalogue type ({_listing(known[:MAX_TYPES])}) besides this"
            " harness's test data"
        )
    for verdict in verdicts:
        ctx.note(verdict.share("conform"))
    _fail_on_invalid(
        ctx,
        verdicts,
        "every sampled entity of a catalogue type conforms to its data model",
        "conform",
    )


@check(
    "MIM2.MODELS.STRUCTURE",
    mim=MIM,
    area=AREA,
    requirement=(
        'OASC MIM2 R3, "Data models used shall support the exchange of data via the context'
        ' management API (MIM1)": every sampled entity, of any type, follows the NGSI-LD'
        " structure rules (attribute types and value members, URIs, DateTimes, GeoJSON)."
    ),
    source=oasc_mim2("R3"),
    strength=Strength.SHALL,
)
async def entities_are_ngsi_ld(ctx: CheckContext) -> None:
    types = await exposed_types(ctx, Catalogue.load())
    verdicts = [_structure(s) for s in await samples(ctx, types, SAMPLE_SIZE)]
    if not verdicts:
        ctx.skip(NO_DATA)
    for verdict in verdicts:
        ctx.note(verdict.share("follow the NGSI-LD structure rules"))
    _fail_on_invalid(
        ctx,
        verdicts,
        "every sampled entity follows the NGSI-LD structure rules",
        "follow the structure rules",
    )
