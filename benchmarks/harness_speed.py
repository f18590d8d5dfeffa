"""How long the whole MIM1 catalogue takes against the reference platform (issue #3 item 8).

Starts the reference server as a real process (SQLite store in a temporary directory), runs
every check over HTTP on loopback with the default settings of ``mim check``, and prints the
wall time and the outcome counts. Target: under 30 s on the project's 2-core machine.

    python -m benchmarks.harness_speed [--concurrency 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.serverproc import running_server
from mim_suite.checks import catalogue
from mim_suite.probe import Probe, Target
from mim_suite.runner import RunSettings, run_checks


async def _one_run(url: str, concurrency: int) -> tuple[float, Counter[str], int]:
    checks = catalogue()
    probe = Probe(Target(api_root=url))
    started = time.perf_counter()
    try:
        run = await run_checks(checks, probe, RunSettings(concurrency=concurrency))
    finally:
        await probe.aclose()
    elapsed = time.perf_counter() - started
    return elapsed, Counter(str(r.outcome) for r in run.results), len(checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, running_server(data_dir=Path(tmp)) as url:
        for attempt in range(1, args.repeat + 1):
            elapsed, outcomes, total = asyncio.run(_one_run(url, args.concurrency))
            times.append(elapsed)
            print(f"run {attempt}: {total} checks in {elapsed:.1f} s  {dict(outcomes)}")
    print(
        f"median {statistics.median(times):.1f} s, best {min(times):.1f} s over {len(times)}"
        f" runs (concurrency {args.concurrency}); target < 30 s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
