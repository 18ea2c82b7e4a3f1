"""One trace from the click to the e-mail, exported by OTLP from real WIR processes.

The stack is its own: Temporal, nats-server, the worker, the applications and notifications
services and the web front end run as subprocesses (as ``make up`` runs them) with
``WIR_OTLP_ENDPOINT`` pointing at an OTLP/HTTP receiver in this test, which decodes each
``ExportTraceServiceRequest``. An SMTP server in the test takes the e-mail. An applicant
submits an application through the web front end; the test follows the trace of that one
request through every process to the delivery of the e-mail.
"""

from __future__ import annotations

import gzip
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import nats
import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request, Response
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from deploy.events.conformance import problems
from deploy.processes import ProcessGroup
from deploy.stack import nats_server, service_port, temporal_server, throwaway, wir_process
from shared.auth import Role
from shared.contracts.envelope import CloudEvent
from shared.settings import WirSettings
from tests import auth
from tests import grant_flows as flow
from tests.servers import eventually, free_port, serve

APPLICANT = "verein.kontakt"
#: Said only in the query string and the form body of requests: no span may repeat it.
SECRET_QUERY = "Mustermann-Query"
SECRET_BODY = "Mustermann-Body"


@dataclass
class Mailbox:
    """aiosmtpd handler: the recipients of every message the SMTP server accepted."""

    recipients: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[str]:
        return [r for r in self.recipients if r == address]


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, Any]


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


@dataclass
class Receiver:
    """An OTLP/HTTP collector for traces: keeps every span it is sent."""

    spans: list[Span] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/traces")
        async def traces(request: Request) -> Response:
            body = await request.body()
            if request.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            self.add(ExportTraceServiceRequest.FromString(body))
            return Response(
                ExportTraceServiceResponse().SerializeToString(),
                media_type="application/x-protobuf",
            )

        return app

    def add(self, export: ExportTraceServiceRequest) -> None:
        for resource_spans in export.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        Span(
                            service=str(resource.get("service.name")),
                            name=span.name,
                            kind=span.kind,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_id=span.parent_span_id.hex(),
                            attributes={a.key: _value(a.value) for a in span.attributes},
                        )
                    )

    def trace(self, trace_id: str) -> list[Span]:
        return [s for s in self.spans if s.trace_id == trace_id]


@dataclass
class TracedStack:
    settings: WirSettings
    receiver: Receiver
    mailbox: Mailbox

    def url(self, service: str) -> str:
        port = self.settings.web_port if service == "web" else service_port(self.settings, service)
        return f"http://127.0.0.1:{port}"

    def client(self, service: str, user: str, *roles: Role) -> httpx.AsyncClient:
        headers = auth.headers(user, *roles, settings=self.settings)
        return httpx.AsyncClient(base_url=self.url(service), headers=headers, timeout=60)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TracedStack]:
    receiver, mailbox = Receiver(), Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    group = ProcessGroup()
    try:
        async with serve(receiver.app()) as collector:
            settings = throwaway(
                tmp_path_factory.mktemp("tracing"),
                task_queue=f"wir-tracing-{uuid.uuid4().hex[:8]}",
                auth_key_file=auth.key_file(),
                unauthenticated_per_minute=1_000_000,
                otlp_endpoint=collector,
            )
            # short batches, so the spans arrive within the test's patience
            fast = {"OTEL_BSP_SCHEDULE_DELAY": "200"}
            mail = {
                "WIR_SMTP_HOST": "127.0.0.1",
                "WIR_SMTP_PORT": str(smtp.port),
                "WIR_NOTIFICATION_DISPATCH_INTERVAL_SECONDS": "0.2",
            }
            await group.start_async(temporal_server(settings, ui=False), nats_server(settings))
            await group.start_async(
                wir_process("worker", settings, env=fast),
                wir_process("applications", settings, env=fast, log_level="warning"),
                wir_process("notifications", settings, env={**fast, **mail}, log_level="warning"),
            )
            await group.start_async(wir_process("web", settings, env=fast, log_level="warning"))
            yield TracedStack(settings, receiver, mailbox)
    finally:
        group.stop(timeout=10)
        smtp.stop()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def _signed_in_applicant(
    web: httpx.AsyncClient, organisation_id: str, application_id: str
) -> str:
    """Sign in through the demo form, open the application's page; returns the CSRF
    token of its forms."""
    form = await web.get("/sign-in")
    assert form.status_code == 200, form.text
    signed_in = await web.post(
        "/sign-in",
        data={
            "csrf_token": _csrf(form.text),
            "user": APPLICANT,
            "roles": "applicant",
            "organisation_id": organisation_id,
        },
    )
    assert signed_in.status_code == 303, signed_in.text
    page = await web.get(f"/applications/{application_id}")
    assert page.status_code == 200, page.text
    return _csrf(page.text)


def _one(spans: list[Span], service: str, name: str) -> Span:
    found = [s for s in spans if s.service == service and s.name == name]
    assert found, f"no span {name!r} of {service}; the trace has {_names(spans)}"
    return found[0]


def _names(spans: list[Span]) -> list[tuple[str, str]]:
    return sorted({(s.service, s.name) for s in spans})


SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5


