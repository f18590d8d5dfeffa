"""What the MIM2 checks share: the OASC source, type matching, and sampling existing data.

**Matching a type to the catalogue.** GET /types answers type names compacted with the core
@context (no user @context is sent), so a type comes back in one of two forms:

* a bare name (``OffStreetParking``): the platform holds the type as the default-vocabulary
  IRI ``https://uri.etsi.org/ngsi-ld/default-context/OffStreetParking`` - what a Smart Data
  Models type sent without a user @context expands to. It matches the catalogue model of that
  name (or a type the model's schema declares).
* a full IRI: it matches when it is the IRI the model's own @context gives its type name
  (``https://smartdatamodels.org/dataModel.Parking/OffStreetParking`` in the Parking
  context), or the default-vocabulary IRI of a catalogue type. An IRI of another vocabulary
  whose last segment happens to be a catalogue name is *not* that model: it is reported as
  unknown, with the catalogue name as the closest one.

An entity of a type matched by IRI also has the model's attributes as IRIs;
:func:`in_model_terms` writes the names the model's @context defines (and default-vocabulary
IRIs) back as terms (``totalSpotNumber``), which is what the model's JSON Schema describes, and
:func:`input_pointer_of` maps finding pointers back into the entity as the platform sent it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from mim_suite.catalogue import Catalogue, Model, UnknownModel
from mim_suite.catalogue.index import read_json
from mim_suite.checks.base import CheckContext
from mim_suite.model import Exchange, Source
from mim_suite.validation import EntityReport, Finding, Severity
from mim_suite.validation.pointers import escape
from mim_suite.validation.representation import ENTITY_MEMBERS, INSTANCE_MEMBERS

__all__ = [
    "ACCEPT_JSON",
    "AREA",
    "DEFAULT_CONTEXT",
    "MAX_TYPES",
    "NO_DATA",
    "SAMPLE_SIZE",
    "SHOWN_INVALID",
    "ExposedType",
    "Sample",
    "classify",
    "closest_names",
    "describe_invalid",
    "errors_of",
    "exposed_types",
    "in_model_terms",
    "input_pointer_of",
    "made_by_harness",
    "oasc_mim2",
    "sample",
    "samples",
    "to_the_end",
]

AREA = "models"
MAX_TYPES: Final = 10
"""Types sampled per check, at most (types of the catalogue first)."""
SAMPLE_SIZE: Final = 20
"""Entities sampled per type (the ``limit`` of one query)."""
SHOWN_INVALID: Final = 3
"""Invalid entities described in a failure's evidence; the per-type shares count them all."""
_SHOWN_FINDINGS: Final = 3
_MESSAGE: Final = 160

NO_DATA: Final = "the platform holds no entities besides this harness's test data"
DEFAULT_CONTEXT: Final = "https://uri.etsi.org/ngsi-ld/default-context/"
ACCEPT_JSON: Final = {"Accept": "application/json"}

# Names and ids made by CheckContext.type_name / CheckContext.entity_id (any run).
_HARNESS_TYPE = re.compile(r"Mt[0-9A-Za-z]+N[0-9]+$")
_HARNESS_ID = ":mimtest-"


def oasc_mim2(requirement: str) -> Source:
    """A requirement of OASC MIM2 "Data models" (2022 format), e.g. ``R2a``."""
    return Source("OASC MIM2: Data models", "2022", requirement)


# -- type matching ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExposedType:
    """A type GET /types listed, and the catalogue model it is (None if none)."""

    name: str
    model: Model | None

    @property
    def label(self) -> str:
        """The name, with the model's name when the platform gave an IRI."""
        if self.model is None or self.model.type == self.name:
            return self.name
        return f"{self.name} ({self.model.type})"

    @property
    def by_iri(self) -> bool:
        return ":" in self.name


def classify(catalogue: Catalogue, name: str) -> ExposedType:
    """The catalogue model of a reported type name, by the rules of the module docstring."""
    if ":" not in name:
        return ExposedType(name, catalogue.find(name))
    if name.startswith(DEFAULT_CONTEXT):
        return ExposedType(name, catalogue.find(name.removeprefix(DEFAULT_CONTEXT)))
    return ExposedType(name, _type_iris(catalogue).get(name))


def closest_names(catalogue: Catalogue, name: str) -> tuple[str, ...]:
    """Catalogue type names close to ``name`` (its last segment, for an IRI)."""
    local = re.split(r"[/#:]", name)[-1]
    return UnknownModel(local, [m.type for m in catalogue.models()]).suggestions


