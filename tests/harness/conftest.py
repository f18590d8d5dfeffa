"""Harness fixtures: the reference platform in-process, reached through the harness's Probe."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from mim_suite.probe import Probe, Target
from reference_server.app import create_app
from reference_server.config import Settings
from reference_server.jsonld import ContextSettings

API_ROOT = "http://reference.test/ngsi-ld/v1"


def reference_app() -> FastAPI:
    return create_app(Settings(data_dir=None, contexts=ContextSettings(remote_enabled=False)))


@pytest.fixture
async def probe() -> AsyncIterator[Probe]:
    """A Probe wired to a fresh in-memory reference platform."""
    app = reference_app()
    probe = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=app))
    yield probe
    await probe.aclose()


@pytest.fixture
async def read_only_probe() -> AsyncIterator[Probe]:
    app = reference_app()
    target = Target(api_root=API_ROOT, read_only=True)
    probe = Probe(target, transport=httpx.ASGITransport(app=app))
    yield probe
    await probe.aclose()
