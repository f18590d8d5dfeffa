"""Retrieval of remote user ``@context`` documents (ETSI GS CIM 009 V1.8.1, 6.3.5, 5.5.2).

A user ``@context`` URL is dereferenced with ``httpx`` (redirects followed, at most 5; a
total time limit; the body streamed and abandoned past ``max_bytes``), asking for
``application/ld+json`` or ``application/json``. The response must be a JSON object with a
top-level ``@context`` member (JSON-LD 1.1 API, LoadDocumentCallback); its value is cached
per URL with a TTL in an LRU map, and concurrent loads of one URL share a single request.
Anything that prevents getting the document raises ``LdContextNotAvailable`` (clause 5.5.2)
with the URL and the reason; ``remote_enabled=False`` and the allow-list (checked on every
redirect hop too) refuse before any traffic. One INFO line is logged per fetch.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import cast

import httpx

from .cache import TtlLru
from .errors import InvalidContext, LdContextNotAvailable
from .processing import has_scheme
from .settings import ContextSettings

__all__ = ["RemoteContextLoader"]

logger = logging.getLogger(__name__)

_ACCEPT = "application/ld+json, application/json;q=0.9"
_MAX_REDIRECTS = 5


class _Refused(Exception):
    """A redirect hop left the allow-list."""


class RemoteContextLoader:
    """Fetches, validates and caches remote ``@context`` documents."""

    def __init__(
        self,
        settings: ContextSettings,
        transport: httpx.AsyncBaseTransport | None,
        clock: Callable[[], float],
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._clock = clock
        self._cache: TtlLru[object] = TtlLru(settings.cache_max_entries)
        self._inflight: dict[str, asyncio.Task[tuple[object, float]]] = {}
        self._client: httpx.AsyncClient | None = None

    async def load(self, url: str) -> tuple[object, float]:
        """The ``@context`` value at ``url`` and when its cached copy expires."""
        self._check_url(url)
        hit = self._cache.get(url, self._clock())
        if hit is not None:
            return hit
        task = self._inflight.get(url)
        if task is None:
            task = asyncio.ensure_future(self._fetch_and_store(url))
            self._inflight[url] = task
            task.add_done_callback(lambda done: self._forget(url, done))
        return await asyncio.shield(task)

    async def aclose(self) -> None:
        tasks = list(self._inflight.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _forget(self, url: str, task: asyncio.Task[tuple[object, float]]) -> None:
        if self._inflight.get(url) is task:
            del self._inflight[url]
        if not task.cancelled():
            task.exception()  # mark retrieved: every awaiter may have been cancelled

    def _check_url(self, url: str) -> None:
        if not has_scheme(url):
            raise InvalidContext(f"@context entry {url!r} is not an absolute URL")
        if not url.lower().startswith(("http://", "https://")):
            raise LdContextNotAvailable(url, "only http and https URLs can be fetched")
        if not self._settings.remote_enabled:
            raise LdContextNotAvailable(url, "retrieval of remote @context is disabled")
        if not self._allowed(url):
            raise LdContextNotAvailable(url, "the URL is not in the @context allow-list")

    def _allowed(self, url: str) -> bool:
        prefixes = self._settings.allow_list
        return not prefixes or url.startswith(prefixes)

    async def _fetch_and_store(self, url: str) -> tuple[object, float]:
        try:
            value, size = await self._fetch(url)
        except LdContextNotAvailable as exc:
            logger.info("remote @context %s not available: %s", url, exc.reason)
            raise
        logger.info("fetched remote @context %s (%d bytes)", url, size)
        expires_at = self._clock() + self._settings.cache_ttl_s
        self._cache.put(url, value, expires_at)
        return value, expires_at

    async def _fetch(self, url: str) -> tuple[object, int]:
        timeout = self._settings.timeout_s
        try:
            async with asyncio.timeout(timeout):
                body = await self._get(url)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise LdContextNotAvailable(url, f"timed out after {timeout:g} s") from exc
        except httpx.TooManyRedirects as exc:
            raise LdContextNotAvailable(url, f"more than {_MAX_REDIRECTS} redirects") from exc
        except _Refused as exc:
            raise LdContextNotAvailable(url, str(exc)) from exc
        except httpx.HTTPError as exc:
            raise LdContextNotAvailable(url, f"{type(exc).__name__}: {exc}") from exc
        return _context_member(url, body), len(body)

    async def _get(self, url: str) -> bytes:
        async with self._http().stream("GET", url) as response:
            if not response.is_success:
                raise LdContextNotAvailable(url, f"HTTP status {response.status_code}")
            return await self._read_capped(url, response)

    async def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        limit = self._settings.max_bytes
        too_big = LdContextNotAvailable(url, f"the document is larger than {limit} bytes")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=self._transport,
                follow_redirects=True,
                max_redirects=_MAX_REDIRECTS,
                timeout=self._settings.timeout_s,
                headers={"Accept": _ACCEPT},
                event_hooks={"request": [self._check_hop]},
            )
        return self._client

    async def _check_hop(self, request: httpx.Request) -> None:
        url = str(request.url)
        if not self._allowed(url):
            raise _Refused(f"redirected to {url!r}, which is not in the @context allow-list")


def _context_member(url: str, body: bytes) -> object:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise LdContextNotAvailable(url, "the response body is not JSON") from exc
    if not isinstance(document, dict) or "@context" not in document:
        raise LdContextNotAvailable(url, "the JSON document has no top-level @context member")
    return cast("dict[str, object]", document)["@context"]
