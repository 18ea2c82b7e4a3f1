"""uvicorn as every WIR HTTP process runs it: time limits for slow clients.

uvicorn closes an idle keep-alive connection (``keep_alive_seconds``) and answers 503 past
``max_connections`` open connections, but it waits for a request's headers for ever: a
client sending one header line every few seconds held its connection indefinitely. Here a
connection whose request headers are not complete ``header_read_seconds`` after it opened
(or after the first byte of a later request on it) is closed. The body's deadline
(``body_read_seconds``, 408) is kept by the body limit middleware (shared/limits.py).
Forwarded headers are believed only from ``trusted_proxies``. Used by ``deploy/serve.py``
(the services under ``make up``) and the codec server.
"""

from __future__ import annotations

import asyncio
import logging

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.logs import configure_logging
from shared.settings import WirSettings

#: Largest request line plus headers (uvicorn's default, stated here on purpose).
MAX_HEADER_BYTES = 16 * 1024


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers come too slowly."""

    header_read_seconds: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._arm()  # the first byte of a later request on a kept-alive connection
        super().data_received(data)
        if not self._waiting_for_headers():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _waiting_for_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_read_seconds, self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()


def header_deadline(seconds: float) -> type[HeaderDeadlineProtocol]:
    """The protocol class with its header deadline (uvicorn instantiates it per connection)."""
    return type("HeaderDeadline", (HeaderDeadlineProtocol,), {"header_read_seconds": seconds})


class PathOnlyAccessLog(logging.Filter):
    """Keeps query strings out of uvicorn's access log: a search such as ``GET /cases?q=…``
    carries a person's name, and the log is no place for it. The path is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            if query:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def quiet_query_strings() -> None:
    """Installs :class:`PathOnlyAccessLog` on uvicorn's access logger, once."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PathOnlyAccessLog) for f in access.filters):
        access.addFilter(PathOnlyAccessLog())


def server_config(
    app: object,
    settings: WirSettings,
    *,
    port: int,
    factory: bool = False,
    service: str | None = None,
    **options: object,
) -> uvicorn.Config:
    """The uvicorn configuration every WIR service runs with (``options``: more of
    uvicorn's, e.g. ``log_level``). The access log names paths without their query
    strings (:class:`PathOnlyAccessLog`). With ``service`` (a process's entry point) every
    log line, uvicorn's too, is written as ``WIR_LOG_FORMAT`` says (shared/logs.py)."""
    if service is not None:
        options = {"log_config": None, **options}
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        factory=factory,
        host=settings.host,
        port=port,
        http=header_deadline(settings.header_read_seconds),
        timeout_keep_alive=settings.keep_alive_seconds,  # type: ignore[arg-type]
        limit_concurrency=settings.max_connections,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default: any local client
        # could then choose the address that the rate limit and the audit counts see.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        **options,  # type: ignore[arg-type]
    )
    if service is not None:
        configure_logging(settings, service=service)
    quiet_query_strings()  # after Config, which sets up uvicorn's loggers
    return config
