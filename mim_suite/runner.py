"""Runs checks against a target: scheduling, deadlines, outcomes, cleanup.

- Checks run concurrently (``concurrency``), each within ``check_timeout_s``, the whole run
  within ``run_deadline_s``; a check cut off by either is ``error``, never ``fail``.
- The read-only profile skips every check that writes; the probe refuses writes as well.
- Every entity id the checks made up is deleted at the end, also when checks fail, time out
  or the run is interrupted; nothing else is ever deleted. Cleanup has its own time budget
  (``cleanup_timeout_s``) and gives up early on a target that stopped answering, so a run
  never outlives ``run_deadline_s + cleanup_timeout_s`` by more than one request.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from mim_suite.checks import Check
from mim_suite.checks.base import CheckContext, CheckFailed, CheckSkipped, Fixtures
from mim_suite.model import CheckResult, Evidence, Exchange, Outcome
from mim_suite.probe import Probe, WriteRefused

__all__ = ["PROFILES", "RunResult", "RunSettings", "preflight", "run_checks"]

logger = logging.getLogger(__name__)

PROFILES = ("full", "read-only")


@dataclass(frozen=True, slots=True)
class RunSettings:
    profile: str = "full"
    concurrency: int = 8
    check_timeout_s: float = 30.0
    run_deadline_s: float = 900.0
    cleanup_timeout_s: float = 60.0
    run_id: str | None = None


@dataclass
class RunResult:
    run_id: str
    started: str
    finished: str
    results: list[CheckResult]
    cleanup_failures: list[str] = field(default_factory=list)


Progress = Callable[[CheckResult], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


async def preflight(probe: Probe) -> str | None:
    """None if the target answers HTTP at all, else why not (target unreachable)."""
    try:
        await probe.request("GET", "/types")
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


async def run_checks(
    checks: list[Check],
    probe: Probe,
    settings: RunSettings,
    progress: Progress | None = None,
) -> RunResult:
    """Run ``checks`` and return every result, in the order of ``checks``."""
    fixtures = Fixtures(run_id=settings.run_id or secrets.token_hex(4))
    started = _now()
    results: dict[str, CheckResult] = {}
    limit = asyncio.Semaphore(max(1, settings.concurrency))

    async def one(check: Check) -> None:
        async with limit:
            result = await _run_one(check, probe, fixtures, settings)
        results[check.info.id] = result
        if progress is not None:
            progress(result)

    tasks = [asyncio.create_task(one(c)) for c in checks]
    failures: list[str] = []
    try:
        await _within_deadline(tasks, settings.run_deadline_s)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        failures = await asyncio.shield(
            _cleanup(probe, fixtures, settings.concurrency, settings.cleanup_timeout_s)
        )
    ordered = [results.get(c.info.id) or _cut_off(c, progress) for c in checks]
    return RunResult(fixtures.run_id, started, _now(), ordered, failures)


async def _within_deadline(tasks: list[asyncio.Task[None]], deadline_s: float) -> None:
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=deadline_s)
    if pending:
        logger.warning("run deadline of %s s reached; %d checks cut off", deadline_s, len(pending))


def _cut_off(check: Check, progress: Progress | None) -> CheckResult:
    result = CheckResult(
        check.info, Outcome.ERROR, 0.0, reason="the run deadline was reached before this check"
    )
    if progress is not None:
        progress(result)
    return result


async def _run_one(
    check: Check, probe: Probe, fixtures: Fixtures, settings: RunSettings
) -> CheckResult:
    info = check.info
    if settings.profile == "read-only" and info.writes:
        return CheckResult(info, Outcome.SKIP, 0.0, reason="profile read-only: this check writes")
    ctx = CheckContext(probe, fixtures)
    started = time.perf_counter()
    outcome, reason, evidence = await _verdict(check, ctx, settings.check_timeout_s)
    elapsed = (time.perf_counter() - started) * 1000
    return CheckResult(info, outcome, elapsed, reason, evidence, tuple(ctx.notes))


async def _verdict(
    check: Check, ctx: CheckContext, timeout_s: float
) -> tuple[Outcome, str | None, Evidence | None]:
    try:
        async with asyncio.timeout(timeout_s):
            await check.run(ctx)
    except CheckFailed as failed:
        evidence = Evidence(failed.expected, failed.received, tuple(ctx.exchanges[-4:]))
        return Outcome.FAIL, str(failed), evidence
    except CheckSkipped as skipped:
        return Outcome.SKIP, skipped.reason, None
    except TimeoutError:
        reason = f"no verdict within {timeout_s} s"
        return Outcome.ERROR, reason, _trouble(ctx, reason)
    except WriteRefused as exc:
        return Outcome.ERROR, f"harness bug: {exc}", None
    except httpx.HTTPError as exc:
        trouble = f"{type(exc).__name__}: {exc}"
        unanswered = _unanswered(ctx, exc)
        return Outcome.ERROR, f"network trouble: {trouble}", _trouble(ctx, trouble, unanswered)
    except Exception as exc:  # a bug in a check must not stop the run
        logger.debug("check %s crashed:\n%s", check.info.id, traceback.format_exc())
        reason = f"harness error: {type(exc).__name__}: {exc}"
        return Outcome.ERROR, reason, _trouble(ctx, reason)
    return Outcome.PASS, None, None


def _unanswered(ctx: CheckContext, exc: httpx.HTTPError) -> Exchange | None:
    """The request that got no usable response, as evidence (no headers, no body)."""
    try:
        request = exc.request
    except RuntimeError:  # an error raised without its request
        return None
    return ctx.probe.failed_exchange(request.method, str(request.url))


def _trouble(ctx: CheckContext, received: str, last: Exchange | None = None) -> Evidence | None:
    """The exchanges leading to an ``error``: what the check saw before it got stuck."""
    exchanges = [*ctx.exchanges, *([last] if last is not None else [])]
    if not exchanges:
        return None
    return Evidence("a response the check can judge", received, tuple(exchanges[-4:]))


# Consecutive transport failures after which cleanup stops sending to the target.
_CLEANUP_GIVE_UP = 3


async def _cleanup(
    probe: Probe, fixtures: Fixtures, concurrency: int, budget_s: float
) -> list[str]:
    """Delete every entity id the run made up (404 is fine: it was never created).

    Deletions run ``concurrency`` at a time within ``budget_s``; after ``_CLEANUP_GIVE_UP``
    transport failures in a row (a target that hangs or resets) the rest is not attempted.
    Every id not confirmed deleted is reported.
    """
    if probe.target.read_only:
        return []
    pending = list(dict.fromkeys(reversed(fixtures.created)))
    outcome: dict[tuple[str | None, str], str | None] = {}
    strikes = 0
    limit = asyncio.Semaphore(max(1, concurrency))

    async def delete(tenant: str | None, entity_id: str) -> None:
        nonlocal strikes
        async with limit:
            if strikes >= _CLEANUP_GIVE_UP:
                return
            try:
                response, _ = await probe.request(
                    "DELETE", f"/entities/{_quote(entity_id)}", tenant=tenant
                )
            except httpx.HTTPError as exc:
                strikes += 1
                outcome[(tenant, entity_id)] = f"{entity_id}: {type(exc).__name__}"
                return
        strikes = 0
        # 404: never created; 400: an invalid id a check sent on purpose, refused as it should.
        ok = response.status in (204, 404, 400)
        outcome[(tenant, entity_id)] = None if ok else f"{entity_id}: HTTP {response.status}"

    tasks = [asyncio.create_task(delete(tenant, entity_id)) for tenant, entity_id in pending]
    late: set[asyncio.Task[None]] = set()
    if tasks:
        _, late = await asyncio.wait(tasks, timeout=budget_s)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    why = (
        "not attempted, the target stopped answering"
        if strikes >= _CLEANUP_GIVE_UP
        else f"not deleted within the cleanup budget of {budget_s} s"
    )
    failures: list[str] = []
    for tenant, entity_id in pending:
        if (tenant, entity_id) not in outcome:
            failures.append(f"{entity_id}: {why}")
        elif (failure := outcome[(tenant, entity_id)]) is not None:
            failures.append(failure)
    if failures:
        logger.warning("could not delete %d test entities", len(failures))
    return failures


def _quote(entity_id: str) -> str:
    return quote(entity_id, safe=":")
