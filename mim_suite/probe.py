"""The harness's HTTP layer: every request a check sends goes through :class:`Probe`.

What it guarantees, whatever a check does:

- **Read-only means read-only**: with ``read_only`` set, any method but GET, HEAD and OPTIONS
  raises :class:`WriteRefused` before a byte is sent.
- **Bounded**: a per-request timeout that covers the whole exchange (a server dripping one
  byte at a time cannot stretch it), and a cap on how much of a response body is read and
  inflated; a huge body (or a gzip bomb) is truncated and flagged, never loaded whole.
- **No surprises**: redirects are followed only for GET/HEAD and only on the target's own
  scheme, host and port; retries happen only when the connection could not be made.
- **Evidence**: each round trip becomes an :class:`~mim_suite.model.Exchange` with secrets
  redacted and a curl command that repeats it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import time
import zlib
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from mim_suite import __version__
from mim_suite.model import Exchange, RequestRecord, ResponseRecord

__all__ = [
    "READ_METHODS",
    "Auth",
    "Probe",
    "ProbeResponse",
    "Target",
    "WriteRefused",
]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_EXCERPT = 4096
_CURL_BODY = 16384
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


class WriteRefused(RuntimeError):
    """A write was attempted under the read-only profile (a bug in a check, never sent)."""


@dataclass(frozen=True, slots=True)
class Auth:
    """Credentials: a bearer token, an API key header, or OAuth2 client credentials."""

    bearer_token: str | None = None
    api_key_header: str | None = None
    api_key: str | None = None
    oauth2_token_url: str | None = None
    oauth2_client_id: str | None = None
    oauth2_client_secret: str | None = None
    oauth2_scope: str | None = None

    @property
    def secret_headers(self) -> frozenset[str]:
        names = set(_SECRET_HEADERS)
        if self.api_key_header:
            names.add(self.api_key_header.lower())
        return frozenset(names)


@dataclass(frozen=True, slots=True)
class Target:
    """The platform under test and how to talk to it."""

    api_root: str
    headers: Mapping[str, str] = field(default_factory=dict)
    tenant: str | None = None
    auth: Auth = field(default_factory=Auth)
    verify: bool | str = True
    timeout_s: float = 10.0
    read_only: bool = False
    max_body_bytes: int = 8 * 1024 * 1024
    connect_retries: int = 2


@dataclass(frozen=True, slots=True)
class ProbeResponse:
    """A response with its body read up to the cap."""

    status: int
    headers: httpx.Headers
    content: bytes
    truncated: bool
    elapsed_ms: float
    url: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` if it is not (or was truncated)."""
        if self.truncated:
            raise ValueError(f"the body exceeds the {len(self.content)}-byte cap")
        return json.loads(self.content)

    def header(self, name: str) -> str | None:
        value: str | None = self.headers.get(name)
        return value

    @property
    def media_type(self) -> str | None:
        raw = self.headers.get("content-type")
        return None if raw is None else raw.split(";", 1)[0].strip().lower()


