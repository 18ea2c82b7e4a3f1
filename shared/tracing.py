"""OpenTelemetry traces: one trace follows a command from the page to the e-mail.

Off unless ``WIR_OTLP_ENDPOINT`` is set: then :func:`configure` gives the process a
``TracerProvider`` (``service.name`` = the WIR process) that exports its spans in batches
by OTLP over HTTP/protobuf. Unset, nothing of the SDK is imported and every hook here
returns at once, so an untraced WIR does no tracing work at all.

The hooks the rest of WIR calls:

- :class:`HttpServerSpans`: a span per HTTP request, named by method and route template,
  continuing an incoming ``traceparent``; :func:`client_call` for a call to another
  service, which sends the current ``traceparent`` on.
- :func:`temporal_interceptors`: Temporal's own tracing interceptor for the client, and
  through it for the worker (workflow and activity spans).
- :func:`publishing` and :func:`consuming`: a producer span per published event, whose
  context goes into the event's ``traceparent`` (CloudEvents distributed-tracing extension),
  and a consumer span per handled event, a child of that ``traceparent``.
- :func:`current_traceparent` and :func:`continued`: for work that a process does later on
  behalf of a traced one (the notifications dispatcher's deliveries).

What never goes into a span: query strings, request or response bodies, headers, event
data, exception messages; only methods, route templates, status codes, event types and ids,
consumer names and exception class names (docs/tracing.md).

One module on purpose, a little over 350 lines: every hook shares the one switch (on only
when configured, each returning at once otherwise) and the one rule of what a span may carry;
split by transport (HTTP, Temporal, NATS) each part would repeat both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi.telemetry import TelemetryConfig
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.contracts.envelope import CloudEvent
from shared.settings import WirSettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
    from temporalio.client import Interceptor

log = logging.getLogger(__name__)

#: The name of WIR's own tracer (instrumentation scope) in every span it makes.
TRACER_NAME = "wir"
TRACES_PATH = "/v1/traces"
# W3C Trace Context only: baggage could carry anything a caller put into it.
_PROPAGATOR = TraceContextTextMapPropagator()
_TRACE_HEADERS = (b"traceparent", b"tracestate")


@dataclass
class _Tracing:
    provider: TracerProvider
    service: str


# The process's tracing (configure(), or a test's activate()); empty: not traced.
_active: list[_Tracing] = []


def enabled() -> bool:
    return bool(_active)


def _tracer() -> trace.Tracer:
    return _active[0].provider.get_tracer(TRACER_NAME)


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector: ``/v1/traces`` unless a path is given."""
    parts = urlsplit(endpoint)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("WIR_OTLP_ENDPOINT must be an http:// or https:// URL")
    if parts.path in {"", "/"}:
        return endpoint.rstrip("/") + TRACES_PATH
    return endpoint


def configure(settings: WirSettings, *, service: str) -> Callable[[], None]:
    """Trace this process as ``service`` when ``settings.otlp_endpoint`` is set.

    Returns what flushes and stops the exporter at the process's end. Once per process:
    OpenTelemetry's provider is global, so a second call (another app in the same
    process) keeps the first one's."""
    if not settings.otlp_endpoint or _active:
        return lambda: None
    # Imported here: an untraced process never loads the SDK.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    provider = TracerProvider(
        resource=Resource.create({"service.name": f"wir-{service}", "service.namespace": "wir"}),
        sampler=ParentBased(TraceIdRatioBased(settings.trace_sample_ratio)),
    )
    exporter = OTLPSpanExporter(endpoint=traces_url(settings.otlp_endpoint))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    # global as well: Temporal's interceptor and the JSON logs' trace ids use the API's
    trace.set_tracer_provider(provider)
    activate(provider, service=service)
    log.info("tracing: spans of wir-%s go to %s", service, settings.otlp_endpoint)
    return provider.shutdown


def activate(provider: TracerProvider, *, service: str) -> Callable[[], None]:
    """Make WIR's hooks record into ``provider`` (what :func:`configure` does after
    building it; tests pass one that keeps spans in memory). Returns the undo."""
    state = _Tracing(provider=provider, service=service)
    _active.insert(0, state)
    return lambda: _active.remove(state)


def _error(span: trace.Span, exc: BaseException) -> None:
    """Mark ``span`` failed by the exception's class; its message may carry anything."""
    span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
    span.set_attribute("error.type", type(exc).__qualname__)


# --- HTTP ------------------------------------------------------------------------------


class HttpServerSpans:
    """ASGI middleware: one server span per HTTP request, current while the app runs.

    Named ``<METHOD> <route template>`` (``POST /applications/{application_id}/submit``);
    the raw path, its query string, headers and bodies stay out. A request with a
    ``traceparent`` header continues that trace. Installed by :func:`install_http` only
    when tracing is on, as the outermost middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _active:
            await self.app(scope, receive, send)
            return
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope.get("headers", ())
            if name in _TRACE_HEADERS
        }
        method = str(scope.get("method", "GET"))
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with _tracer().start_as_current_span(
            method,
            context=_PROPAGATOR.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.scheme": scope.get("scheme", "http")},
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                await self.app(scope, receive, send_status)
            except BaseException as exc:
                _error(span, exc)
                raise
            finally:
                # Routing put the matched route into the scope (Starlette); its template
                # names the span, never the path with its ids and query.
                template = getattr(scope.get("route"), "path", None)
                if isinstance(template, str) and template:
                    span.update_name(f"{method} {template}")
                    span.set_attribute("http.route", template)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))


def install_http(app: Any, settings: WirSettings) -> None:
    """Add :class:`HttpServerSpans` to a FastAPI/Starlette ``app`` when tracing is set;
    call it after the app's other middleware so that it runs outermost."""
    if settings.otlp_endpoint:
        app.add_middleware(HttpServerSpans)


