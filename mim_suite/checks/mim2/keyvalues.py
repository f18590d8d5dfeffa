"""The keyValues form of an entity says what its normalized form says (OASC MIM2 R3).

Smart Data Models schemas describe the keyValues form (ETSI GS CIM 009 V1.8.1 clause 4.5.4),
so a consumer of shared data models reads entities with ``options=keyValues``; what it gets
must be the projection of the normalized entity: Property and GeoProperty values, Relationship
objects, ListProperty value lists, ListRelationship object lists. LanguageProperty,
VocabProperty and JsonProperty values are accepted bare or in their 4.5.4 wrappers
(``{"languageMap": ...}``, ``{"vocab": ...}``, ``{"json": ...}``), JSON-LD value objects
(``{"@type": "DateTime", "@value": ...}``) as their ``@value``; attributes with several
instances are not compared (their keyValues form is a dataset map).

Live data changes: an entity is judged only if a second normalized retrieval after the
keyValues one answers the same entity; otherwise the note says it changed while read.
"""

from __future__ import annotations

from typing import Any, Final

from mim_suite.catalogue import Catalogue
from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1._support import entity_path
from mim_suite.checks.mim2 import MIM
from mim_suite.checks.mim2._support import (
    ACCEPT_JSON,
    AREA,
    MAX_TYPES,
    NO_DATA,
    exposed_types,
    oasc_mim2,
    sample,
)
from mim_suite.model import Strength
from mim_suite.probe import ProbeResponse
from mim_suite.validation import to_key_values
from mim_suite.validation.representation import ENTITY_MEMBERS

PAGE: Final = 5
_WRAPPERS: Final = ("languageMap", "vocab", "json")
_SHOWN: Final = 5


def _body(response: ProbeResponse) -> Any:
    try:
        return response.json() if response.status == 200 else None
    except ValueError:
        return None


def _unwrapped(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (member,) = value
        if member in _WRAPPERS:
            return value[member]
    return value


def _types(value: Any) -> list[Any]:
    return sorted(map(str, value)) if isinstance(value, list) else [value]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def differences(normalized: dict[str, Any], key_values: Any) -> list[str]:
    """How the keyValues form departs from the projection of the normalized one."""
    if not isinstance(key_values, dict):
        return [f"the keyValues answer is not an entity object: {_short(key_values)}"]
    projected, _ = to_key_values(normalized, "normalized")
    simplified, _ = to_key_values(key_values, "keyValues")
    found: list[str] = []
    for member in ("id", "type", "scope"):
        want, got = normalized.get(member), key_values.get(member)
        if _types(want) != _types(got):
            found.append(f"{member}: {_short(got)} in keyValues, {_short(want)} normalized")
    several = {k for k, v in normalized.items() if isinstance(v, list)}
    names = {k for k in projected if k not in ENTITY_MEMBERS}
    kv_names = {k for k in simplified if k not in ENTITY_MEMBERS}
    found += [f"{n}: missing in keyValues" for n in sorted(names - kv_names)]
    found += [f"{n}: in keyValues only" for n in sorted(kv_names - names)]
    for name in sorted((names & kv_names) - several):
        want, got = projected[name], simplified[name]
        if got != want and _unwrapped(got) != want:
            found.append(f"{name}: {_short(got)} in keyValues, {_short(want)} normalized")
    return found


@check(
    "MIM2.MODELS.KEYVALUES.CONSISTENT",
    mim=MIM,
    area=AREA,
    requirement=(
        'OASC MIM2 R3, "Data models used shall support the exchange of data via the context'
        ' management API (MIM1)": retrieving a sampled entity with options=keyValues answers'
        " the keyValues projection of its normalized form (the form Smart Data Models schemas"
        " describe)."
    ),
    source=oasc_mim2("R3"),
    strength=Strength.SHOULD,
)
async def key_values_match_normalized(ctx: CheckContext) -> None:
    judged = sampled = 0
    for exposed in (await exposed_types(ctx, Catalogue.load()))[:MAX_TYPES]:
        taken = await sample(ctx, exposed, PAGE)
        entity_id = taken.entities[0].get("id") if taken and taken.entities else None
        if not isinstance(entity_id, str):
            continue
        sampled += 1
        path = entity_path(entity_id)
        normalized = _body(await ctx.get(path, headers=ACCEPT_JSON))
        if not isinstance(normalized, dict):
            ctx.note(f"{entity_id}: not judged, retrieving it did not answer the entity")
            continue
        response = await ctx.get(path, params={"options": "keyValues"}, headers=ACCEPT_JSON)
        ctx.expect_status(response, 200)
        found = differences(normalized, ctx.json(response))
        if found and _body(await ctx.get(path, headers=ACCEPT_JSON)) != normalized:
            ctx.note(f"{entity_id}: not judged, it changed while the check read it")
            continue
        ctx.expect(
            not found,
            f"the keyValues form of {entity_id} ({exposed.label}) equal to the projection of"
            " its normalized form",
            "; ".join(found[:_SHOWN])
            + (f" (+{len(found) - _SHOWN} more)" if len(found) > _SHOWN else ""),
        )
        judged += 1
    if not sampled:
        ctx.skip(NO_DATA)
    if not judged:
        ctx.skip("no sampled entity could be judged (see the notes)")
    ctx.note(f"{judged} {'entity' if judged == 1 else 'entities'} judged, one per type")
