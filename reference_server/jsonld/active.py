"""Active contexts: term-level IRI expansion and compaction (ETSI GS CIM 009 V1.8.1, 5.5.7).

Hand-written for speed instead of a general JSON-LD processor: once a ``@context`` has been
resolved (and cached by :class:`~reference_server.jsonld.ContextResolver`), expanding a
term or compacting an IRI is a dictionary lookup, memoized per :class:`ActiveContext`.

Precedence (clause 4.4, clause 5.5.7): the NGSI-LD core ``@context`` is treated as if it
were the *last* entry of every ``@context`` array, so core terms, core prefixes and the
core ``@vocab`` always win; a user definition of a core term is silently ignored rather
than rejected (the common case is a user context that includes the core URL again).

Expansion (JSON-LD 1.1 API 5.2, IRI Expansion, vocab-relative): a defined term gives its
IRI; ``prefix:suffix`` with a defined prefix term gives the prefix IRI plus the suffix; an
absolute IRI (``scheme:...``) or a blank node is returned unchanged; anything else is
appended to ``@vocab`` (the core default-context, ``https://uri.etsi.org/ngsi-ld/default-
context/``). Keywords are returned unchanged.

Compaction (JSON-LD 1.1 API 6.2, IRI Compaction, simplified): a term mapping to the IRI
(core terms first, then the shortest and lexicographically least user term); else the
IRI with the ``@vocab`` prefix removed; else a compact IRI ``prefix:suffix`` using the
longest prefix IRI ending in ``/`` or ``#``; else the IRI itself (clause 5.5.7: "render
Fully Qualified Names"). A candidate is only used if it expands back to the IRI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .processing import ContextState, RawTerm, TermResolver, has_scheme, is_keyword

__all__ = ["ActiveContext", "CoreBundle", "TermDefinition", "assemble", "build_core_bundle"]

_MEMO_LIMIT = 8192


@dataclass(frozen=True, slots=True)
class TermDefinition:
    """A resolved term: its IRI and the JSON-LD extras kept for callers (not used here)."""

    term: str
    iri: str
    type_mapping: str | None
    container: tuple[str, ...]
    has_scoped_context: bool
    is_core: bool


@dataclass(frozen=True, slots=True)
class CoreBundle:
    """One core ``@context`` version, resolved once and shared by every active context."""

    version: str
    url: str
    raw_terms: Mapping[str, RawTerm]
    definitions: Mapping[str, TermDefinition]
    vocab: str | None
    reverse: Mapping[str, str]
    prefixes: tuple[tuple[str, str], ...]


def _better(candidate: str, current: str | None) -> bool:
    return current is None or (len(candidate), candidate) < (len(current), current)


def _reverse_index(definitions: Mapping[str, TermDefinition]) -> dict[str, str]:
    best: dict[str, str] = {}
    for term, definition in definitions.items():
        if _better(term, best.get(definition.iri)):
            best[definition.iri] = term
    return best


def _is_prefix(term: str, raw: RawTerm, iri: str) -> bool:
    if ":" in term or raw.prefix is False or is_keyword(iri):
        return False
    return iri.endswith(("/", "#"))


def _prefix_entries(
    definitions: Mapping[str, TermDefinition], raw_terms: Mapping[str, RawTerm]
) -> list[tuple[str, str]]:
    return [
        (d.iri, term) for term, d in definitions.items() if _is_prefix(term, raw_terms[term], d.iri)
    ]


def _sort_prefixes(entries: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(entries, key=lambda e: (-len(e[0]), len(e[1]), e[1])))


def _definitions(
    raw_terms: Mapping[str, RawTerm], resolver: TermResolver, *, is_core: bool
) -> dict[str, TermDefinition]:
    return {
        term: TermDefinition(
            term=term,
            iri=resolver.iri(term),
            type_mapping=raw.type_mapping,
            container=raw.container,
            has_scoped_context=raw.scoped,
            is_core=is_core,
        )
        for term, raw in raw_terms.items()
    }


def build_core_bundle(version: str, url: str, state: ContextState) -> CoreBundle:
    """Resolve a processed core context on its own (no user term can affect it)."""
    resolver = TermResolver(state.terms, state.vocab)
    definitions = _definitions(state.terms, resolver, is_core=True)
    return CoreBundle(
        version=version,
        url=url,
        raw_terms=MappingProxyType(dict(state.terms)),
        definitions=MappingProxyType(definitions),
        vocab=state.vocab,
        reverse=MappingProxyType(_reverse_index(definitions)),
        prefixes=_sort_prefixes(_prefix_entries(definitions, state.terms)),
    )


def assemble(
    state: ContextState, core: CoreBundle, source: object, urls: tuple[str, ...]
) -> ActiveContext:
    """Merge a processed user context under the core context (core last, core wins)."""
    user_raw = {t: raw for t, raw in state.terms.items() if t not in core.raw_terms}
    seed = {term: d.iri for term, d in core.definitions.items()}
    resolver = TermResolver({**user_raw, **core.raw_terms}, core.vocab, seed)
    user_defs = _definitions(user_raw, resolver, is_core=False)
    reverse = _reverse_index(user_defs)
    reverse.update(core.reverse)
    prefixes = _prefix_entries(user_defs, user_raw) + list(core.prefixes)
    return ActiveContext(
        definitions={**user_defs, **core.definitions},
        reverse=reverse,
        prefixes=_sort_prefixes(prefixes),
        vocab=core.vocab,
        core_url=core.url,
        source=source,
        urls=urls,
        user_scoped=frozenset(t for t, raw in user_raw.items() if raw.scoped and not raw.bundled),
    )


class ActiveContext:
    """An immutable, fully resolved context; ``expand_term``/``compact_iri`` are cheap."""

    __slots__ = (
        "_compact_memo",
        "_core_only",
        "_core_url",
        "_definitions",
        "_expand_memo",
        "_iris",
        "_prefixes",
        "_reverse",
        "_source",
        "_urls",
        "_user_scoped",
        "_vocab",
    )

    def __init__(
        self,
        *,
        definitions: Mapping[str, TermDefinition],
        reverse: Mapping[str, str],
        prefixes: tuple[tuple[str, str], ...],
        vocab: str | None,
        core_url: str,
        source: object,
        urls: tuple[str, ...],
        user_scoped: frozenset[str] = frozenset(),
    ) -> None:
        self._definitions = MappingProxyType(dict(definitions))
        self._iris = MappingProxyType({t: d.iri for t, d in definitions.items()})
        self._reverse = dict(reverse)
        self._prefixes = prefixes
        self._vocab = vocab
        self._core_url = core_url
        self._source = source
        self._urls = urls
        self._core_only = all(d.is_core for d in definitions.values())
        self._user_scoped = user_scoped
        self._expand_memo: dict[str, str] = {}
        self._compact_memo: dict[str, str] = {}

    @property
    def source(self) -> object:
        """The user ``@context`` as given (``None``: only the core context is in effect)."""
        return self._source

    @property
    def is_core_only(self) -> bool:
        """True when the user context defines no term beyond the core context's own."""
        return self._core_only

    @property
    def urls(self) -> tuple[str, ...]:
        """The top-level remote URL entries of the user context, in order (for ``Link``
        headers); URLs of bundled core contexts are left out."""
        return self._urls

    @property
    def core_url(self) -> str:
        """The URL of the core ``@context`` that is implicitly in effect."""
        return self._core_url

    @property
    def vocab(self) -> str | None:
        """The ``@vocab`` mapping in effect (the core context's)."""
        return self._vocab

    @property
    def terms(self) -> Mapping[str, str]:
        """Read-only map of every defined term to its IRI (keyword aliases included)."""
        return self._iris

    @property
    def user_scoped_terms(self) -> frozenset[str]:
        """User terms with a scoped ``@context`` (clause 5.5.7: a user context shall not have
        any); terms from bundled core documents listed by the user are not counted."""
        return self._user_scoped

    def term_definition(self, term: str) -> TermDefinition | None:
        """The definition of ``term`` (with its ``@type``/``@container``), if defined."""
        return self._definitions.get(term)

    def expand_term(self, term: str) -> str:
        """The IRI of ``term`` (vocab-relative IRI expansion, see the module docstring)."""
        iri = self._expand_memo.get(term)
        if iri is None:
            iri = self._expand(term)
            _remember(self._expand_memo, term, iri)
        return iri

    def compact_iri(self, iri: str) -> str:
        """The best short form of ``iri``: a term, a vocab-relative name, a compact IRI, or
        the IRI itself."""
        short = self._compact_memo.get(iri)
        if short is None:
            short = self._compact(iri)
            _remember(self._compact_memo, iri, short)
        return short

    def _expand(self, term: str) -> str:
        known = self._iris.get(term)
        if known is not None:
            return known
        if is_keyword(term):
            return term
        if ":" in term:
            return self._expand_colon(term)
        return self._with_vocab(term)

    def _expand_colon(self, term: str) -> str:
        prefix, _, suffix = term.partition(":")
        if prefix == "_":
            return term
        base = self._iris.get(prefix)
        if base is not None and not suffix.startswith("//") and not is_keyword(base):
            return base + suffix
        return term if has_scheme(term) else self._with_vocab(term)

    def _with_vocab(self, term: str) -> str:
        return term if self._vocab is None else self._vocab + term

    def _compact(self, iri: str) -> str:
        term = self._reverse.get(iri)
        if term is not None:
            return term
        short = self._vocab_relative(iri)
        if short is None:
            short = self._prefixed(iri)
        return iri if short is None else short

    def _vocab_relative(self, iri: str) -> str | None:
        vocab = self._vocab
        if not vocab or not iri.startswith(vocab) or len(iri) == len(vocab):
            return None
        suffix = iri[len(vocab) :]
        if ":" in suffix or suffix.startswith("@") or suffix in self._iris:
            return None
        return suffix if self.expand_term(suffix) == iri else None

    def _prefixed(self, iri: str) -> str | None:
        for prefix_iri, term in self._prefixes:
            if len(iri) <= len(prefix_iri) or not iri.startswith(prefix_iri):
                continue
            candidate = f"{term}:{iri[len(prefix_iri) :]}"
            if candidate not in self._iris and self.expand_term(candidate) == iri:
                return candidate
        return None

    def __repr__(self) -> str:
        return f"ActiveContext(source={self._source!r}, terms={len(self._iris)})"


def _remember(memo: dict[str, str], key: str, value: str) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
