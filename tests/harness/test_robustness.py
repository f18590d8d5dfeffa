"""A misbehaving target never crashes or hangs the harness (issue: robustness).

Each mode of :mod:`tests.harness.misbehaving` is a real TCP server. The catalogue runs against
it with short timeouts, and the tests assert what a user relies on: the run returns (a
liveness bound, not a benchmark), trouble in the transport is ``error`` and never ``fail``, a
platform answering nonsense never earns a ``pass``, bodies stay within the probe's cap and
cleanup gives up instead of hanging.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from benchmarks.serverproc import free_port
from mim_suite.checks import Check, catalogue, select
from mim_suite.checks.base import CheckContext
from mim_suite.model import NGSI_LD, CheckInfo, Outcome, Strength
from mim_suite.probe import Probe, Target
from mim_suite.report import build_report
from mim_suite.runner import RunResult, RunSettings, preflight, run_checks
from tests.harness.misbehaving import MisbehavingServer, Mode
from tests.harness.test_report import validate_report

TIMEOUT_S = 0.5
CHECK_TIMEOUT_S = 2.0
DEADLINE_S = 10.0
CLEANUP_S = 2.0
#: Liveness bound: the run deadline, the cleanup budget and a little slack for a loaded machine.
BOUND_S = DEADLINE_S + CLEANUP_S + 3.0

#: The target cannot be judged at all: every check that sent a request ends in ``error``.
TRANSPORT_TROUBLE = (Mode.HANG, Mode.SLOW, Mode.MALFORMED, Mode.RESET, Mode.DRIP)
#: The target answers HTTP, but nonsense: checks fail or skip, and none passes.
NONSENSE = (Mode.HTTP500, Mode.NOT_JSON)
#: Run against the whole catalogue; the other modes differ from these only inside the probe,
#: so the entity checks are enough for them (and keep the suite fast).
WHOLE_CATALOGUE = (Mode.HANG, Mode.MALFORMED, Mode.HTTP500, Mode.NOT_JSON)
#: The target answers at once: a generous timeout keeps verdicts independent of machine load.
PROMPT = (Mode.HTTP500, Mode.NOT_JSON, Mode.HUGE, Mode.GZIP_BOMB)


def settings(**changes: float) -> RunSettings:
    values: dict[str, float] = {
        "concurrency": 64,
        "check_timeout_s": CHECK_TIMEOUT_S,
        "run_deadline_s": DEADLINE_S,
        "cleanup_timeout_s": CLEANUP_S,
    }
    values.update(changes)
    return RunSettings(run_id="0bad0bad", **values)  # type: ignore[arg-type]


def target(url: str, **changes: float) -> Target:
    values: dict[str, float] = {"timeout_s": TIMEOUT_S, "max_body_bytes": 256 * 1024}
    values.update(changes)
    return Target(api_root=url, connect_retries=1, **values)  # type: ignore[arg-type]


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[MisbehavingServer]:
    with MisbehavingServer(request.param, slow_s=5.0) as running:
        yield running


def checks_for(mode: Mode) -> list[Check]:
    everything = catalogue()
    if mode in WHOLE_CATALOGUE:
        return everything
    return select(everything, ["MIM1.ENT.*"])


async def timed_run(
    checks: list[Check], probe: Probe, run_settings: RunSettings
) -> tuple[RunResult, float]:
    started = time.monotonic()
    try:
        run = await run_checks(checks, probe, run_settings)
    finally:
        await probe.aclose()
    return run, time.monotonic() - started


def described(run: RunResult, outcomes: set[Outcome]) -> list[str]:
    return [f"{r.info.id}: {r.outcome} - {r.reason}" for r in run.results if r.outcome in outcomes]


# -- every mode, whole runs --------------------------------------------------------------------


@pytest.mark.parametrize("server", list(Mode), indirect=True, ids=str)
async def test_a_run_against_a_misbehaving_target_ends_with_a_verdict(
    server: MisbehavingServer,
) -> None:
    checks = checks_for(server.mode)
    timeout_s = 5.0 if server.mode in PROMPT else TIMEOUT_S
    probe = Probe(target(server.url, timeout_s=timeout_s))
    run, elapsed = await timed_run(checks, probe, settings())

    assert elapsed < BOUND_S, f"the run took {elapsed:.1f} s (liveness bound {BOUND_S} s)"
    assert [r.info.id for r in run.results] == [c.info.id for c in checks]
    assert all(r.outcome is Outcome.PASS or r.reason for r in run.results)
    assert server.connections > 0
    validate_report(build_report(run, url=server.url, profile="full", tenant=None))

    if server.mode in TRANSPORT_TROUBLE:
        assert described(run, {Outcome.PASS, Outcome.FAIL}) == [], "transport trouble is error"
        assert any(r.outcome is Outcome.ERROR for r in run.results)
        errors = [r for r in run.results if r.outcome is Outcome.ERROR]
        assert all(r.reason and "harness error" not in r.reason for r in errors), errors[0]
        for result in errors:
            if result.reason and result.reason.startswith("network trouble"):
                # The request that got no usable answer is evidence, with its curl line.
                assert result.evidence is not None, result.info.id
                unanswered = result.evidence.exchanges[-1]
                assert unanswered.response is None
                assert unanswered.curl.startswith("curl ")
    if server.mode in NONSENSE:
        assert described(run, {Outcome.PASS}) == [], "a platform answering nonsense never passes"
    if server.mode in (Mode.HTTP500, Mode.NOT_JSON, Mode.HUGE, Mode.GZIP_BOMB):
        assert any(r.outcome is Outcome.FAIL for r in run.results)


@pytest.mark.parametrize("server", [Mode.HTTP500], indirect=True, ids=str)
async def test_500_everywhere_fails_checks_expecting_another_status(
    server: MisbehavingServer,
) -> None:
    checks = select(catalogue(), ["MIM1.ENT.*"])
    run, _ = await timed_run(checks, Probe(target(server.url, timeout_s=5.0)), settings())

    outcomes = {r.info.id: r for r in run.results}
    created = outcomes["MIM1.ENT.CREATE.201"]
    assert created.outcome is Outcome.FAIL
    assert created.evidence is not None
    assert created.evidence.received.startswith("500")
    assert created.evidence.exchanges[-1].response is not None
    assert created.evidence.exchanges[-1].response.status == 500
    # Whatever a check could not set up is skipped, never an error of the harness.
    assert {r.outcome for r in run.results} <= {Outcome.FAIL, Outcome.SKIP}
    # Nothing was created, so nothing could be deleted: every id is reported, none hangs.
    assert run.cleanup_failures
    assert all("HTTP 500" in f for f in run.cleanup_failures)


# -- deadlines and cleanup ---------------------------------------------------------------------


@pytest.mark.parametrize("server", [Mode.HANG], indirect=True, ids=str)
async def test_the_check_timeout_cuts_off_a_check_the_transport_would_let_wait(
    server: MisbehavingServer,
) -> None:
    checks = select(catalogue(), ["MIM1.ENT.CREATE.*"])
    probe = Probe(target(server.url, timeout_s=60.0))
    run_settings = settings(check_timeout_s=0.5, cleanup_timeout_s=0.5)
    run, elapsed = await timed_run(checks, probe, run_settings)

    assert elapsed < 0.5 + 0.5 + 3.0
    assert {r.outcome for r in run.results} == {Outcome.ERROR}
    assert all("no verdict within 0.5 s" in (r.reason or "") for r in run.results)


@pytest.mark.parametrize("server", [Mode.HANG], indirect=True, ids=str)
async def test_the_run_deadline_and_the_cleanup_budget_bound_the_whole_run(
    server: MisbehavingServer,
) -> None:
    checks = catalogue()
    probe = Probe(target(server.url, timeout_s=60.0))
    run_settings = settings(check_timeout_s=60.0, run_deadline_s=1.0, cleanup_timeout_s=0.5)
    run, elapsed = await timed_run(checks, probe, run_settings)

    assert elapsed < 1.0 + 0.5 + 3.0
    assert len(run.results) == len(checks)
    assert described(run, {Outcome.PASS, Outcome.FAIL}) == []
    errors = [r for r in run.results if r.outcome is Outcome.ERROR]
    assert errors
    assert all("deadline" in (r.reason or "") for r in errors)
    assert run.cleanup_failures, "entities that may exist are reported, not forgotten"
    assert all("cleanup budget" in f for f in run.cleanup_failures)


async def makes_up_ids(ctx: CheckContext) -> None:
    """A check that names 20 entities and sends nothing: all of them are cleaned up."""
    for _ in range(20):
        ctx.entity_id("Thing")


NAMES_IDS = Check(
    CheckInfo(
        "MIM1.TEST.IDS",
        "MIM1",
        "test",
        "Names entities.",
        NGSI_LD("5.6.1"),
        Strength.SHALL,
        writes=True,
    ),
    makes_up_ids,
)


@pytest.mark.parametrize("server", [Mode.HANG], indirect=True, ids=str)
async def test_cleanup_gives_up_on_a_target_that_stopped_answering(
    server: MisbehavingServer,
) -> None:
    # Two deletions at a time: after the first timeouts the remaining ids are not tried.
    run_settings = settings(concurrency=2, cleanup_timeout_s=60.0)
    run, elapsed = await timed_run([NAMES_IDS], Probe(target(server.url)), run_settings)

    assert run.results[0].outcome is Outcome.PASS
    assert elapsed < 10 * TIMEOUT_S, "cleanup stops after a few timeouts, not after 20"
    assert len(run.cleanup_failures) == 20, "every id not deleted is reported"
    assert sum("ReadTimeout" in f for f in run.cleanup_failures) in range(3, 5)
    assert sum("stopped answering" in f for f in run.cleanup_failures) >= 16


# -- the probe against single misbehaviours ----------------------------------------------------


@pytest.mark.parametrize("server", [Mode.HUGE], indirect=True, ids=str)
async def test_a_huge_body_is_truncated_at_the_cap(server: MisbehavingServer) -> None:
    cap = 1024 * 1024
    probe = Probe(target(server.url, timeout_s=10.0, max_body_bytes=cap))
    tracemalloc.start()
    try:
        response, exchange = await probe.request("GET", "/entities")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await probe.aclose()

    assert response.status == 200
    assert response.truncated
    assert len(response.content) <= cap
    assert peak < 16 * cap, f"reading the body peaked at {peak} bytes"
    with pytest.raises(ValueError, match="cap"):
        response.json()
    assert exchange.response is not None
    assert exchange.response.body is not None
    assert len(exchange.response.body) < 5000, "evidence keeps an excerpt only"


@pytest.mark.parametrize("server", [Mode.GZIP_BOMB], indirect=True, ids=str)
async def test_a_gzip_bomb_is_inflated_only_up_to_the_cap(server: MisbehavingServer) -> None:
    cap = 1024 * 1024
    probe = Probe(target(server.url, timeout_s=10.0, max_body_bytes=cap))
    try:
        response, _ = await probe.request("GET", "/entities")
    finally:
        await probe.aclose()

    assert response.status == 200
    assert response.truncated
    assert 0 < len(response.content) <= cap


@pytest.mark.parametrize(
    ("server", "error"),
    [
        (Mode.HANG, httpx.ReadTimeout),
        (Mode.SLOW, httpx.ReadTimeout),
        (Mode.DRIP, httpx.ReadTimeout),
        (Mode.MALFORMED, httpx.RemoteProtocolError),
        (Mode.RESET, httpx.TransportError),
    ],
    indirect=["server"],
    ids=str,
)
async def test_a_request_raises_a_transport_error_within_the_timeout(
    server: MisbehavingServer, error: type[httpx.HTTPError]
) -> None:
    probe = Probe(target(server.url))
    started = time.monotonic()
    try:
        with pytest.raises(error):
            await probe.request("GET", "/entities")
    finally:
        await probe.aclose()
    # One request, one retry for RESET (which may look like a refused connection): bounded.
    assert time.monotonic() - started < 2 * TIMEOUT_S + 2.0


@pytest.mark.parametrize("server", list(TRANSPORT_TROUBLE), indirect=True, ids=str)
async def test_preflight_reports_a_target_that_does_not_speak_http(
    server: MisbehavingServer,
) -> None:
    probe = Probe(target(server.url))
    try:
        trouble = await preflight(probe)
    finally:
        await probe.aclose()
    assert trouble is not None


@pytest.mark.parametrize("server", list(NONSENSE), indirect=True, ids=str)
async def test_preflight_accepts_a_target_that_answers_http(server: MisbehavingServer) -> None:
    probe = Probe(target(server.url))
    try:
        assert await preflight(probe) is None
    finally:
        await probe.aclose()


async def test_preflight_reports_a_closed_port_as_unreachable() -> None:
    probe = Probe(target(f"http://127.0.0.1:{free_port()}/ngsi-ld/v1"))
    try:
        trouble = await preflight(probe)
    finally:
        await probe.aclose()
    assert trouble is not None
    assert "ConnectError" in trouble
