"""Request and response plumbing shared by the routers (clause 6.3).

- Content negotiation: ``Accept`` (406) and ``Content-Type`` (415), clause 6.3.4.
- Bodies: ``Content-Length`` required (411), size cap (413), JSON syntax (InvalidRequest),
  nesting depth cap (BadRequestData; keeps recursive processing far from Python's stack limit).
- JSON-LD @context: from the ``Link`` header with ``application/json`` or from the body with
  ``application/ld+json``, never both (clause 6.3.5).
- Responses: ``application/json`` carries the @context in a ``Link`` header,
  ``application/ld+json`` in the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server.jsonld import (
    ActiveContext,
    ContextError,
    ContextResolver,
    InvalidContext,
    format_link_header,
    parse_link_header,
)
from reference_server.jsonld import LdContextNotAvailable as ContextUnavailable
from reference_server.ngsild.errors import (
    BadRequestData,
    HttpProblem,
    InvalidRequest,
    LdContextNotAvailable,
)
from reference_server.store.base import DEFAULT_TENANT

__all__ = [
    "GEOJSON",
    "JSON",
    "JSONLD",
    "Body",
    "TenantEcho",
    "accepted_media",
    "json_response",
    "method_not_allowed",
    "prefers_link",
    "read_body",
    "refuse_other_methods",
    "request_context",
    "tenant_of",
]

JSON = "application/json"
JSONLD = "application/ld+json"
GEOJSON = "application/geo+json"
MERGE_PATCH = "application/merge-patch+json"
TENANT_HEADER = "NGSILD-Tenant"
#: JSON nesting accepted in a request body: room for an entity, nested sub-attributes and a
#: value of ``payload_common.MAX_VALUE_DEPTH`` levels, far below the interpreter's recursion
#: limit that copying and validating a deeper document would hit (a 500 otherwise).
MAX_BODY_DEPTH = 128


@dataclass(frozen=True, slots=True)
class Body:
    """A parsed request body and the @context it declared (``None`` if none)."""

    data: Any
    context: Any
    media: str


def tenant_of(request: Request) -> str:
    """The tenant named by ``NGSILD-Tenant`` (clause 6.3.14), the default one if absent."""
    return request.headers.get(TENANT_HEADER, DEFAULT_TENANT)


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        weight = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranges.append((pieces[0].lower(), weight))
    return ranges


def _range_matches(media_range: str, media: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return media.startswith(media_range[:-1])
    return media_range == media


def accepted_media(request: Request, offered: tuple[str, ...] = (JSON, JSONLD)) -> str:
    """The offered media type the client prefers; 406 if it accepts none (clause 6.3.4).

    Each offered type takes the weight of the most specific range matching it (RFC 9110
    12.5.1: ``application/json;q=0`` excludes JSON even with ``*/*`` present). Ties go to the
    first offered type, so wildcards give ``application/json``.
    """
    header = request.headers.get("accept")
    if not header:
        return offered[0]
    ranges = _parse_accept(header)
    best: tuple[float, int, str] | None = None
    for rank, media in enumerate(offered):
        matching = [(_specificity(r), w) for r, w in ranges if _range_matches(r, media)]
        if not matching:
            continue
        weight = max(matching)[1]
        candidate = (weight, -rank, media)
        if weight > 0 and (best is None or candidate > best):
            best = candidate
    if best is None:
        raise HttpProblem(
            406,
            "Not Acceptable",
            f"Accept {header!r} allows none of the offered types: {', '.join(offered)}",
        )
    return best[2]


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 0
    return 1 if media_range.endswith("/*") else 2


def _content_type(request: Request, allowed: tuple[str, ...]) -> str:
    """The request's media type; a bare 415 (no payload body, clause 6.3.4) if unsupported.

    The reason goes to the log, and an ``Accept-Post`` header (RFC 9110 15.5.16) names the
    supported types.
    """
    raw = request.headers.get("content-type")
    media = None if raw is None else _media_type(raw)
    if media is None or media not in allowed:
        raise HttpProblem(
            415,
            "Unsupported Media Type",
            f"Content-Type {media!r} is not supported here; use one of {', '.join(allowed)}",
            headers={"Accept-Post": ", ".join(allowed)},
            bare=True,
        )
    return media


async def _raw_body(request: Request, max_bytes: int) -> bytes:
    length = request.headers.get("content-length")
    if length is None:
        # Clause 6.3.4: "just a 411 HTTP status code (without any payload body)".
        raise HttpProblem(
            411, "Length Required", "requests with a body need Content-Length", bare=True
        )
    try:
        declared = int(length)
    except ValueError as exc:
        raise InvalidRequest(f"Content-Length {length!r} is not a number") from exc
    if declared < 0:
        raise InvalidRequest(f"Content-Length {length!r} is negative")
    if declared > max_bytes:
        raise HttpProblem(
            413, "Payload Too Large", f"the body has {declared} bytes; at most {max_bytes}"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HttpProblem(413, "Payload Too Large", f"the body exceeds {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(
    request: Request,
    max_bytes: int,
    *,
    allowed: tuple[str, ...] = (JSON, JSONLD),
) -> Body:
    """Read and parse a JSON body, applying the Content-Type and @context rules."""
    media = _content_type(request, allowed)
    raw = await _raw_body(request, max_bytes)
    if not raw.strip():
        raise InvalidRequest("the request body is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequest(f"the request body is not valid JSON: {exc}") from exc
    _check_depth(data)
    context = _body_context(request, data, media)
    return Body(data=data, context=context, media=media)


def _check_depth(data: Any) -> None:
    """BadRequestData if ``data`` nests deeper than ``MAX_BODY_DEPTH`` (walked iteratively)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            raise BadRequestData(f"the request body nests deeper than {MAX_BODY_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


def _body_context(request: Request, data: Any, media: str) -> Any:
    has_link = _link_context(request) is not None
    items = data if isinstance(data, list) else [data]
    contexts = [i.get("@context") for i in items if isinstance(i, dict) and "@context" in i]
    if media == JSONLD:
        if has_link:
            raise BadRequestData(
                "a JSON-LD Link header is not allowed with Content-Type application/ld+json;"
                " put the @context in the body"
            )
        if len(contexts) != len(items):
            raise BadRequestData("Content-Type application/ld+json needs an @context member")
        return contexts[0] if contexts else None
    if contexts:
        raise BadRequestData(
            "an @context member is not allowed with Content-Type application/json;"
            " send it in a Link header or use application/ld+json"
        )
    return _link_context(request)


def _link_context(request: Request) -> str | None:
    values = request.headers.getlist("link")
    if not values:
        return None
    try:
        return parse_link_header(values)
    except InvalidContext as exc:
        raise BadRequestData(str(exc)) from exc


async def request_context(
    request: Request, resolver: ContextResolver, body_context: Any = None
) -> ActiveContext:
    """The active @context: the body's (ld+json), else the Link header's, else core only."""
    source = body_context if body_context is not None else _link_context(request)
    if source is None:
        return resolver.core()
    try:
        ctx = await resolver.resolve(source)
    except ContextUnavailable as exc:
        raise LdContextNotAvailable(str(exc)) from exc
    except ContextError as exc:
        raise BadRequestData(f"invalid @context: {exc}") from exc
    if ctx.user_scoped_terms:
        raise BadRequestData(
            "a user @context shall not contain scoped contexts (clause 5.5.7); found in "
            + ", ".join(sorted(ctx.user_scoped_terms))
        )
    return ctx


def context_reference(ctx: ActiveContext, core_url: str) -> Any:
    """What a response names as its @context: the user's context, else the core one."""
    return core_url if ctx.is_core_only else ctx.source


def json_response(
    data: Any,
    *,
    media: str,
    ctx: ActiveContext | None,
    core_url: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    prefer_link: bool = False,
) -> Response:
    """Serialise ``data``, placing the @context as ``media`` requires (clause 6.3.6).

    JSON-LD and GeoJSON carry it in the body, GeoJSON in a Link header instead when the client
    sent ``Prefer: body=json`` (``prefer_link``); plain JSON always in a Link header.
    """
    out_headers = dict(headers or {})
    if ctx is not None:
        if media == JSONLD or (media == GEOJSON and not prefer_link):
            data = _with_context(data, context_reference(ctx, core_url))
        else:
            link = _link_target(ctx, core_url)
            if link is not None:
                links = [format_link_header(link), out_headers.get("Link", "")]
                out_headers["Link"] = ", ".join(v for v in links if v)
    return Response(orjson.dumps(data), status_code=status, media_type=media, headers=out_headers)


def prefers_link(request: Request) -> bool:
    """``Prefer: body=json``: GeoJSON answers name the @context in a Link header (6.3.6)."""
    return any(
        part.strip().lower() == "body=json"
        for value in request.headers.getlist("prefer")
        for part in value.split(",")
    )


def _link_target(ctx: ActiveContext, core_url: str) -> str | None:
    """The URL a Link header can name; an inline user @context has none."""
    if ctx.is_core_only:
        return core_url
    if isinstance(ctx.source, str):
        return ctx.source
    return ctx.urls[0] if ctx.urls else None


def _with_context(data: Any, context: Any) -> Any:
    if isinstance(data, list):
        return [_with_context(item, context) for item in data]
    if isinstance(data, dict):
        return {**data, "@context": context}
    return data


def problem_response(
    status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    """A ProblemDetails response (clause 5.5.3, RFC 7807), always ``application/json``."""
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def method_not_allowed(method: str, allowed: tuple[str, ...], what: str) -> HttpProblem:
    """405 with the ``Allow`` header listing the methods the resource has (clause 6.3.2)."""
    return HttpProblem(
        405,
        "Method Not Allowed",
        f"{method} is not allowed on {what}; allowed: {', '.join(allowed)}",
        headers={"Allow": ", ".join(allowed)},
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def refuse_other_methods(router: APIRouter, path: str, allowed: tuple[str, ...], what: str) -> None:
    """Answer every method ``path`` does not define with our 405 (clause 6.3.2).

    The framework's own 405 lists only the methods of the first route matching the path and
    repeats its title as detail; this route lists all of ``allowed``.
    """
    implied = {"HEAD"} if "GET" in allowed else set()
    others = [m for m in _METHODS if m not in allowed and m not in implied]

    async def refuse(request: Request, **_path_params: str) -> Response:
        raise method_not_allowed(request.method, allowed, what)

    router.add_api_route(path, refuse, methods=others, include_in_schema=False)


class TenantEcho:
    """ASGI middleware: the tenant a request named is echoed in the response (6.3.14)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tenant = _scope_tenant(scope) if scope["type"] == "http" else None
        if tenant is None:
            await self._app(scope, receive, send)
            return

        async def send_with_tenant(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"ngsild-tenant", tenant))
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, send_with_tenant)


def _scope_tenant(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == b"ngsild-tenant":
            return bytes(value)
    return None
