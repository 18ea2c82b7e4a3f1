"""Prometheus metrics of every WIR process, served at ``GET /metrics`` (docs/metrics.md).

One registry per process (:func:`process_metrics`, made on first use): the services, the web
front end and the codec server serve it on their own port through :class:`MetricsMiddleware`,
the worker on a port of its own (workflows/worker.py). The middleware answers
``GET /metrics`` itself, before routing, so the endpoint is in no OpenAPI document, needs no
session or token of a user and is not counted as a request. With ``WIR_METRICS_TOKEN`` set it
wants ``Authorization: Bearer <that token>``; unset (the embedded default) it is open.

Labels hold only names from the code (service, route template, command, durable, channel):
never a raw path, a query string or an identifier of a person or a file.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from pydantic import SecretStr

from shared.settings import WirSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

METRICS_PATH = "/metrics"
#: The route label of a request no route matched (404, or 405 on a known path).
UNMATCHED = "unmatched"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds; WIR's answers take from a few milliseconds (reads) to a few seconds (a
# Temporal update under load, a PDF letter).
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class WirMetrics:
    """The series WIR itself exports (the Temporal SDK's come from the worker's runtime)."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.http_requests = Counter(
            "wir_http_requests",
            "HTTP requests answered, by route template and status",
            ["service", "method", "route", "status"],
            registry=r,
        )
        self.http_duration = Histogram(
            "wir_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer",
            ["service", "method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.commands = Counter(
            "wir_commands",
            "State-changing API calls (POST, PUT, PATCH, DELETE on a route), by outcome",
            ["service", "command", "outcome"],
            registry=r,
        )
        self.consumer_pending = Gauge(
            "wir_consumer_pending_messages",
            "Messages on the stream not yet delivered to the durable consumer",
            ["durable"],
            registry=r,
        )
        self.consumer_redeliveries = Counter(
            "wir_consumer_redeliveries",
            "Messages delivered to a consumer more than once",
            ["durable"],
            registry=r,
        )
        self.events_consumed = Counter(
            "wir_events_consumed",
            "Messages a durable consumer handled: acked, retried (nak'd) or dead_lettered",
            ["durable", "outcome"],
            registry=r,
        )
        self.dead_letters = Counter(
            "wir_dead_letters",
            "Messages moved to the dead-letter stream",
            ["durable"],
            registry=r,
        )
        self.events_published = Counter(
            "wir_events_published",
            "Events published to JetStream: stored, duplicate (already stored) or failed",
            ["outcome"],
            registry=r,
        )
        self.deliveries = Counter(
            "wir_deliveries",
            "Notification deliveries by channel (email, webhook, inbox) and outcome",
            ["channel", "outcome"],
            registry=r,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


@functools.cache
def process_metrics() -> WirMetrics:
    """This process's metrics, with the process, platform and GC collectors beside them."""
    disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series
    metrics = WirMetrics()
    for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        metrics.registry.register(collector)
    return metrics


def route_label(scope: Scope) -> str:
    """The route template a request matched (``/applications/{application_id}``), for a
    mount its prefix with ``{path}``; :data:`UNMATCHED` when none matched."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template) if template else UNMATCHED


def method_label(method: str) -> str:
    return method if method in _METHODS else "other"


def authorised(headers: list[tuple[bytes, bytes]], token: SecretStr | None) -> bool:
    """Whether a scrape may read the metrics: always without a token, else with it."""
    if token is None:
        return True
    wanted = f"Bearer {token.get_secret_value()}".encode()
    for name, value in headers:
        if name.lower() == b"authorization":
            return hmac.compare_digest(value, wanted)
    return False


async def answer_scrape(
    scope: Scope, send: Send, *, token: SecretStr | None, metrics: WirMetrics
) -> None:
    """Answer ``GET /metrics``: the text format, or 401 without the right token."""
    if not authorised(list(scope.get("headers", [])), token):
        status, body = 401, b"metrics need Authorization: Bearer <WIR_METRICS_TOKEN>\n"
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        headers.append((b"www-authenticate", b'Bearer realm="metrics"'))
    else:
        status, body = 200, metrics.exposition()
        headers = [(b"content-type", CONTENT_TYPE_LATEST.encode())]
    headers += [(b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""})


class MetricsMiddleware:
    """Counts and times every HTTP request by route template; answers ``GET /metrics``.

    Add it last (outermost), so that requests refused by the other middlewares (429, 413)
    are counted too."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        token: SecretStr | None = None,
        metrics: WirMetrics | None = None,
    ) -> None:
        self.app = app
        self.service = service
        self.token = token
        self.metrics = metrics or process_metrics()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH and scope["method"] in {"GET", "HEAD"}:
            await answer_scrape(scope, send, token=self.token, metrics=self.metrics)
            return
        started = time.perf_counter()
        status = 500  # unless an answer starts: the server answers an escaped error so

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            method, route = method_label(scope["method"]), route_label(scope)
            m = self.metrics
            m.http_requests.labels(self.service, method, route, str(status)).inc()
            m.http_duration.labels(self.service, method, route).observe(
                time.perf_counter() - started
            )


def install_metrics(app: Any, *, service: str, token: SecretStr | None) -> None:
    """Give a FastAPI/Starlette ``app`` its metrics (call after its other middlewares)."""
    app.add_middleware(MetricsMiddleware, service=service, token=token)


def count_command(*, service: str, command: str, outcome: str) -> None:
    process_metrics().commands.labels(service, command, outcome).inc()


def count_delivery(*, channel: str, outcome: str, amount: int = 1) -> None:
    if amount > 0:
        process_metrics().deliveries.labels(channel, outcome).inc(amount)


class ConsumerMetrics:
    """The series of one durable consumer (shared/bus.py's consumer loop)."""

    def __init__(self, durable: str, metrics: WirMetrics | None = None) -> None:
        m = metrics or process_metrics()
        self._pending = m.consumer_pending.labels(durable)
        self._redeliveries = m.consumer_redeliveries.labels(durable)
        self._dead = m.dead_letters.labels(durable)
        self._consumed = m.events_consumed
        self._durable = durable

    def idle(self) -> None:
        """A fetch found nothing to deliver: nothing is pending."""
        self._pending.set(0)

    def delivered(self, num_delivered: int, *, pending: int) -> None:
        self._pending.set(pending)
        if num_delivered > 1:
            self._redeliveries.inc()

    def handled(self, outcome: str) -> None:
        """``acked``, ``retried`` or ``dead_lettered``."""
        self._consumed.labels(self._durable, outcome).inc()
        if outcome == "dead_lettered":
            self._dead.inc()


def count_published(outcome: str) -> None:
    """``stored``, ``duplicate`` or ``failed``."""
    process_metrics().events_published.labels(outcome).inc()


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    body = b"only GET /metrics here\n"
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class MetricsServer(uvicorn.Server):
    """uvicorn serving ``GET /metrics`` alone, in a process that handles its signals itself
    (the worker): it leaves SIGINT/SIGTERM to the process and stops on ``should_exit``."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def metrics_server(settings: WirSettings, *, port: int, service: str) -> MetricsServer:
    """A server of this process's WIR metrics on ``settings.host``:``port``."""
    app = MetricsMiddleware(_not_found, service=service, token=settings.metrics_token)
    config = uvicorn.Config(
        app, host=settings.host, port=port, log_config=None, access_log=False, lifespan="off"
    )
    return MetricsServer(config)
