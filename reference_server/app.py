"""The reference NGSI-LD platform as an ASGI application.

``create_app(settings)`` wires the store, the @context resolver and the routers; every error
leaves as ProblemDetails (clause 5.5.2), including the framework's own 404/405 and anything
unexpected (500 InternalError, logged with its traceback).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reference_server import __version__
from reference_server.api import batch, discovery, entities
from reference_server.api.http import TenantEcho, problem_response
from reference_server.api.prefilter import index_entity
from reference_server.api.state import AppState
from reference_server.config import Settings
from reference_server.jsonld import ContextResolver
from reference_server.ngsild.errors import (
    BadRequestData,
    HttpProblem,
    InternalError,
    NgsiLdError,
    ResourceNotFound,
)
from reference_server.store import EntityStore, SqliteStore

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

DB_FILE = "ngsi-ld.sqlite3"


def _status(error: NgsiLdError) -> int:
    return error.http_status if isinstance(error, HttpProblem) else error.status


async def _ngsi_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NgsiLdError)
    if isinstance(exc, HttpProblem) and exc.bare:
        logger.info("%s %s: %d %s", request.method, request.url.path, exc.http_status, exc.detail)
        return Response(status_code=exc.http_status, headers=exc.headers)
    headers = exc.headers if isinstance(exc, HttpProblem) else None
    return problem_response(_status(exc), exc.problem(), headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return problem_response(
            404, ResourceNotFound(f"no resource at {request.url.path}").problem()
        )
    error = HttpProblem(exc.status_code, _reason(exc.status_code), str(exc.detail))
    return problem_response(exc.status_code, error.problem(), exc.headers)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _validation_error(request: Request, exc: Exception) -> Response:
    return problem_response(400, BadRequestData(str(exc)).problem())


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(500, InternalError(f"{type(exc).__name__}: {exc}").problem())


def _plain_endpoint(handler: Callable[..., Awaitable[Response]]) -> Callable[..., Any]:
    async def endpoint(request: Request) -> Response:
        return await handler(request, **request.path_params)

    return endpoint


def _mount_plain(app: FastAPI, router: APIRouter, prefix: str) -> None:
    """Mount the router's endpoints as plain Starlette routes.

    The routers declare paths with FastAPI's decorators, but every endpoint reads the raw
    request itself (NGSI-LD wants 400 where FastAPI's validation says 422), so FastAPI's
    per-request dependency resolution would only cost time: about 80 us a request, measured
    with benchmarks/server_throughput.py. Only the OpenAPI page loses these routes.
    """
    for route in router.routes:
        if isinstance(route, APIRoute):
            endpoint = _plain_endpoint(route.endpoint)
        elif isinstance(route, Route):
            endpoint = route.endpoint
        else:
            raise TypeError(f"cannot mount {route!r}")
        app.add_route(
            prefix + route.path, endpoint, methods=sorted(route.methods or ()), name=route.name
        )


def create_app(settings: Settings | None = None, *, store: EntityStore | None = None) -> FastAPI:
    """Build the application; ``store`` overrides the one ``settings`` describe."""
    settings = settings or Settings()
    if store is None:
        path = None if settings.data_dir is None else settings.data_dir / DB_FILE
        store = SqliteStore(path, indexer=index_entity)
    state = AppState(settings=settings, store=store, resolver=ContextResolver(settings.contexts))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await state.resolver.aclose()
        await state.store.close()

    app = FastAPI(
        title="mim-suite reference NGSI-LD platform",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.ngsi = state
    app.add_middleware(TenantEcho)
    for router in (entities.router, batch.router, discovery.router):
        _mount_plain(app, router, settings.api_root)
    app.add_exception_handler(NgsiLdError, _ngsi_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
    return app
