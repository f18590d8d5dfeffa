"""Throughput of the reference platform: creates, updates, retrievals and type+q queries.

Runs the real server process (uvicorn, one worker = one CPU core) on loopback with its SQLite
store in a temporary directory, and drives it from this process with concurrent keep-alive
connections (see loadclient.py). Prints a table; ``--markdown FILE`` also writes it there.

    python -m benchmarks.server_throughput [--entities 5000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.loadclient import LoadResult, RequestSpec, run_load
from benchmarks.serverproc import free_port, running_server

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
TARGETS = {"create": None, "update": 1800.0, "retrieve": 4200.0, "query": 2500.0}


def _vehicle(n: int) -> dict[str, Any]:
    return {
        "id": f"urn:ngsi-ld:Vehicle:bench-{n}",
        "type": "Vehicle",
        "speed": {"type": "Property", "value": n % 120, "unitCode": "KMH"},
        "brandName": {"type": "Property", "value": f"brand-{n % 7}"},
        "location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [-8.6 + (n % 100) / 1000, 41.15]},
        },
    }


def _create(n: int) -> RequestSpec:
    return ("POST", "/ngsi-ld/v1/entities", json.dumps(_vehicle(n)).encode())


def _update(total: int) -> Callable[[int], RequestSpec]:
    def make(n: int) -> RequestSpec:
        target = f"/ngsi-ld/v1/entities/urn:ngsi-ld:Vehicle:bench-{n % total}/attrs"
        body = json.dumps({"speed": {"type": "Property", "value": (n * 7) % 120}})
        return ("PATCH", target, body.encode())

    return make


def _retrieve(total: int) -> Callable[[int], RequestSpec]:
    rng = random.Random(1)

    def make(_: int) -> RequestSpec:
        entity = rng.randrange(total)
        return ("GET", f"/ngsi-ld/v1/entities/urn:ngsi-ld:Vehicle:bench-{entity}", b"")

    return make


def _query(_: int) -> RequestSpec:
    return ("GET", "/ngsi-ld/v1/entities?type=Vehicle&q=speed%3E100;brandName==%22brand-3%22", b"")


async def _phases(port: int, entities: int, concurrency: int) -> dict[str, LoadResult]:
    host = "127.0.0.1"
    plan: list[tuple[str, Callable[[int], RequestSpec], int]] = [
        ("create", _create, entities),
        ("update", _update(entities), entities),
        ("retrieve", _retrieve(entities), entities * 2),
        ("query", _query, max(entities // 2, 500)),
    ]
    results: dict[str, LoadResult] = {}
    for name, factory, total in plan:
        results[name] = await run_load(
            host, port, factory, total=total, concurrency=concurrency, headers=JSON_HEADERS
        )
    return results


def _table(results: dict[str, LoadResult], entities: int, concurrency: int) -> str:
    lines = [
        f"Entities in store: {entities}; concurrent connections: {concurrency}; "
        f"server: 1 uvicorn worker; Python {platform.python_version()}; "
        f"{os.cpu_count()} CPUs ({platform.machine()})",
        "",
        "| operation | requests | req/s | p50 ms | p99 ms | statuses | target req/s |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, r in results.items():
        target = TARGETS[name]
        goal = "-" if target is None else f"{target:,.0f}"
        lines.append(
            f"| {name} | {r.requests} | {r.per_second:,.0f} | {r.percentile(50):.1f} | "
            f"{r.percentile(99):.1f} | {r.statuses} | {goal} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, running_server(port=port, data_dir=Path(tmp)):
        results = asyncio.run(_phases(port, args.entities, args.concurrency))
    table = _table(results, args.entities, args.concurrency)
    print(table)
    if args.markdown is not None:
        args.markdown.write_text(table + "\n")
    bad = {n: r.statuses for n, r in results.items() if set(r.statuses) - {200, 201, 204}}
    if bad:
        print(f"unexpected statuses: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
