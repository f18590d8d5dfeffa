"""Start the reference platform as a real process on a free loopback port, and stop it.

Used by the demo, the benchmarks and the process-level tests.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

__all__ = ["free_port", "running_server"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline_s: float) -> None:
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early with code {process.returncode}")
        try:
            httpx.get(f"{url}/types", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer at {url} within {deadline_s} s")


@contextlib.contextmanager
def running_server(
    *,
    port: int | None = None,
    data_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[str]:
    """Run ``python -m reference_server``; yields the API root URL."""
    port = port or free_port()
    argv = [sys.executable, "-m", "reference_server", "--port", str(port), "--log-level", "warning"]
    argv += ["--data-dir", str(data_dir)] if data_dir is not None else ["--in-memory"]
    env = {**os.environ, **(extra_env or {})}
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/ngsi-ld/v1"
    try:
        _wait_ready(url, process, 20.0)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not None and not isinstance(out, int):
            out.close()
