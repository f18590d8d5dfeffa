"""Fixtures: the reference platform in-process (httpx ASGITransport) on an in-memory store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from reference_server.app import create_app
from reference_server.config import Settings
from reference_server.jsonld import ContextSettings

API = "http://testserver/ngsi-ld/v1"
CORE_V18 = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


def link_to(url: str) -> str:
    return f'<{url}>; rel="{CONTEXT_REL}"; type="application/ld+json"'


@pytest.fixture
def settings() -> Settings:
    return Settings(
        data_dir=None,
        default_limit=20,
        max_limit=100,
        max_body_bytes=64_000,
        contexts=ContextSettings(remote_enabled=False),
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        yield http
    await app.state.ngsi.store.close()
    await app.state.ngsi.resolver.aclose()


def vehicle(n: int = 1, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": f"urn:ngsi-ld:Vehicle:V{n}",
        "type": "Vehicle",
        "speed": {"type": "Property", "value": 10 * n, "unitCode": "KMH"},
        "brandName": {"type": "Property", "value": "Mercedes"},
        "isParked": {"type": "Relationship", "object": "urn:ngsi-ld:OffStreetParking:P1"},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [8.6, 41.1]}},
    }
    body.update(extra)
    return body