#: ``FastAPI(telemetry=...)`` of every WIR app. FastAPI's own spans would carry the raw
#: path and its query string (``url.query``: a name search puts names there), and its OTel
#: log records exception messages; WIR's :class:`HttpServerSpans` names routes only. Nor
#: may FastAPI set up exporters of its own from ``OTEL_*`` variables.
FASTAPI_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "operation_spans": False,
    "logs": False,
    "auto_configure": False,
}


@dataclass
class ClientCall:
    """A call to another service: the headers to send it and the span to close."""

    headers: dict[str, str] = field(default_factory=dict)
    span: trace.Span | None = None

    def answered(self, status: int) -> None:
        if self.span is not None:
            self.span.set_attribute("http.response.status_code", status)
            if status >= 500:
                self.span.set_status(Status(StatusCode.ERROR))


@contextmanager
def client_call(method: str, service: str) -> Iterator[ClientCall]:
    """A client span ``<METHOD> <service>`` around a call to a WIR API, and the
    ``traceparent`` header that makes the service's span its child. The URL (its ids,
    its query string) stays out of the span."""
    if not _active:
        yield ClientCall()
        return
    with _tracer().start_as_current_span(
        f"{method} {service}",
        kind=SpanKind.CLIENT,
        attributes={"http.request.method": method, "wir.api": service},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        call = ClientCall(span=span)
        _PROPAGATOR.inject(call.headers)
        try:
            yield call
        except BaseException as exc:
            _error(span, exc)
            raise


# --- Temporal --------------------------------------------------------------------------


def temporal_interceptors() -> list[Interceptor]:
    """Temporal's tracing interceptor when tracing is on. On the client it traces starts,
    signals, updates and queries and carries their context in a header (``_tracer-data``);
    a worker built on that client traces workflow runs, handlers and activities."""
    if not _active:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]


# --- NATS events -----------------------------------------------------------------------


def _event_attributes(event: CloudEvent) -> dict[str, str]:
    return {
        "messaging.system": "nats",
        "messaging.destination.name": f"{event.type}.*",
        "messaging.message.id": event.id,
        "cloudevents.event_id": event.id,
        "cloudevents.event_type": event.type,
        "cloudevents.event_source": event.source,
    }


@contextmanager
def publishing(event: CloudEvent) -> Iterator[CloudEvent]:
    """A producer span ``publish <type>`` around publishing ``event``; yields the event to
    publish: with the span's ``traceparent`` unless the event already carries one."""
    if not _active:
        yield event
        return
    with _tracer().start_as_current_span(
        f"publish {event.type}",
        kind=SpanKind.PRODUCER,
        attributes=_event_attributes(event),
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        traced = event
        if event.traceparent is None:
            carrier: dict[str, str] = {}
            _PROPAGATOR.inject(carrier)
            if "traceparent" in carrier:
                traced = event.with_trace(carrier["traceparent"], carrier.get("tracestate"))
        try:
            yield traced
        except BaseException as exc:
            _error(span, exc)
            raise


def _parent_of(traceparent: str | None, tracestate: str | None) -> otel_context.Context:
    carrier = {"traceparent": traceparent or ""}
    if tracestate:
        carrier["tracestate"] = tracestate
    return _PROPAGATOR.extract(carrier)


@contextmanager
def consuming(event: CloudEvent, *, consumer: str) -> Iterator[None]:
    """A consumer span ``process <type>`` whose parent is the event's ``traceparent``
    (a root span for an event without one), current while the handler runs."""
    if not _active:
        yield
        return
    with _tracer().start_as_current_span(
        f"process {event.type}",
        context=_parent_of(event.traceparent, event.tracestate),
        kind=SpanKind.CONSUMER,
        attributes={**_event_attributes(event), "messaging.consumer.group.name": consumer},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield
        except BaseException as exc:
            _error(span, exc)
            raise


def current_traceparent() -> str | None:
    """The current span's ``traceparent``, to keep with work done later (None untraced)."""
    if not _active:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def continued(
    name: str, *, traceparent: str | None, attributes: Mapping[str, str | int] | None = None
) -> Iterator[None]:
    """An internal span ``name``, a child of ``traceparent`` when one was kept."""
    if not _active:
        yield
        return
    with _tracer().start_as_current_span(
        name,
        context=_parent_of(traceparent, None),
        kind=SpanKind.INTERNAL,
        attributes=dict(attributes or {}),
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield
        except BaseException as exc:
            _error(span, exc)
            raise
