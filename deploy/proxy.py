"""``python -m deploy.proxy``: a round-robin HTTP reverse proxy in front of a service's replicas.

The replicated launcher (``python -m deploy.run --replicas N``) puts one on each service's
usual port, so clients and the web front end use the same URLs as with one copy.

One request per connection: the proxy reads the request's head, asks the replica to close
after answering (``Connection: close``; uvicorn then says so in its answer, so the client
opens a fresh connection for its next request, which goes to the next replica), and pipes
both bodies through as they come — an upload or a long download is streamed, never held.
A replica that refuses the connection is skipped for the next one; a replica that dies
before it sent a byte of its answer gets the client a ``503`` with ``Retry-After`` (WIR's
clients repeat commands on 503 with the same ``Idempotency-Key``, which never acts twice).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

log = logging.getLogger("deploy.proxy")

HEAD_LIMIT = 64 * 1024
CHUNK = 64 * 1024
CONNECT_TIMEOUT = 2.0
# How long a request's head may take to arrive (slow clients hold no connection forever).
HEAD_TIMEOUT = 10.0
_HOP_HEADERS = (b"connection", b"keep-alive", b"proxy-connection")
_UNAVAILABLE_BODY = (
    b'{"type":"about:blank","title":"Service unavailable","status":503,'
    b'"detail":"no replica of this service answers; try again"}'
)
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: application/problem+json\r\n"
    b"Retry-After: 1\r\n"
    b"Connection: close\r\n"
    b"Content-Length: " + str(len(_UNAVAILABLE_BODY)).encode() + b"\r\n\r\n" + _UNAVAILABLE_BODY
)
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"


def closing_head(head: bytes) -> bytes:
    """The request's head with its hop-by-hop connection headers replaced by ``close``."""
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name not in _HOP_HEADERS:
            kept.append(line)
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n"


@dataclass
class Backend:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Backend:
        host, _, port = text.rpartition(":")
        return cls(host or "127.0.0.1", int(port))


@dataclass
class RoundRobin:
    """The replicas, taken in turn; ``served`` counts the requests each was given."""

    backends: list[Backend]
    served: list[int] = field(default_factory=list)
    _next: int = 0

    def __post_init__(self) -> None:
        self.served = [0] * len(self.backends)

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """A connection to the next replica that accepts one; None when none does."""
        for _ in range(len(self.backends)):
            index = self._next
            self._next = (self._next + 1) % len(self.backends)
            backend = self.backends[index]
            try:
                opened = await asyncio.wait_for(
                    asyncio.open_connection(backend.host, backend.port), CONNECT_TIMEOUT
                )
            except (OSError, TimeoutError):
                continue  # down or restarting: the next one
            self.served[index] += 1
            return opened
        return None


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
    """Copy until end of stream; returns how many bytes went through."""
    total = 0
    while chunk := await reader.read(CHUNK):
        writer.write(chunk)
        await writer.drain()
        total += len(chunk)
    return total


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(Exception):
        await writer.wait_closed()


class Proxy:
    def __init__(self, backends: Sequence[Backend]) -> None:
        self.pool = RoundRobin(list(backends))

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            await self._forward(client_r, client_w)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # one side went away: nothing to answer to
        finally:
            await _close(client_w)

    async def _forward(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        try:
            head = await asyncio.wait_for(client_r.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT)
        except (asyncio.LimitOverrunError, TimeoutError):
            client_w.write(BAD_REQUEST)
            await client_w.drain()
            return
        opened = await self.pool.connect()
        if opened is None:
            client_w.write(UNAVAILABLE)
            await client_w.drain()
            return
        backend_r, backend_w = opened
        upstream = asyncio.create_task(self._upload(head, client_r, backend_w))
        try:
            answered = await _pipe(backend_r, client_w)
        except ConnectionError:
            answered = 0  # the replica died; whatever it sent is all the client gets
        finally:
            upstream.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await upstream
            await _close(backend_w)
        if answered == 0:
            client_w.write(UNAVAILABLE)
            await client_w.drain()

    @staticmethod
    async def _upload(
        head: bytes, client_r: asyncio.StreamReader, backend_w: asyncio.StreamWriter
    ) -> None:
        backend_w.write(closing_head(head))
        await backend_w.drain()
        await _pipe(client_r, backend_w)  # the body, as it comes, until the answer is done


async def serve(host: str, port: int, backends: Sequence[Backend], stop: asyncio.Event) -> None:
    proxy = Proxy(backends)
    server = await asyncio.start_server(proxy.handle, host, port, limit=HEAD_LIMIT)
    async with server:
        await stop.wait()
    log.info("proxy on %s:%s served %s", host, port, proxy.pool.served)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.proxy", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="where clients connect")
    parser.add_argument(
        "--backend", action="append", required=True, help="a replica, host:port (repeat)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    backends = [Backend.parse(text) for text in args.backend]

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(args.host, args.port, backends, stop)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
