"""User @context processing: precedence, prefixes, aliases, errors (CIM 009 4.4, 5.5.7)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from reference_server.jsonld import (
    CORE_CONTEXT_URL,
    ActiveContext,
    ContextError,
    ContextResolver,
    InvalidContext,
    LdContextNotAvailable,
)

NGSI = "https://uri.etsi.org/ngsi-ld/"
DEFAULT_CONTEXT = NGSI + "default-context/"
EX = "http://example.org/"


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected fetch of {request.url}")


@pytest.fixture
async def resolver() -> AsyncIterator[ContextResolver]:
    resolver = ContextResolver(transport=httpx.MockTransport(_no_network))
    yield resolver
    await resolver.aclose()


async def test_user_term_overrides_default_context(resolver: ContextResolver) -> None:
    assert resolver.core().expand_term("speed") == DEFAULT_CONTEXT + "speed"
    active = await resolver.resolve({"speed": EX + "speed"})
    assert active.expand_term("speed") == EX + "speed"
    assert active.compact_iri(EX + "speed") == "speed"
    assert not active.is_core_only


async def test_user_cannot_override_core_terms(resolver: ContextResolver) -> None:
    hostile = {
        "Property": EX + "Property",
        "location": EX + "location",
        "ngsi-ld": EX,
        "id": EX + "id",
        "@vocab": EX,
    }
    active = await resolver.resolve(hostile)
    assert active.expand_term("Property") == NGSI + "Property"
    assert active.expand_term("location") == NGSI + "location"
    assert active.expand_term("ngsi-ld:foo") == NGSI + "foo"
    assert active.expand_term("id") == "@id"
    assert active.expand_term("undefined") == DEFAULT_CONTEXT + "undefined"
    assert active.compact_iri(NGSI + "location") == "location"
    assert active.is_core_only


@pytest.mark.parametrize(
    "shape",
    [
        lambda user: [CORE_CONTEXT_URL, user],
        lambda user: [user, CORE_CONTEXT_URL],
        lambda user: [CORE_CONTEXT_URL, user, CORE_CONTEXT_URL],
    ],
)
async def test_core_wins_wherever_the_core_url_appears(
    resolver: ContextResolver, shape: object
) -> None:
    assert callable(shape)
    user = {"observedAt": EX + "observedAt", "speed": EX + "speed"}
    active = await resolver.resolve(shape(user))
    assert active.expand_term("observedAt") == NGSI + "observedAt"
    assert active.expand_term("speed") == EX + "speed"


async def test_core_term_wins_compaction_of_its_iri(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"P": NGSI + "Property", "identifier": "@id"})
    assert active.expand_term("P") == NGSI + "Property"
    assert active.compact_iri(NGSI + "Property") == "Property"
    assert active.expand_term("identifier") == "@id"
    assert active.compact_iri("@id") == "id"


async def test_compact_iris_through_user_prefix(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"schema": "https://schema.org/", "name": "schema:name"})
    assert active.expand_term("name") == "https://schema.org/name"
    assert active.expand_term("schema:address") == "https://schema.org/address"
    assert active.compact_iri("https://schema.org/name") == "name"
    assert active.compact_iri("https://schema.org/address") == "schema:address"


async def test_prefix_defined_in_a_later_entry(resolver: ContextResolver) -> None:
    active = await resolver.resolve([{"name": "ex:name"}, {"ex": EX}])
    assert active.expand_term("name") == EX + "name"


async def test_prefix_chain_and_term_reference(resolver: ContextResolver) -> None:
    ctx = {"ex": EX, "exv": "ex:vocab/", "temp": "temperature", "temperature": "exv:temp"}
    active = await resolver.resolve(ctx)
    assert active.expand_term("temperature") == EX + "vocab/temp"
    assert active.expand_term("temp") == EX + "vocab/temp"
    assert active.compact_iri(EX + "vocab/temp") == "temp"


async def test_longest_prefix_wins(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"ex": EX, "exv": EX + "vocab/", "exq": EX + "q"})
    assert active.compact_iri(EX + "vocab/x") == "exv:x"
    assert active.compact_iri(EX + "other") == "ex:other"


async def test_prefix_must_end_in_slash_or_hash(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"exq": EX + "q", "hash": "http://h.example/v#"})
    assert active.compact_iri(EX + "qx") == EX + "qx"
    assert active.compact_iri("http://h.example/v#x") == "hash:x"
    assert active.expand_term("exq:x") == EX + "qx"


async def test_compact_iri_never_collides_with_a_term(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"ex": EX, "ex:a": "http://other.example/a"})
    assert active.expand_term("ex:a") == "http://other.example/a"
    assert active.compact_iri(EX + "a") == EX + "a"
    assert active.compact_iri("http://other.example/a") == "ex:a"


async def test_vocab_stripping_skips_terms_mapped_elsewhere(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"foo": EX + "foo"})
    short = active.compact_iri(DEFAULT_CONTEXT + "foo")
    assert short == "ngsi-ld:default-context/foo"
    assert active.expand_term(short) == DEFAULT_CONTEXT + "foo"


async def test_equal_iris_pick_shortest_then_smallest_term(resolver: ContextResolver) -> None:
    ctx = {"bb": EX + "x", "aa": EX + "x", "longer": EX + "x"}
    active = await resolver.resolve(ctx)
    assert active.compact_iri(EX + "x") == "aa"


async def test_nested_arrays_are_flattened(resolver: ContextResolver) -> None:
    active = await resolver.resolve([[{"a": EX + "a"}], [[{"b": EX + "b"}], CORE_CONTEXT_URL]])
    assert active.expand_term("a") == EX + "a"
    assert active.expand_term("b") == EX + "b"


async def test_null_entry_resets_the_user_context(resolver: ContextResolver) -> None:
    active = await resolver.resolve([{"a": EX + "a"}, None, {"b": EX + "b"}])
    assert active.expand_term("a") == DEFAULT_CONTEXT + "a"
    assert active.expand_term("b") == EX + "b"
    assert active.expand_term("Property") == NGSI + "Property"


async def test_null_term_removes_it(resolver: ContextResolver) -> None:
    active = await resolver.resolve(
        [{"a": EX + "a", "b": EX + "b"}, {"a": None, "b": {"@id": None}}]
    )
    assert active.expand_term("a") == DEFAULT_CONTEXT + "a"
    assert active.expand_term("b") == DEFAULT_CONTEXT + "b"
    assert active.is_core_only


async def test_user_vocab_applies_to_user_definitions_only(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"@vocab": EX, "rel": {"@type": "@id"}, "same": "same"})
    assert active.expand_term("rel") == EX + "rel"
    assert active.expand_term("same") == EX + "same"
    assert active.expand_term("undefined") == DEFAULT_CONTEXT + "undefined"
    assert active.vocab == DEFAULT_CONTEXT


async def test_compact_iri_vocab(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"ex": EX, "@vocab": "ex:v/", "a": {"@type": "@id"}})
    assert active.expand_term("a") == EX + "v/a"


async def test_expanded_definition_details(resolver: ContextResolver) -> None:
    ctx = {"isParked": {"@id": EX + "isParked", "@type": "@id", "@container": ["@set"]}}
    active = await resolver.resolve(ctx)
    definition = active.term_definition("isParked")
    assert definition is not None
    assert definition.iri == EX + "isParked"
    assert definition.type_mapping == "@id"
    assert definition.container == ("@set",)
    assert not definition.is_core


async def test_definition_without_id_uses_term(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"ex": EX, "ex:thing": {"@type": "@id"}, "bare": {}})
    assert active.expand_term("ex:thing") == EX + "thing"
    assert active.expand_term("bare") == DEFAULT_CONTEXT + "bare"


async def test_reverse_definitions_are_ignored(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"parentOf": {"@reverse": EX + "childOf"}})
    assert active.expand_term("parentOf") == DEFAULT_CONTEXT + "parentOf"


async def test_scoped_contexts_are_flagged(resolver: ContextResolver) -> None:
    ctx = {"a": {"@id": EX + "a", "@context": {"b": EX + "b"}}}
    active = await resolver.resolve(ctx)
    assert active.user_scoped_terms == frozenset({"a"})
    assert active.expand_term("b") == DEFAULT_CONTEXT + "b"


async def test_ignored_keywords(resolver: ContextResolver) -> None:
    ctx = {
        "@version": 1.1,
        "@protected": True,
        "@base": "http://base.example/",
        "@propagate": False,
        "@language": "en",
        "a": EX + "a",
    }
    active = await resolver.resolve(ctx)
    assert active.expand_term("a") == EX + "a"


async def test_local_import_merges_under_local_entries(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"@import": CORE_CONTEXT_URL, "a": EX + "a"})
    assert active.expand_term("a") == EX + "a"
    assert active.expand_term("Property") == NGSI + "Property"


async def test_source_urls_and_cached_identity(resolver: ContextResolver) -> None:
    given = [CORE_CONTEXT_URL, {"a": EX + "a", "b": EX + "b"}]
    active = await resolver.resolve(given)
    assert active.source == given
    assert active.urls == ()
    reordered = [CORE_CONTEXT_URL, {"b": EX + "b", "a": EX + "a"}]
    assert await resolver.resolve(reordered) is active
    given[1] = {}
    assert active.source == [CORE_CONTEXT_URL, {"a": EX + "a", "b": EX + "b"}]


async def test_dict_context_has_no_urls(resolver: ContextResolver) -> None:
    active = await resolver.resolve({"a": EX + "a"})
    assert active.urls == ()


@pytest.mark.parametrize(
    "bad",
    [
        42,
        True,
        {"a": 42},
        {"a": ["x"]},
        {"": EX},
        {"a": {"@id": 5}},
        {"a": {"@type": ["@id"]}},
        {"a": {"@container": 3}},
        {"a": {"@prefix": "yes"}},
        {"@context": {}},
        {"a": "b:x", "b": "a:y"},
        {"@vocab": "relative"},
        {"@vocab": 7},
        {"@import": 5},
        [{"a": EX}, 3.5],
        {1, 2},
        "context.jsonld",
    ],
)
async def test_invalid_contexts(resolver: ContextResolver, bad: object) -> None:
    with pytest.raises(InvalidContext):
        await resolver.resolve(bad)


async def test_non_http_url_is_not_available(resolver: ContextResolver) -> None:
    with pytest.raises(LdContextNotAvailable) as caught:
        await resolver.resolve("urn:example:context")
    assert caught.value.url == "urn:example:context"
    assert "http" in caught.value.reason
    assert isinstance(caught.value, ContextError)
    assert caught.value.error_type == "LdContextNotAvailable"


def test_error_types() -> None:
    assert InvalidContext("x").error_type == "BadRequestData"
    assert issubclass(LdContextNotAvailable, ContextError)
    assert issubclass(InvalidContext, ContextError)


NAMES = ["temperature", "a1", "hasPart", "Vehicle", "refParking", "x_y", "name", "speed"]
IRIS = [
    EX + "speed",
    EX + "vocab/deep/x",
    "https://schema.org/name",
    "https://schema.org/address",
    NGSI + "Property",
    NGSI + "somethingNew",
    DEFAULT_CONTEXT + "temperature",
    DEFAULT_CONTEXT + "a/b",
    "https://purl.org/geojson/vocab#bbox",
    "urn:ngsi-ld:Thing:1",
    "http://unrelated.example/p",
    "@id",
]


@pytest.fixture
async def rich(resolver: ContextResolver) -> ActiveContext:
    ctx = [
        {"schema": "https://schema.org/", "name": "schema:name", "ex": EX},
        {"speed": "ex:speed", "hasPart": {"@id": "ex:hasPart", "@type": "@id"}},
        CORE_CONTEXT_URL,
    ]
    return await resolver.resolve(ctx)


async def test_round_trip_terms(rich: ActiveContext) -> None:
    for name in NAMES:
        assert rich.compact_iri(rich.expand_term(name)) == name, name
    for term in rich.terms:
        assert rich.compact_iri(rich.expand_term(term)) == term, term


async def test_round_trip_iris(rich: ActiveContext) -> None:
    for iri in IRIS:
        assert rich.expand_term(rich.compact_iri(iri)) == iri, iri


async def test_memoized_results_are_stable(rich: ActiveContext) -> None:
    first = [rich.expand_term(n) for n in NAMES] + [rich.compact_iri(i) for i in IRIS]
    second = [rich.expand_term(n) for n in NAMES] + [rich.compact_iri(i) for i in IRIS]
    assert first == second
