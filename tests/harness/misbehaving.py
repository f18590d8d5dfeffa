"""A platform that misbehaves on purpose: a raw asyncio TCP server on 127.0.0.1.

Each :class:`Mode` is one way a real target can go wrong. The server runs its own event loop
in a background thread, so that it keeps misbehaving whatever the test's event loop does, and
binds port 0 so that the kernel picks a free port (no race with other tests)::

    with MisbehavingServer(Mode.HANG) as server:
        probe = Probe(Target(api_root=server.url, timeout_s=0.5))

Leaving the ``with`` block stops the server and drops every connection it still holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import socket
import struct
import threading
import zlib
from types import TracebackType

__all__ = ["MisbehavingServer", "Mode"]


class Mode(enum.StrEnum):
    HANG = "hang"  # accepts the connection and never answers
    SLOW = "slow"  # answers, but only after ``slow_s`` seconds
    HUGE = "huge"  # a valid status line, then a ``huge_bytes`` body, streamed
    MALFORMED = "malformed"  # garbage instead of HTTP
    RESET = "reset"  # resets the connection (RST) as soon as it is accepted
    HTTP500 = "http500"  # 500 with an HTML body for every request
    NOT_JSON = "not_json"  # 200 with a text/html body for every request
    DRIP = "drip"  # a valid response, one byte every ``drip_interval_s``
    GZIP_BOMB = "gzip_bomb"  # a small gzip body that inflates to ``huge_bytes``


_CHUNK = 64 * 1024
_HTML = b"<!DOCTYPE html><html><body><h1>Oops</h1><p>Something went wrong.</p></body></html>"
_GARBAGE = b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe\x80 not HTTP at all \x1b[31m\r\n\r\n"


def _head(status: str, content_type: str, length: int, *extra: str) -> bytes:
    lines = [
        f"HTTP/1.1 {status}",
        f"Content-Type: {content_type}",
        f"Content-Length: {length}",
        "Connection: close",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    steps = range(0, size, len(block))
    parts = [packer.compress(block[: min(len(block), size - done)]) for done in steps]
    parts.append(packer.flush())
    return b"".join(parts)


class MisbehavingServer:
    """A TCP server on 127.0.0.1 that misbehaves according to ``mode``."""

    def __init__(
        self,
        mode: Mode,
        *,
        slow_s: float = 5.0,
        huge_bytes: int = 50 * 1024 * 1024,
        drip_interval_s: float = 0.05,
    ) -> None:
        self.mode = Mode(mode)
        self.slow_s = slow_s
        self.huge_bytes = huge_bytes
        self.drip_interval_s = drip_interval_s
        self.port = 0
        self.connections = 0
        self.bytes_sent = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._gzip = _gzip_of_zeros(huge_bytes) if self.mode is Mode.GZIP_BOMB else b""

    @property
    def url(self) -> str:
        """The NGSI-LD API root this server pretends to be."""
        return f"http://127.0.0.1:{self.port}/ngsi-ld/v1"

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"misbehaving-{self.mode}")
        self._thread.daemon = True
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the misbehaving server did not start")
        if self._failure is not None:
            raise RuntimeError("the misbehaving server failed to start") from self._failure

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop already finished
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
            if self._thread.is_alive():
                raise RuntimeError("the misbehaving server did not stop")

    def __enter__(self) -> MisbehavingServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # surfaced by start()
            self._failure = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        handlers: set[asyncio.Task[None]] = set()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            handlers.add(task)
            try:
                await self._handle(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                pass  # the client gave up: expected, the point of most modes
            except asyncio.CancelledError:
                pass  # the server stops; ending quietly keeps asyncio from logging the cancel
            finally:
                writer.transport.abort()
                handlers.discard(task)

        server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            server.close()
            for task in list(handlers):
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)
            await server.wait_closed()

    # -- the misbehaviours ---------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        mode = self.mode
        if mode is Mode.RESET:
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return  # on_connect aborts the transport: with SO_LINGER 0 that is an RST
        if mode is Mode.HANG:
            await asyncio.Event().wait()
        await _read_request(reader)
        if mode is Mode.MALFORMED:
            await self._send(writer, _GARBAGE)
        elif mode is Mode.HTTP500:
            await self._send(writer, _head("500 Internal Server Error", "text/html", len(_HTML)))
            await self._send(writer, _HTML)
        elif mode is Mode.NOT_JSON:
            await self._send(writer, _head("200 OK", "text/html; charset=utf-8", len(_HTML)))
            await self._send(writer, _HTML)
        elif mode is Mode.SLOW:
            await asyncio.sleep(self.slow_s)
            await self._send(writer, _head("200 OK", "application/json", 2) + b"[]")
        elif mode is Mode.HUGE:
            await self._send(writer, _head("200 OK", "application/json", self.huge_bytes))
            block = b"[" + b"0," * (_CHUNK // 2 - 1) + b"0"
            left = self.huge_bytes
            while left > 0:
                await self._send(writer, block[:left])
                left -= len(block)
        elif mode is Mode.DRIP:
            body = b'[{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}]' * 100
            for byte in _head("200 OK", "application/json", len(body)) + body:
                await self._send(writer, bytes([byte]))
                await asyncio.sleep(self.drip_interval_s)
        elif mode is Mode.GZIP_BOMB:
            extra = "Content-Encoding: gzip"
            await self._send(writer, _head("200 OK", "application/json", len(self._gzip), extra))
            await self._send(writer, self._gzip)

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()
        self.bytes_sent += len(data)


async def _read_request(reader: asyncio.StreamReader) -> None:
    """Read one request, head and body (Content-Length or chunked), so that the client is not
    cut off while it still sends."""
    head = await reader.readuntil(b"\r\n\r\n")
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip().lower()
    if b"chunked" in fields.get(b"transfer-encoding", b""):
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")  # the last chunk's CRLF (no trailers are sent)
    elif length := int(fields.get(b"content-length", b"0") or b"0"):
        await reader.readexactly(length)
