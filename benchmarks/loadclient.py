"""A minimal HTTP/1.1 keep-alive load client on asyncio streams.

Why hand-written: the benchmark runs the server and the load generator on one 2-core
machine. httpx spends far more CPU per request than the server under test, so it would
measure itself; this client only formats request bytes and reads ``Content-Length`` framed
responses, which the reference server always sends.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["LoadResult", "RequestSpec", "run_load"]

RequestSpec = tuple[str, str, bytes]  # method, path with query, body
Factory = Callable[[int], RequestSpec]


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def _encode(host: str, spec: RequestSpec, headers: dict[str, str]) -> bytes:
    method, target, body = spec
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in ("POST", "PATCH", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _worker(
    host: str,
    port: int,
    jobs: asyncio.Queue[int],
    factory: Factory,
    headers: dict[str, str],
    result: LoadResult,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            try:
                n = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            writer.write(_encode(host, factory(n), headers))
            status = await _read_response(reader)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.requests += 1
    finally:
        writer.close()


async def run_load(
    host: str,
    port: int,
    factory: Factory,
    *,
    total: int,
    concurrency: int,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Send ``total`` requests built by ``factory(n)`` over ``concurrency`` connections."""
    jobs: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        jobs.put_nowait(n)
    result = LoadResult()
    started = time.perf_counter()
    await asyncio.gather(
        *(_worker(host, port, jobs, factory, headers or {}, result) for _ in range(concurrency))
    )
    result.seconds = time.perf_counter() - started
    return result