@functools.lru_cache(maxsize=4)
def _type_iris(catalogue: Catalogue) -> dict[str, Model]:
    """Type IRI -> model, from the term each model's @context defines for its type."""
    table: dict[str, Model] = {}
    for model in catalogue.models():
        if model.context_path is not None:
            iri = _context_terms(model.context_path).get(model.type)
            if iri is not None:
                table.setdefault(iri, model)
    return table


@functools.lru_cache(maxsize=64)
def _context_terms(path: Path) -> dict[str, str]:
    """Term -> absolute IRI of a local @context document (compact IRIs expanded with the
    prefixes it defines); keywords and non-IRI definitions are left out."""
    try:
        document = read_json(path)
    except (OSError, ValueError):
        return {}
    raw = document.get("@context") if isinstance(document, dict) else None
    parts = raw if isinstance(raw, list) else [raw]
    definitions: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, dict):
            definitions.update(part)
    terms: dict[str, str] = {}
    for term, definition in definitions.items():
        target = definition.get("@id") if isinstance(definition, dict) else definition
        if term.startswith("@") or not isinstance(target, str) or target.startswith("@"):
            continue
        prefix, _, rest = target.partition(":")
        base = definitions.get(prefix)
        if not rest.startswith("//") and isinstance(base, str) and base.endswith(("/", "#")):
            target = base + rest
        if "://" in target:
            terms[term] = target
    return terms


@functools.lru_cache(maxsize=64)
def _reverse_terms(path: Path) -> dict[str, str]:
    reverse: dict[str, str] = {}
    for term, iri in _context_terms(path).items():
        reverse.setdefault(iri, term)
    return reverse


# -- sampling ---------------------------------------------------------------------------------


def made_by_harness(entity: dict[str, Any]) -> bool:
    entity_id = entity.get("id")
    return isinstance(entity_id, str) and _HARNESS_ID in entity_id


def _harness_type(name: str) -> bool:
    return _HARNESS_TYPE.search(name) is not None


async def exposed_types(
    ctx: CheckContext, catalogue: Catalogue, *, judge: bool = False
) -> list[ExposedType]:
    """The types GET /types lists, this harness's own left out, catalogue types first.

    A GET /types without a typeList fails the check if it ``judge``s that answer, else skips
    it (MIM2.MODELS.DISCOVER owns that verdict); no type at all skips it (:data:`NO_DATA`).
    """
    response = await ctx.get("/types", headers=ACCEPT_JSON)
    try:
        body = response.json() if response.status == 200 else None
    except ValueError:
        body = None
    names = body.get("typeList") if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        if judge:
            ctx.expect_status(response, 200)
            ctx.fail("an EntityTypeList with a typeList of type names", response.text[:200])
        ctx.skip(
            f"precondition failed: GET /types answered {response.status} without a typeList"
            " (see MIM2.MODELS.DISCOVER)"
        )
    own = [n for n in dict.fromkeys(names) if n and not _harness_type(n)]
    if not own:
        ctx.skip(NO_DATA)
    found = [classify(catalogue, n) for n in own]
    return sorted(found, key=lambda t: (t.model is None, t.name))


@dataclass(frozen=True, slots=True)
class Sample:
    """Entities of one type (this harness's own left out) and the query that returned them."""

    type: ExposedType
    entities: list[dict[str, Any]]
    exchange: Exchange


async def sample(ctx: CheckContext, exposed: ExposedType, limit: int) -> Sample | None:
    """Up to ``limit`` entities of a type in the normalized representation; None (and a note)
    when the query does not answer an array - MIM1.RO.QUERY.TYPE judges queries."""
    params = {"type": exposed.name, "limit": str(limit)}
    response = await ctx.get("/entities", params=params, headers=ACCEPT_JSON)
    exchange = ctx.exchanges[-1]
    try:
        body = response.json() if response.status == 200 else None
    except ValueError:
        body = None
    if not isinstance(body, list):
        ctx.note(
            f"{exposed.label}: not sampled, the query answered {response.status} without an"
            " array (see MIM1.RO.QUERY.TYPE)"
        )
        return None
    entities = [e for e in body if isinstance(e, dict) and not made_by_harness(e)]
    return Sample(exposed, entities, exchange)


async def samples(
    ctx: CheckContext, types: Sequence[ExposedType], limit: int = SAMPLE_SIZE
) -> list[Sample]:
    """Non-empty samples of the first :data:`MAX_TYPES` types."""
    found: list[Sample] = []
    for exposed in types[:MAX_TYPES]:
        taken = await sample(ctx, exposed, limit)
        if taken is not None and taken.entities:
            found.append(taken)
    if len(types) > MAX_TYPES:
        ctx.note(f"{len(types) - MAX_TYPES} more types not sampled (at most {MAX_TYPES})")
    return found


