"""Traces in one process: the envelope's traceparent, spans of events and HTTP requests.

Spans are kept in memory (``tracing.activate`` with the SDK's in-memory exporter); the
whole path through real processes and OTLP is tests/integration/test_tracing.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI, Request
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from pydantic import ValidationError

from deploy.events.conformance import problems
from services.web.api import Api
from shared import tracing
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.application import ApplicationSubmitted
from shared.settings import WirSettings

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _event() -> CloudEvent:
    data = ApplicationSubmitted(
        application_id="a-1",
        organisation_id="o-1",
        priority_code="coordination",
        requested_amount=Decimal("80000.00"),
        seq=1,
        stage="submitted",
    )
    return build_event(event_id="e-1", data=data, time=datetime(2027, 3, 1, 10, tzinfo=UTC))


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    undo = tracing.activate(provider, service="test")
    try:
        yield exporter
    finally:
        undo()
        provider.shutdown()


def _hex(span_id: int) -> str:
    return f"{span_id:016x}"


def test_an_event_without_trace_serialises_as_before() -> None:
    body = json.loads(_event().model_dump_json())
    assert "traceparent" not in body and "tracestate" not in body
    assert (
        problems("wir.application.submitted.a-1", _headers(), _event().model_dump_json().encode())
        == []
    )


def _headers() -> dict[str, str]:
    return {"Nats-Msg-Id": "e-1", "Content-Type": "application/cloudevents+json"}


def test_traceparent_and_tracestate_round_trip_through_the_envelope() -> None:
    traced = _event().with_trace(TRACEPARENT, "wir=1")
    body = traced.model_dump_json()
    assert json.loads(body)["traceparent"] == TRACEPARENT
    assert json.loads(body)["tracestate"] == "wir=1"
    again = CloudEvent.model_validate_json(body)
    assert again == traced and again.traceparent == TRACEPARENT and again.tracestate == "wir=1"
    assert again.data == _event().data  # the payload is untouched
    assert problems("wir.application.submitted.a-1", _headers(), body.encode()) == []


def test_a_malformed_traceparent_is_refused() -> None:
    with pytest.raises(ValidationError):
        _event().with_trace("00-not-a-trace")
    body = json.loads(_event().model_dump_json()) | {"traceparent": "00-xyz"}
    found = problems("wir.application.submitted.a-1", _headers(), json.dumps(body).encode())
    assert any("traceparent" in p for p in found), found


def test_untraced_hooks_leave_the_event_alone() -> None:
    event = _event()
    with tracing.publishing(event) as published:
        assert published is event
    assert tracing.current_traceparent() is None
    assert tracing.temporal_interceptors() == []


def test_a_consumer_span_is_the_child_of_the_published_event(
    spans: InMemorySpanExporter,
) -> None:
    with tracing.publishing(_event()) as published:
        pass
    assert published.traceparent is not None
    with tracing.consuming(published, consumer="applications-read-model"):
        kept = tracing.current_traceparent()
    producer, consumer = spans.get_finished_spans()
    assert producer.name == "publish wir.application.submitted"
    assert producer.kind is SpanKind.PRODUCER
    assert published.traceparent.split("-")[2] == _hex(producer.context.span_id)
    assert consumer.name == "process wir.application.submitted"
    assert consumer.kind is SpanKind.CONSUMER
    assert consumer.parent is not None and consumer.parent.span_id == producer.context.span_id
    assert consumer.attributes is not None
    assert consumer.attributes["messaging.consumer.group.name"] == "applications-read-model"
    # what the dispatcher keeps with a delivery names the consumer's span
    assert kept is not None and kept.split("-")[2] == _hex(consumer.context.span_id)


def test_an_event_keeps_the_trace_it_was_built_in(spans: InMemorySpanExporter) -> None:
    with tracing.publishing(_event().with_trace(TRACEPARENT)) as published:
        pass
    assert published.traceparent == TRACEPARENT


def test_a_failing_handler_marks_its_span_by_the_error_class_only(
    spans: InMemorySpanExporter,
) -> None:
    with (
        pytest.raises(ValueError),
        tracing.consuming(_event().with_trace(TRACEPARENT), consumer="c"),
    ):
        raise ValueError("Frau Mustermann, geboren 1980")
    [span] = spans.get_finished_spans()
    assert span.status.description == "ValueError" and not span.events
    assert "Mustermann" not in repr(span.attributes)


def _app() -> FastAPI:
    app = FastAPI(telemetry=tracing.FASTAPI_TELEMETRY)

    @app.get("/cases/{case_id}")
    async def case(case_id: str, request: Request) -> dict[str, str | None]:
        return {"traceparent": request.headers.get("traceparent")}

    tracing.install_http(app, WirSettings(otlp_endpoint="http://127.0.0.1:4318"))
    return app


def _only(spans: InMemorySpanExporter, kind: SpanKind) -> ReadableSpan:
    [span] = [s for s in spans.get_finished_spans() if s.kind is kind]
    return span


async def test_a_request_span_names_the_route_and_continues_the_callers_trace(
    spans: InMemorySpanExporter,
) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://cases") as client:
        answer = await client.get(
            "/cases/c-17?name=Mustermann", headers={"traceparent": TRACEPARENT}
        )
    assert answer.status_code == 200
    span = _only(spans, SpanKind.SERVER)
    assert span.name == "GET /cases/{case_id}"
    assert span.context.trace_id == int(TRACEPARENT.split("-")[1], 16)
    assert span.attributes is not None
    assert dict(span.attributes) == {
        "http.request.method": "GET",
        "url.scheme": "http",
        "http.route": "/cases/{case_id}",
        "http.response.status_code": 200,
    }


async def test_the_web_front_end_sends_its_trace_to_the_services(
    spans: InMemorySpanExporter,
) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport) as http:
        api = Api(http=http, base_urls={"cases": "http://cases"}, token=None)
        answer = await api.get("cases", "/cases/c-17", params={"name": "Mustermann"})
    client, server = _only(spans, SpanKind.CLIENT), _only(spans, SpanKind.SERVER)
    assert client.name == "GET cases"
    assert server.parent is not None and server.parent.span_id == client.context.span_id
    assert answer["traceparent"].split("-")[2] == _hex(client.context.span_id)
    for span in (client, server):
        assert "Mustermann" not in repr(span.attributes) and "c-17" not in span.name


def test_the_otlp_url_names_the_traces_path() -> None:
    assert tracing.traces_url("http://127.0.0.1:4318") == "http://127.0.0.1:4318/v1/traces"
    assert tracing.traces_url("https://otel.example/v1/traces") == "https://otel.example/v1/traces"
    with pytest.raises(ValueError):
        tracing.traces_url("127.0.0.1:4318")
