"""The read-only profile reads and nothing else, and the read-only checks judge existing data.

The reference platform is wrapped in a recorder that logs the method of every request that
reaches it. Data is seeded through a second, writable transport on the same app, before the
recorder starts listening, so the recorder sees only what the harness sends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from mim_suite.checks import catalogue, select
from mim_suite.model import Outcome
from mim_suite.probe import READ_METHODS, Probe, Target
from mim_suite.runner import RunResult, RunSettings, run_checks
from tests.harness.conftest import API_ROOT, reference_app


@dataclass
class Recorder:
    """ASGI middleware: every HTTP request's method and path, in arrival order."""

    app: ASGIApp
    seen: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def _entity(n: int) -> dict[str, object]:
    return {
        "id": f"urn:ngsi-ld:Streetlight:existing-{n}",
        "type": "Streetlight" if n % 2 else "WasteContainer",
        "status": {"type": "Property", "value": "ok"},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [2, 41]}},
    }


async def _seed(app: ASGIApp) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API_ROOT + "/") as writer:
        for n in range(12):
            assert (await writer.post("entities", json=_entity(n))).status_code == 201


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[Recorder, Probe]]:
    app = reference_app()
    await _seed(app)
    recorder = Recorder(app)
    target = Target(api_root=API_ROOT, read_only=True)
    probe = Probe(target, transport=httpx.ASGITransport(app=recorder))
    yield recorder, probe
    await probe.aclose()


async def _run(probe: Probe) -> RunResult:
    settings = RunSettings(profile="read-only", concurrency=8, run_id="feed0001")
    return await run_checks(catalogue(), probe, settings)


async def test_read_only_profile_sends_only_reads(recorded: tuple[Recorder, Probe]) -> None:
    recorder, probe = recorded
    run = await _run(probe)
    assert recorder.seen, "the read-only checks sent requests"
    assert {method for method, _ in recorder.seen} <= READ_METHODS
    assert run.cleanup_failures == []
    for result in run.results:
        if result.info.writes:
            assert result.outcome is Outcome.SKIP, result.info.id
        assert result.outcome is not Outcome.ERROR, f"{result.info.id}: {result.reason}"


async def test_read_only_checks_pass_on_existing_data(recorded: tuple[Recorder, Probe]) -> None:
    _, probe = recorded
    checks = select(catalogue(), ["MIM1.RO.*"])
    assert len(checks) >= 7
    settings = RunSettings(profile="read-only", run_id="feed0002")
    run = await run_checks(checks, probe, settings)
    bad = [f"{r.info.id}: {r.outcome} {r.reason}" for r in run.results if r.outcome != "pass"]
    assert bad == []


async def test_read_only_checks_write_nothing_in_the_full_profile() -> None:
    app = reference_app()
    await _seed(app)
    recorder = Recorder(app)
    probe = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=recorder))
    try:
        checks = select(catalogue(), ["MIM1.RO.*"])
        run = await run_checks(checks, probe, RunSettings(run_id="feed0003"))
    finally:
        await probe.aclose()
    assert all(r.outcome is Outcome.PASS for r in run.results)
    # Not even the run's cleanup: these checks make up no entity id to delete.
    assert {method for method, _ in recorder.seen} <= READ_METHODS
