"""Bundled NGSI-LD core @context documents and core-only term handling (CIM 009 4.4, 5.5.5)."""

from __future__ import annotations

import httpx
import pytest

from reference_server.jsonld import (
    BUNDLED_CORE_VERSIONS,
    CORE_CONTEXT_URL,
    DEFAULT_CORE_VERSION,
    UNVERSIONED_CORE_CONTEXT_URL,
    ContextResolver,
    ContextSettings,
    core_context_url,
)

NGSI = "https://uri.etsi.org/ngsi-ld/"
DEFAULT_CONTEXT = NGSI + "default-context/"


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected fetch of {request.url}")


def _resolver(version: str = DEFAULT_CORE_VERSION) -> ContextResolver:
    settings = ContextSettings(core_version=version)
    return ContextResolver(settings, transport=httpx.MockTransport(_no_network))


def test_default_core_url_is_v18() -> None:
    assert DEFAULT_CORE_VERSION == "1.8"
    assert CORE_CONTEXT_URL == NGSI + "v1/ngsi-ld-core-context-v1.8.jsonld"
    assert _resolver().core().core_url == CORE_CONTEXT_URL


def test_core_context_url_per_version() -> None:
    assert core_context_url("1.3") == NGSI + "v1/ngsi-ld-core-context-v1.3.jsonld"
    assert core_context_url("v1.9") == NGSI + "v1/ngsi-ld-core-context-v1.9.jsonld"
    assert core_context_url("1.8.1") == CORE_CONTEXT_URL
    assert core_context_url("1.0") == UNVERSIONED_CORE_CONTEXT_URL


@pytest.mark.parametrize("version", ["1.5", "2.0", "latest"])
def test_unknown_core_version_is_rejected(version: str) -> None:
    with pytest.raises(ValueError, match="no bundled"):
        core_context_url(version)
    with pytest.raises(ValueError, match="no bundled"):
        ContextResolver(ContextSettings(core_version=version))


@pytest.mark.parametrize("version", BUNDLED_CORE_VERSIONS)
@pytest.mark.parametrize(
    ("term", "iri"),
    [
        ("Property", NGSI + "Property"),
        ("Relationship", NGSI + "Relationship"),
        ("GeoProperty", NGSI + "GeoProperty"),
        ("observedAt", NGSI + "observedAt"),
        ("location", NGSI + "location"),
        ("value", NGSI + "hasValue"),
        ("object", NGSI + "hasObject"),
        ("id", "@id"),
        ("type", "@type"),
    ],
)
def test_core_terms_expand_and_compact(version: str, term: str, iri: str) -> None:
    core = _resolver(version).core()
    assert core.expand_term(term) == iri
    assert core.compact_iri(iri) == term


@pytest.mark.parametrize("version", BUNDLED_CORE_VERSIONS)
def test_every_core_term_round_trips(version: str) -> None:
    core = _resolver(version).core()
    assert len(core.terms) > 50
    for term in core.terms:
        assert core.compact_iri(core.expand_term(term)) == term, term


@pytest.mark.parametrize("version", BUNDLED_CORE_VERSIONS)
def test_default_context_fallback(version: str) -> None:
    core = _resolver(version).core()
    assert core.vocab == DEFAULT_CONTEXT
    assert core.expand_term("Vehicle") == DEFAULT_CONTEXT + "Vehicle"
    assert core.expand_term("brandName") == DEFAULT_CONTEXT + "brandName"
    assert core.compact_iri(DEFAULT_CONTEXT + "brandName") == "brandName"


def test_core_only_properties() -> None:
    core = _resolver().core()
    assert core.source is None
    assert core.is_core_only
    assert core.urls == ()
    assert core.user_scoped_terms == frozenset()


def test_core_ngsi_ld_prefix_compacts_unknown_core_iris() -> None:
    core = _resolver().core()
    assert core.expand_term("ngsi-ld:something") == NGSI + "something"
    assert core.compact_iri(NGSI + "something") == "ngsi-ld:something"
    assert core.compact_iri("https://purl.org/geojson/vocab#bbox") == "bbox"


def test_absolute_iris_keywords_and_blank_nodes_are_unchanged() -> None:
    core = _resolver().core()
    for value in ["urn:ngsi-ld:Vehicle:A1", "http://example.org/x", "@context", "_:b0"]:
        assert core.expand_term(value) == value
    assert core.compact_iri("http://example.org/x") == "http://example.org/x"
    assert core.compact_iri("@context") == "@context"


def test_version_sensitive_attribute_count() -> None:
    assert _resolver("1.8").core().expand_term("attributeCount") == (
        DEFAULT_CONTEXT + "attributeCount"
    )
    assert _resolver("1.9").core().expand_term("attributeCount") == NGSI + "attributeCount"


def test_term_definition_keeps_type_and_container() -> None:
    core = _resolver().core()
    observed = core.term_definition("observedAt")
    assert observed is not None
    assert observed.iri == NGSI + "observedAt"
    assert observed.type_mapping == "DateTime"
    assert observed.is_core
    coordinates = core.term_definition("coordinates")
    assert coordinates is not None
    assert coordinates.container == ("@list",)
    assert core.term_definition("notATerm") is None


def test_v19_core_scoped_context_is_not_a_user_scoped_term() -> None:
    core = _resolver("1.9").core()
    proof = core.term_definition("ngsildproof")
    assert proof is not None
    assert proof.has_scoped_context
    assert core.user_scoped_terms == frozenset()


@pytest.mark.parametrize(
    "url",
    [
        CORE_CONTEXT_URL,
        CORE_CONTEXT_URL.replace("https://", "http://"),
        core_context_url("1.3"),
        UNVERSIONED_CORE_CONTEXT_URL,
        UNVERSIONED_CORE_CONTEXT_URL.replace("https://", "http://"),
        NGSI + "v1/ngsi-ld-core-context-v1.0.jsonld",
    ],
)
async def test_core_urls_resolve_offline(url: str) -> None:
    resolver = _resolver()
    active = await resolver.resolve(url)
    assert active.urls == ()
    assert active.source == url
    assert active.expand_term("Property") == NGSI + "Property"
    await resolver.aclose()


async def test_unversioned_url_serves_v10_terms() -> None:
    resolver = _resolver()
    assert resolver.core().expand_term("expires") == DEFAULT_CONTEXT + "expires"
    active = await resolver.resolve(UNVERSIONED_CORE_CONTEXT_URL)
    assert active.expand_term("expires") == NGSI + "expires"
    assert not active.is_core_only
    await resolver.aclose()


async def test_configured_core_url_alone_is_core_only() -> None:
    resolver = _resolver()
    active = await resolver.resolve([CORE_CONTEXT_URL])
    assert active.is_core_only
    assert active.core_url == CORE_CONTEXT_URL
    assert await resolver.resolve(None) is resolver.core()
    await resolver.aclose()


async def test_newer_core_url_in_user_context_is_not_user_scoped() -> None:
    resolver = _resolver("1.8")
    active = await resolver.resolve([core_context_url("1.9"), {"a": "http://example.org/a"}])
    proof = active.term_definition("ngsildproof")
    assert proof is not None
    assert proof.has_scoped_context
    assert not proof.is_core
    assert active.user_scoped_terms == frozenset()
    # the configured v1.8 core is applied last, so its own mapping wins
    assert active.expand_term("attributeCount") == DEFAULT_CONTEXT + "attributeCount"
    await resolver.aclose()
