"""What a retrieval returns of an entity: attribute projection (attrs, pick, omit) and the
language filter on LanguageProperties (ETSI GS CIM 009 V1.8.1 clauses 4.15, 4.5.18, 4.21,
5.7.1.4, 5.7.1.5; HTTP binding 6.5.3.1)."""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import CheckContext
from mim_suite.checks.mim1._support import create_sample, retrieve
from mim_suite.checks.mim1.representation import (
    SAMPLE_KINDS,
    fetch_entity,
    member,
    representation_check,
    show,
)

LANGUAGE_MAP = {"en": "yes", "fr": "oui"}


def _attribute_names(body: dict[str, Any]) -> set[str]:
    """The members of an entity that name attributes of the sample entity."""
    return set(body) & set(SAMPLE_KINDS)


@representation_check(
    "MIM1.REPR.ATTRS.PROJECTION",
    "attrs on Retrieve Entity returns only the listed attributes.",
    "5.7.1.4",
)
async def attrs_projects(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"attrs": "speed,isParked"})
    names = _attribute_names(body)
    ctx.expect(
        names == {"speed", "isParked"},
        "attributes speed and isParked only",
        f"attributes {sorted(names)}",
    )
    ctx.expect(body.get("id") == entity["id"], f"id {entity['id']}", f"id {body.get('id')!r}")


@representation_check(
    "MIM1.REPR.ATTRS.NONE_404",
    "attrs naming no attribute the entity has makes Retrieve Entity fail with 404"
    " ResourceNotFound.",
    "5.7.1.4",
)
async def attrs_without_match_is_404(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    response = await retrieve(ctx, entity["id"], params={"attrs": "mimNoSuchAttribute"})
    ctx.expect_problem(response, 404, "ResourceNotFound")


@representation_check(
    "MIM1.REPR.PICK",
    "pick on Retrieve Entity keeps only the listed members.",
    "5.7.1.5",
)
async def pick_keeps_listed(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"pick": "id,type,speed"})
    names = _attribute_names(body)
    ctx.expect(names == {"speed"}, "attribute speed only", f"attributes {sorted(names)}")


@representation_check(
    "MIM1.REPR.OMIT",
    "omit on Retrieve Entity removes the listed members and keeps the others.",
    "5.7.1.5",
)
async def omit_removes_listed(ctx: CheckContext) -> None:
    entity = await create_sample(ctx)
    body = await fetch_entity(ctx, entity["id"], {"omit": "brandName,location"})
    names = _attribute_names(body)
    ctx.expect(
        names == {"speed", "isParked"},
        "attributes speed and isParked (brandName and location omitted)",
        f"attributes {sorted(names)}",
    )
    ctx.expect(body.get("id") == entity["id"], f"id {entity['id']}", f"id {body.get('id')!r}")


async def _language_entity(ctx: CheckContext) -> dict[str, Any]:
    says = {"type": "LanguageProperty", "languageMap": LANGUAGE_MAP}
    return await create_sample(ctx, says=says)


@representation_check(
    "MIM1.REPR.LANG.PROPERTY",
    "A LanguageProperty is returned normalized with its type and its languageMap.",
    "4.5.18.2",
)
async def language_property_round_trip(ctx: CheckContext) -> None:
    entity = await _language_entity(ctx)
    got = member(ctx, await fetch_entity(ctx, entity["id"]), "says")
    ctx.expect(
        isinstance(got, dict)
        and got.get("type") == "LanguageProperty"
        and got.get("languageMap") == LANGUAGE_MAP,
        f'says = {{"type": "LanguageProperty", "languageMap": {show(LANGUAGE_MAP)}}}',
        f"says: {show(got)}",
    )


@representation_check(
    "MIM1.REPR.LANG.FILTER",
    "With lang, a LanguageProperty becomes a Property whose value is the text in that language.",
    "4.15",
)
async def lang_filter_value(ctx: CheckContext) -> None:
    entity = await _language_entity(ctx)
    got = member(ctx, await fetch_entity(ctx, entity["id"], {"lang": "fr"}), "says")
    ctx.expect(
        isinstance(got, dict) and got.get("type") == "Property" and got.get("value") == "oui",
        'says = {"type": "Property", "value": "oui", ...}',
        f"says: {show(got)}",
    )


@representation_check(
    "MIM1.REPR.LANG.TAG",
    "With lang, the converted attribute carries a lang member naming the language returned.",
    "4.15",
)
async def lang_filter_tag(ctx: CheckContext) -> None:
    entity = await _language_entity(ctx)
    got = member(ctx, await fetch_entity(ctx, entity["id"], {"lang": "fr"}), "says")
    tag = got.get("lang") if isinstance(got, dict) else None
    ctx.expect(tag == "fr", 'says.lang = "fr"', f"says: {show(got)}")