class _OAuth2:
    """Client-credentials tokens, fetched once and renewed shortly before they expire."""

    def __init__(self, auth: Auth) -> None:
        self._auth = auth
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def token(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() > self._expires:
                await self._fetch(client)
            assert self._token is not None
            return self._token

    async def _fetch(self, client: httpx.AsyncClient) -> None:
        auth = self._auth
        assert auth.oauth2_token_url is not None
        data = {"grant_type": "client_credentials"}
        if auth.oauth2_scope:
            data["scope"] = auth.oauth2_scope
        response = await client.post(
            auth.oauth2_token_url,
            data=data,
            auth=(auth.oauth2_client_id or "", auth.oauth2_client_secret or ""),
        )
        response.raise_for_status()
        try:
            body = response.json()
            token = body["access_token"]
            lifetime = float(body.get("expires_in", 300))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise httpx.DecodingError(
                f"the OAuth2 token endpoint answered no usable access_token ({exc!r})",
                request=response.request,
            ) from exc
        if not isinstance(token, str) or not token:
            raise httpx.DecodingError(
                "the OAuth2 token endpoint answered an empty access_token",
                request=response.request,
            )
        self._token = token
        # Renew a little before expiry: 30 s early, or half-way for short-lived tokens.
        self._expires = time.monotonic() + lifetime - min(30.0, lifetime / 2)


class Probe:
    """Sends requests to the target and records them as evidence."""

    def __init__(
        self, target: Target, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.target = target
        root = target.api_root.rstrip("/")
        self._root = root + "/"
        self._origin = urlsplit(root)[:2]
        self._client = httpx.AsyncClient(
            verify=target.verify,
            timeout=target.timeout_s,
            follow_redirects=False,
            transport=transport,
            # Only the encodings _decode_body undoes (httpx would add br/zstd when installed).
            headers={"User-Agent": f"mim-suite/{__version__}", "Accept-Encoding": "gzip, deflate"},
        )
        self._oauth = _OAuth2(target.auth) if target.auth.oauth2_token_url else None

    async def aclose(self) -> None:
        await self._client.aclose()

    def url(self, path: str) -> str:
        """An absolute URL for ``path`` relative to the API root (absolute URLs pass)."""
        if "://" in path:
            return path
        return urljoin(self._root, path.lstrip("/"))

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        tenant: str | None = None,
        use_default_tenant: bool = True,
        chunked: bool = False,
    ) -> tuple[ProbeResponse, Exchange]:
        """Send one request; transport errors propagate (the runner records ``error``).

        ``chunked`` frames the body with ``Transfer-Encoding: chunked`` and no
        ``Content-Length`` (for the checks of clause 6.3.4's 411 rule).
        """
        method = method.upper()
        if self.target.read_only and method not in READ_METHODS:
            raise WriteRefused(f"{method} {path} refused: the read-only profile sends no writes")
        built = self._build(
            method, path, params, headers, json_body, content, tenant, use_default_tenant
        )
        if chunked:
            built.headers.pop("Content-Length", None)
            built.headers["Transfer-Encoding"] = "chunked"
        await self._authorise(built)
        response = await self._send_following(built)
        return response, self._exchange(built, response)

    def _build(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        json_body: Any,
        content: bytes | None,
        tenant: str | None,
        use_default_tenant: bool,
    ) -> httpx.Request:
        merged: dict[str, str] = dict(self.target.headers)
        chosen_tenant = (
            tenant if tenant is not None else (self.target.tenant if use_default_tenant else None)
        )
        if chosen_tenant is not None:
            merged["NGSILD-Tenant"] = chosen_tenant
        if json_body is not None and content is None:
            content = json.dumps(json_body).encode()
            merged.setdefault("Content-Type", "application/json")
        merged.update(headers or {})
        return self._client.build_request(
            method, self.url(path), params=params, headers=merged, content=content
        )

    async def _authorise(self, request: httpx.Request) -> None:
        auth = self.target.auth
        if auth.bearer_token:
            request.headers["Authorization"] = f"Bearer {auth.bearer_token}"
        if auth.api_key_header and auth.api_key:
            request.headers[auth.api_key_header] = auth.api_key
        if self._oauth is not None:
            token = await self._bounded(self._oauth.token(self._client), request)
            request.headers["Authorization"] = f"Bearer {token}"

    async def _send_following(self, request: httpx.Request) -> ProbeResponse:
        for _ in range(5):
            response = await self._send(request)
            location = response.header("location")
            if response.status not in _REDIRECTS or request.method not in ("GET", "HEAD"):
                return response
            if location is None or not self._same_origin(urljoin(str(request.url), location)):
                return response
            request = self._client.build_request(
                request.method, urljoin(str(request.url), location), headers=request.headers
            )
        return response

    def _same_origin(self, url: str) -> bool:
        return urlsplit(url)[:2] == self._origin

    async def _bounded(self, work: Awaitable[_T], request: httpx.Request) -> _T:
        """``work`` within the per-request timeout, as a whole (httpx's own timeouts only
        bound each socket operation: a server sending a byte every second never trips them)."""
        timeout_s = self.target.timeout_s
        try:
            async with asyncio.timeout(timeout_s):
                return await work
        except TimeoutError:
            raise httpx.ReadTimeout(
                f"no complete response within {timeout_s} s", request=request
            ) from None

    async def _send(self, request: httpx.Request) -> ProbeResponse:
        attempt = 0
        while True:
            try:
                return await self._bounded(self._read(request), request)
            except httpx.ConnectError:
                attempt += 1
                if attempt > self.target.connect_retries:
                    raise
                logger.info("connection to %s failed; retry %d", request.url, attempt)
                await asyncio.sleep(0.2 * attempt)

    async def _read(self, request: httpx.Request) -> ProbeResponse:
        started = time.perf_counter()
        cap = self.target.max_body_bytes
        response = await self._client.send(request, stream=True)
        try:
            if response.is_stream_consumed:
                # A transport that hands over a body it already read (and decoded), such as
                # httpx.MockTransport: there is nothing left to stream or to inflate.
                body, truncated = response.content[:cap], len(response.content) > cap
                inflated_too_far = False
            else:
                body, truncated = await _read_capped(response, cap)
                body, inflated_too_far = _decode_body(body, response.headers, cap)
        finally:
            await response.aclose()
        return ProbeResponse(
            status=response.status_code,
            headers=response.headers,
            content=body,
            truncated=truncated or inflated_too_far,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            url=str(request.url),
        )

    def _exchange(self, request: httpx.Request, response: ProbeResponse) -> Exchange:
        secrets = self.target.auth.secret_headers
        req_headers = _redacted(request.headers, secrets)
        body = request.content.decode("utf-8", errors="replace") if request.content else None
        record = RequestRecord(request.method, str(request.url), req_headers, _excerpt(body))
        answer = ResponseRecord(
            status=response.status,
            headers=dict(response.headers),
            body=_excerpt(response.text) if response.content else None,
            elapsed_ms=response.elapsed_ms,
        )
        return Exchange(record, answer, curl_command(record, body))

    def failed_exchange(self, method: str, path: str) -> Exchange:
        """Evidence for a request that got no response (timeout, reset)."""
        record = RequestRecord(method.upper(), self.url(path), {}, None)
        return Exchange(record, None, curl_command(record, None))


async def _read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """The raw body up to ``cap`` bytes, and whether there was more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return b"".join(chunks)[:cap], True
    return b"".join(chunks), False


def _decode_body(body: bytes, headers: httpx.Headers, cap: int) -> tuple[bytes, bool]:
    """Undo a gzip/deflate Content-Encoding (raw chunks arrive still encoded), inflating at
    most ``cap`` bytes; the flag says the inflated body was cut there (a gzip bomb)."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding not in ("gzip", "deflate"):
        return body, False
    try:
        wbits = 31 if encoding == "gzip" else 15
        inflater = zlib.decompressobj(wbits)
        inflated = inflater.decompress(body, cap)
    except zlib.error:
        return body, False
    return inflated, bool(inflater.unconsumed_tail)


def _redacted(headers: httpx.Headers, secrets: frozenset[str]) -> dict[str, str]:
    return {
        name: ("<redacted>" if name.lower() in secrets else value)
        for name, value in headers.items()
    }


def _excerpt(text: str | None) -> str | None:
    if text is None or len(text) <= _EXCERPT:
        return text
    return text[:_EXCERPT] + f"... [{len(text) - _EXCERPT} more characters]"


def curl_command(request: RequestRecord, body: str | None) -> str:
    """A curl command repeating ``request`` (redacted headers become shell variables)."""
    parts = ["curl", "-i", "-X", request.method, shlex.quote(request.url)]
    for name, value in request.headers.items():
        lower = name.lower()
        if lower in ("host", "content-length", "accept-encoding", "connection", "user-agent"):
            continue
        shown = "$MIM_SECRET" if value == "<redacted>" else value
        quoted = f'"{name}: {shown}"' if shown == "$MIM_SECRET" else shlex.quote(f"{name}: {shown}")
        parts += ["-H", quoted]
    if "content-type" not in {n.lower() for n in request.headers} and body:
        parts += ["-H", shlex.quote("Content-Type:")]  # curl would add a form type otherwise
    if body and len(body) > _CURL_BODY:
        # A multi-megabyte body (the 413 check) would bloat the report: say what to send.
        parts += ["--data-binary", f"@body.json  # the {len(body)}-character request body"]
    elif body:
        parts += ["--data-binary", shlex.quote(body)]
    return " ".join(parts)