def to_the_end(ctx: CheckContext, exchanges: Iterable[Exchange]) -> None:
    """Move ``exchanges`` last, so that a failure's evidence (the last few) shows them."""
    wanted = {id(e) for e in exchanges}
    ctx.exchanges.sort(key=lambda e: id(e) in wanted)


# -- model terms and pointers -----------------------------------------------------------------


def in_model_terms(
    entity: dict[str, Any], exposed: ExposedType
) -> tuple[dict[str, Any], dict[str, str]]:
    """The entity with its type and the attribute names its model's @context defines written
    as terms, and {new pointer: pointer as received} for every renamed member.

    Only entities of a type the platform reported as an IRI are rewritten; the others come
    back as they are, with an empty map. A name whose term the entity already uses is kept.
    """
    model = exposed.model
    if model is None or not exposed.by_iri:
        return entity, {}
    reverse = _reverse_terms(model.context_path) if model.context_path is not None else {}
    renamed: dict[str, str] = {}
    document: dict[str, Any] = {}
    for key, value in entity.items():
        if key == "type":
            document[key] = _renamed_type(value, exposed.name, model.type)
        elif key in ENTITY_MEMBERS:
            document[key] = value
        else:
            name = _term(key, reverse, entity)
            new, old = "/" + escape(name), "/" + escape(key)
            if name != key:
                renamed[new] = old
            document[name] = _instances(value, reverse, new, old, renamed)
    return document, renamed


def _term(key: str, reverse: dict[str, str], siblings: dict[str, Any]) -> str:
    """The model's term for an IRI name (a default-vocabulary IRI: its last segment)."""
    term = reverse.get(key)
    if term is None and key.startswith(DEFAULT_CONTEXT):
        term = key.removeprefix(DEFAULT_CONTEXT)
    return term if term is not None and term not in siblings else key


def _renamed_type(value: Any, reported: str, term: str) -> Any:
    if isinstance(value, list):
        return [term if v == reported else v for v in value]
    return term if value == reported else value


def _instances(
    value: Any, reverse: dict[str, str], new: str, old: str, renamed: dict[str, str]
) -> Any:
    if isinstance(value, list):
        return [
            _instances(v, reverse, f"{new}/{i}", f"{old}/{i}", renamed) for i, v in enumerate(value)
        ]
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return value
    out: dict[str, Any] = {}
    for key, member in value.items():
        if key in INSTANCE_MEMBERS or not isinstance(member, dict | list):
            out[key] = member
            continue
        name = _term(key, reverse, value)
        new_at, old_at = f"{new}/{escape(name)}", f"{old}/{escape(key)}"
        if name != key:
            renamed[new_at] = old_at
        out[name] = _instances(member, reverse, new_at, old_at, renamed)
    return out


def input_pointer_of(pointer: str, renamed: dict[str, str]) -> str:
    """A finding's pointer into the entity as the platform sent it (longest renamed prefix)."""
    if not renamed:
        return pointer
    tokens = pointer.split("/")
    for end in range(len(tokens), 1, -1):
        prefix = "/".join(tokens[:end])
        if prefix in renamed:
            return renamed[prefix] + "".join("/" + t for t in tokens[end:])
    return pointer


# -- evidence ---------------------------------------------------------------------------------


def errors_of(report: EntityReport) -> list[Finding]:
    return [f for f in report.findings if f.severity is Severity.ERROR]


def describe_invalid(
    invalid: Sequence[tuple[str, str | None, list[Finding], dict[str, str]]],
) -> str:
    """The first :data:`SHOWN_INVALID` invalid entities: id, type and their first findings
    (pointer, rule, message); each item is (type label, id, error findings, renamed map)."""
    parts: list[str] = []
    for label, entity_id, findings, renamed in invalid[:SHOWN_INVALID]:
        shown = [
            f"{input_pointer_of(f.pointer, renamed) or '(entity)'} {f.rule}: {_short(f.message)}"
            for f in findings[:_SHOWN_FINDINGS]
        ]
        more = len(findings) - _SHOWN_FINDINGS
        tail = f" (+{more} more)" if more > 0 else ""
        parts.append(f"{entity_id} ({label}): " + "; ".join(shown) + tail)
    if len(invalid) > SHOWN_INVALID:
        parts.append(f"{len(invalid) - SHOWN_INVALID} more invalid entities")
    return " | ".join(parts)


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE else text[: _MESSAGE - 3] + "..."
