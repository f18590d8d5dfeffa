"""Resolving a request's user ``@context`` into an active context (CIM 009 V1.8.1 4.4, 5.5.5-7).

``resolve(None)`` is the default context: the core ``@context`` alone (clause 5.5.5). Any
other value (a URL string, a context object, or an array of them) is processed in order
(see :mod:`.processing`) and the core ``@context`` is applied last, so that its terms keep
absolute precedence (clauses 4.4 and 5.5.7). Core URLs resolve to the bundled documents;
other URLs are fetched (see :mod:`.fetch`).

Built active contexts are cached in an LRU keyed by a canonical JSON dump of the user
context (the URL itself for a plain string), and expire with the first remote document
they used, so a repeated request costs one dictionary lookup.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable

import httpx

from .active import ActiveContext, CoreBundle, assemble, build_core_bundle
from .cache import TtlLru
from .core import bundled_version, core_context_url, core_document, normalize_version
from .errors import InvalidContext
from .fetch import RemoteContextLoader
from .processing import ContextProcessor, ContextState, LoadedContext, apply_local_context
from .settings import ContextSettings

__all__ = ["ContextResolver", "core_active_context"]

_core_bundles: dict[str, CoreBundle] = {}
_core_actives: dict[str, ActiveContext] = {}


def _core_bundle(version: str) -> CoreBundle:
    bundle = _core_bundles.get(version)
    if bundle is None:
        state = ContextState()
        apply_local_context(core_document(version), state)
        bundle = build_core_bundle(version, core_context_url(version), state)
        _core_bundles[version] = bundle
    return bundle


def core_active_context(version: str) -> ActiveContext:
    """The shared active context of the bundled core ``@context`` ``version`` alone."""
    short = normalize_version(version)
    active = _core_actives.get(short)
    if active is None:
        active = assemble(ContextState(), _core_bundle(short), None, ())
        _core_actives[short] = active
    return active


def _cache_key(user_context: object) -> str:
    if isinstance(user_context, str):
        return "url:" + user_context
    try:
        return "json:" + json.dumps(
            user_context, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    except (TypeError, ValueError) as exc:
        raise InvalidContext(f"the @context is not a JSON value: {exc}") from exc


def _remote_urls(user_context: object) -> tuple[str, ...]:
    """Top-level URL entries of the user context, bundled core context URLs left out."""
    items = user_context if isinstance(user_context, list) else [user_context]
    return tuple(i for i in items if isinstance(i, str) and bundled_version(i) is None)


class _Loader:
    """Bundled core URLs locally, everything else through the remote loader."""

    def __init__(self, remote: RemoteContextLoader) -> None:
        self._remote = remote

    def is_bundled(self, url: str) -> bool:
        return bundled_version(url) is not None

    async def load(self, url: str) -> LoadedContext:
        version = bundled_version(url)
        if version is not None:
            return LoadedContext(core_document(version))
        value, expires_at = await self._remote.load(url)
        return LoadedContext(value, expires_at)


class ContextResolver:
    """Turns user ``@context`` values into cached :class:`ActiveContext` objects.

    ``transport`` replaces the network for remote fetches (tests use
    ``httpx.MockTransport``); ``clock`` (seconds, monotonic) drives cache expiry.
    """

    def __init__(
        self,
        settings: ContextSettings = ContextSettings(),
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._settings = settings
        self._clock = time.monotonic if clock is None else clock
        self._core = core_active_context(settings.core_version)
        self._bundle = _core_bundle(normalize_version(settings.core_version))
        self._remote = RemoteContextLoader(settings, transport, self._clock)
        self._loader = _Loader(self._remote)
        self._actives: TtlLru[ActiveContext] = TtlLru(settings.cache_max_entries)

    @property
    def settings(self) -> ContextSettings:
        return self._settings

    def core(self) -> ActiveContext:
        """The default context: the configured core ``@context`` alone (clause 5.5.5)."""
        return self._core

    async def resolve(self, user_context: object) -> ActiveContext:
        """The active context for a request's user ``@context`` (``None``: core only)."""
        if user_context is None:
            return self._core
        key = _cache_key(user_context)
        hit = self._actives.get(key, self._clock())
        if hit is not None:
            return hit[0]
        active, expires_at = await self._build(user_context)
        self._actives.put(key, active, expires_at)
        return active

    async def aclose(self) -> None:
        """Close the HTTP client and cancel fetches still running."""
        await self._remote.aclose()

    async def _build(self, user_context: object) -> tuple[ActiveContext, float]:
        source = copy.deepcopy(user_context)
        state = ContextState()
        processor = ContextProcessor(self._loader, self._settings.max_remote_depth)
        await processor.process(source, state)
        active = assemble(state, self._bundle, source, _remote_urls(source))
        return active, processor.expires_at