async def test_a_submission_is_one_trace_from_the_click_to_the_email(stack: TracedStack) -> None:
    async with (
        stack.client("applications", "petra.officer", Role.programme_officer) as office,
        stack.client("notifications", "olaf.operator", Role.operator) as operator,
        httpx.AsyncClient(base_url=stack.url("web"), timeout=60) as web,
    ):
        round_id = await flow.open_round(office)
        organisation_id = await flow.organisation(office)
        application_id = await flow.draft(office, organisation_id, round_id)
        address = f"kontakt-{organisation_id[:8]}@example.org"
        registered = await operator.put(
            f"/recipients/organisation/{organisation_id}", json={"email": address}
        )
        assert registered.status_code == 200, registered.text
        csrf = await _signed_in_applicant(web, organisation_id, application_id)
        # a query string and a form field that no span may repeat
        submitted = await web.post(
            f"/applications/{application_id}/submit?note={SECRET_QUERY}",
            data={"csrf_token": csrf, "comment": SECRET_BODY},
        )
        assert submitted.status_code == 303, submitted.text

        await eventually(lambda: _async(stack.mailbox.to(address)), timeout=30)

    click_name = "POST /applications/{application_id}/submit"

    async def whole_trace() -> list[Span] | None:
        clicks = [
            s for s in stack.receiver.spans if s.service == "wir-web" and s.name == click_name
        ]
        if not clicks:
            return None
        spans = stack.receiver.trace(clicks[0].trace_id)
        names = {s.name for s in spans}
        # each process exports in its own batches: wait for both consumers' spans
        consuming = {s.service for s in spans if s.name == "process wir.application.submitted"}
        whole = "deliver email" in names and {"wir-applications", "wir-notifications"} <= consuming
        return spans if whole else None

    spans = await eventually(whole_trace, timeout=30, interval=0.3)
    by_id = {s.span_id: s for s in spans}

    click = _one(spans, "wir-web", click_name)
    assert click.kind == SERVER and click.parent_id == ""  # the trace starts at the click
    assert click.attributes["http.route"] == "/applications/{application_id}/submit"
    assert click.attributes["http.response.status_code"] == 303
    call = _one(spans, "wir-web", "POST applications")
    assert call.kind == CLIENT
    server = _one(spans, "wir-applications", click_name)
    assert server.kind == SERVER and by_id[server.parent_id].name == "POST applications"
    assert server.attributes["http.response.status_code"] == 202
    start = _one(spans, "wir-applications", "StartWorkflow:GrantApplicationWorkflow")
    assert by_id[start.parent_id] == server
    run = _one(spans, "wir-worker", "RunWorkflow:GrantApplicationWorkflow")
    assert by_id[run.parent_id] == start
    _one(spans, "wir-worker", "StartActivity:publish_event")
    _one(spans, "wir-worker", "RunActivity:publish_event")

    published = _one(spans, "wir-worker", "publish wir.application.submitted")
    assert published.kind == PRODUCER
    assert by_id[published.parent_id].name == "RunActivity:publish_event"
    consumers = [
        s for s in spans if s.name == "process wir.application.submitted" and s.kind == CONSUMER
    ]
    assert {s.service for s in consumers} == {"wir-applications", "wir-notifications"}
    assert all(by_id[s.parent_id] == published for s in consumers)
    groups = {s.attributes["messaging.consumer.group.name"] for s in consumers}
    assert len(groups) == 2  # the read model's durable and the notifications'
    delivery = _one(spans, "wir-notifications", "deliver email")
    assert by_id[delivery.parent_id].name == "process wir.application.submitted"
    assert by_id[delivery.parent_id].service == "wir-notifications"

    # Nothing of the query string or the body reaches any span of the trace, nor any
    # span at all; no span carries a raw path.
    for span in stack.receiver.spans:
        text = repr(span)
        assert SECRET_QUERY not in text and SECRET_BODY not in text, span
        assert "url.query" not in span.attributes and "url.path" not in span.attributes, span
        assert "?" not in span.name, span
        assert application_id not in span.name, span  # route templates, not paths

    await _events_name_their_producer_spans(stack, application_id)


async def _async(value: Any) -> Any:
    return value


async def _stored_events(stack: TracedStack, application_id: str) -> list[tuple[str, CloudEvent]]:
    """The application's events as the stream holds them, each checked for conformance."""
    nc = await nats.connect(stack.settings.nats_url)
    found: list[tuple[str, CloudEvent]] = []
    try:
        sub = await nc.jetstream().subscribe(
            f"wir.application.*.{application_id}", ordered_consumer=True
        )
        while True:
            try:
                msg = await sub.next_msg(timeout=1)
            except nats.errors.TimeoutError:
                break
            assert problems(msg.subject, msg.headers, msg.data) == [], msg.subject
            found.append((msg.subject, CloudEvent.model_validate_json(msg.data)))
        await sub.unsubscribe()
    finally:
        await nc.drain()
    return found


async def _events_name_their_producer_spans(stack: TracedStack, application_id: str) -> None:
    """Every event of the traced submission carries its producer span's traceparent and
    still passes the CloudEvents conformance check that subscribers rely on."""
    events = await _stored_events(stack, application_id)
    assert len(events) >= 2, events  # submitted, review_started

    async def producers() -> dict[str, Span] | None:
        found = {
            s.attributes["messaging.message.id"]: s
            for s in stack.receiver.spans
            if s.kind == PRODUCER
        }
        return found if all(e.id in found for _, e in events) else None

    spans = await eventually(producers, timeout=15, interval=0.3)
    for subject, event in events:
        assert event.traceparent is not None, subject
        producer = spans[event.id]
        assert event.traceparent.split("-")[1:3] == [producer.trace_id, producer.span_id]
