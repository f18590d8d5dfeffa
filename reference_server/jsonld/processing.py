"""JSON-LD 1.1 context processing, term-level subset (JSON-LD 1.1 API 4.1, 4.2; CIM 009 5.5.7).

NGSI-LD brokers expand and compact *terms* (attribute names, entity types, VocabProperty
values: ETSI GS CIM 009 V1.8.1 clause 5.5.7), not whole documents, so this module does not
run the JSON-LD expansion algorithm. It walks a ``@context`` value the way the JSON-LD 1.1
Context Processing algorithm does and records, per term, what is needed to map it to an IRI:

* arrays are processed in order (nested arrays are flattened, leniently); ``null`` resets
  the context; strings are URLs handed to a :class:`ContextLoader`; objects hold term
  definitions and ``@vocab``, ``@import`` (loaded like a URL and merged under the local
  entries), ``@base``, ``@version``, ``@protected``, ``@propagate`` (ignored);
* a term maps to a string (IRI, compact IRI, another term, or a keyword: an alias), to an
  object with ``@id`` (``@type``, ``@container``, ``@prefix`` kept, a scoped ``@context``
  only flagged), or to ``null``, which removes the term;
* IRIs are resolved lazily against the *final* set of terms, so a prefix may be defined in
  any entry of the context; cycles raise :class:`InvalidContext`.

Remote contexts are followed with a cycle check and a depth bound.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

from .errors import InvalidContext

__all__ = [
    "ContextLoader",
    "ContextProcessor",
    "ContextState",
    "LoadedContext",
    "RawTerm",
    "TermResolver",
    "apply_local_context",
    "has_scheme",
    "is_keyword",
]

_KEYWORD_RE = re.compile(r"@[A-Za-z]+")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def is_keyword(value: str) -> bool:
    """Whether ``value`` has the form of a JSON-LD keyword (``@`` followed by letters)."""
    return _KEYWORD_RE.fullmatch(value) is not None


def has_scheme(value: str) -> bool:
    """Whether ``value`` starts with an IRI scheme (``http:``, ``urn:``...)."""
    return _SCHEME_RE.match(value) is not None


@dataclass(frozen=True, slots=True)
class RawTerm:
    """One term definition as written, before IRI resolution."""

    id: str | None
    vocab: str | None
    type_mapping: str | None = None
    container: tuple[str, ...] = ()
    scoped: bool = False
    prefix: bool | None = None
    bundled: bool = False


@dataclass(slots=True)
class ContextState:
    """The term definitions accumulated while processing one ``@context`` value."""

    terms: dict[str, RawTerm] = field(default_factory=dict)
    vocab: str | None = None
    in_bundled: bool = False

    def reset(self) -> None:
        self.terms.clear()
        self.vocab = None


class TermResolver:
    """Maps terms to IRIs over a fixed set of definitions; memoized, with a cycle guard."""

    def __init__(
        self,
        terms: Mapping[str, RawTerm],
        fallback_vocab: str | None,
        seed: Mapping[str, str] | None = None,
    ) -> None:
        self._terms = terms
        self._vocab = fallback_vocab
        self._done: dict[str, str] = dict(seed or {})
        self._busy: set[str] = set()

    def iri(self, term: str) -> str:
        done = self._done.get(term)
        if done is not None:
            return done
        if term in self._busy:
            raise InvalidContext(f"cyclic IRI mapping involving term {term!r}")
        self._busy.add(term)
        try:
            iri = self._resolve(term, self._terms[term])
        finally:
            self._busy.discard(term)
        self._done[term] = iri
        return iri

    def _resolve(self, term: str, raw: RawTerm) -> str:
        written = raw.id if raw.id is not None and raw.id != term else None
        if written is not None and is_keyword(written):
            return written
        value = term if written is None else written
        if ":" in value:
            return self.expand_prefixed(value)
        if written is not None and written in self._terms:
            return self.iri(written)
        vocab = self._vocab if raw.vocab is None else self.expand_prefixed(raw.vocab)
        return value if vocab is None else vocab + value

    def expand_prefixed(self, value: str) -> str:
        """``prefix:suffix`` through a defined prefix term; otherwise ``value`` unchanged."""
        prefix, _, suffix = value.partition(":")
        if prefix == "_" or suffix.startswith("//") or prefix not in self._terms:
            return value
        base = self.iri(prefix)
        return value if is_keyword(base) else base + suffix


def _vocab_mapping(value: object, state: ContextState) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidContext("@vocab must be a string or null")
    if value == "":
        return state.vocab  # "" is relative to @base, which is ignored
    if ":" not in value:
        raise InvalidContext(f"@vocab {value!r} is not an absolute or compact IRI")
    return value  # a compact IRI is resolved lazily, with the terms


def _container(value: object, term: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(cast("list[str]", value))
    raise InvalidContext(f"term {term!r}: @container must be a string or a list of strings")


def _optional_str(definition: Mapping[str, object], key: str, term: str) -> str | None:
    value = definition.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InvalidContext(f"term {term!r}: {key} must be a string")


def _expanded_definition(
    term: str, definition: Mapping[str, object], state: ContextState
) -> RawTerm | None:
    """An expanded term definition; ``None`` means the term is left undefined."""
    if "@reverse" in definition:
        return None  # reverse properties play no part in NGSI-LD term expansion
    if "@id" in definition and definition["@id"] is None:
        return None
    prefix = definition.get("@prefix")
    if prefix is not None and not isinstance(prefix, bool):
        raise InvalidContext(f"term {term!r}: @prefix must be a boolean")
    return RawTerm(
        id=_optional_str(definition, "@id", term),
        vocab=state.vocab,
        type_mapping=_optional_str(definition, "@type", term),
        container=_container(definition.get("@container"), term),
        scoped="@context" in definition,
        prefix=prefix,
        bundled=state.in_bundled,
    )


def _define(state: ContextState, term: str, value: object) -> None:
    if term == "":
        raise InvalidContext("the empty string is not a valid term")
    raw: RawTerm | None
    if value is None:
        raw = None
    elif isinstance(value, str):
        raw = RawTerm(id=value, vocab=state.vocab, bundled=state.in_bundled)
    elif isinstance(value, dict):
        raw = _expanded_definition(term, cast("dict[str, object]", value), state)
    else:
        raise InvalidContext(f"term {term!r}: a definition is a string, an object or null")
    if raw is None:
        state.terms.pop(term, None)
    else:
        state.terms[term] = raw


def apply_local_context(context: Mapping[str, object], state: ContextState) -> None:
    """Apply one context object (its ``@import`` already merged) to ``state``."""
    if "@context" in context:
        raise InvalidContext("a context definition cannot itself contain @context")
    if "@vocab" in context:
        state.vocab = _vocab_mapping(context["@vocab"], state)
    for key, value in context.items():
        if not key.startswith("@"):
            _define(state, key, value)


@dataclass(frozen=True, slots=True)
class LoadedContext:
    """The ``@context`` member of a loaded document and when the cached copy expires."""

    value: object
    expires_at: float = math.inf


class ContextLoader(Protocol):
    """Where context URLs come from: bundled documents locally, others remotely."""

    def is_bundled(self, url: str) -> bool: ...

    def load(self, url: str) -> Awaitable[LoadedContext]: ...


class ContextProcessor:
    """Walks a ``@context`` value into a :class:`ContextState`, loading URLs on the way."""

    def __init__(self, loader: ContextLoader, max_depth: int) -> None:
        self._loader = loader
        self._max_depth = max_depth
        self.expires_at = math.inf

    async def process(
        self, value: object, state: ContextState, chain: tuple[str, ...] = ()
    ) -> None:
        if value is None:
            state.reset()
        elif isinstance(value, str):
            await self._process_url(value, state, chain)
        elif isinstance(value, list):
            for item in value:
                await self.process(item, state, chain)
        elif isinstance(value, dict):
            await self._process_object(cast("dict[str, object]", value), state, chain)
        else:
            raise InvalidContext("a @context entry is a URL string, an object or null")

    async def _load(self, url: str, chain: tuple[str, ...]) -> object:
        if url in chain:
            path = " -> ".join((*chain, url))
            raise InvalidContext(f"cyclic remote @context: {path}")
        if len(chain) >= self._max_depth and not self._loader.is_bundled(url):
            raise InvalidContext(f"remote @context nesting is deeper than {self._max_depth}")
        loaded = await self._loader.load(url)
        self.expires_at = min(self.expires_at, loaded.expires_at)
        return loaded.value

    async def _process_url(self, url: str, state: ContextState, chain: tuple[str, ...]) -> None:
        value = await self._load(url, chain)
        outer, state.in_bundled = state.in_bundled, self._loader.is_bundled(url)
        try:
            await self.process(value, state, (*chain, url))
        finally:
            state.in_bundled = outer

    async def _process_object(
        self, context: dict[str, object], state: ContextState, chain: tuple[str, ...]
    ) -> None:
        if "@import" in context:
            context = await self._merge_import(context, chain)
        apply_local_context(context, state)

    async def _merge_import(
        self, context: dict[str, object], chain: tuple[str, ...]
    ) -> dict[str, object]:
        url = context["@import"]
        if not isinstance(url, str):
            raise InvalidContext("@import must be a URL string")
        imported = await self._load(url, chain)
        if not isinstance(imported, dict):
            raise InvalidContext(f"@import {url!r} does not hold a single context object")
        if "@import" in imported:
            raise InvalidContext(f"@import {url!r} holds a nested @import")
        merged = {**cast("dict[str, object]", imported), **context}
        del merged["@import"]
        return merged
