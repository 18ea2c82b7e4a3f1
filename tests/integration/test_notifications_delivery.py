"""E-mail and webhook delivery, end to end through real servers: NATS, a real SMTP server
(aiosmtpd, in-process), a real HTTP endpoint for webhooks, the notifications service over
HTTP with its own consumer and its own database file."""

from __future__ import annotations

import asyncio
import email
import email.policy
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request, Response

from services.notifications.app import create_app
from services.notifications.deliveries.signing import verify
from services.notifications.settings import NotificationSettings
from shared.auth import Role
from shared.bus import CONTENT_TYPE, EventBus, connect_nats
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.application import (
    ApplicationApproved,
    ApplicationEvent,
    ApplicationSubmitted,
)
from shared.settings import WirSettings
from tests import auth
from tests.servers import caught_up, eventually, free_port, serve


class Mailbox:
    """aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@dataclass
class Endpoint:
    """A webhook receiver that records calls; answers ``status`` per path."""

    calls: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks/{name}")
        async def hook(name: str, request: Request) -> Response:
            self.calls.append((name, dict(request.headers), await request.body()))
            return Response(status_code=self.status.get(name, 204))

        return app

    def of(self, name: str) -> list[tuple[dict[str, str], bytes]]:
        return [(h, b) for n, h, b in self.calls if n == name]


@dataclass
class Stack:
    client: httpx.AsyncClient
    bus: EventBus
    mailbox: Mailbox
    endpoint: Endpoint
    endpoint_url: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    settings: WirSettings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    endpoint = Endpoint()
    db = tmp_path_factory.mktemp("delivery") / "notifications.db"
    config = NotificationSettings(
        **settings.model_dump(exclude={"database_url"}),
        database_url=f"sqlite+aiosqlite:///{db}",
        notifications_durable=f"notifications-test-{uuid.uuid4().hex[:6]}",
        # the test's webhook receiver listens on loopback
        webhook_allow_private_networks=True,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        notification_retry_initial_seconds=0.2,
        notification_retry_max_seconds=0.4,
        notification_give_up_seconds=1.0,
        notification_dispatch_interval_seconds=0.1,
    )
    nc = await connect_nats(settings, name="test-delivery")
    bus = EventBus.from_client(nc, settings)
    headers = auth.headers("sabine.staff", Role.operator)
    async with (
        serve(endpoint.app()) as hooks_url,
        serve(create_app(config)) as url,
        httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client,
    ):
        await caught_up(bus.js, settings.stream_name, config.notifications_durable)
        yield Stack(client, bus, mailbox, endpoint, hooks_url)
    await nc.drain()
    smtp.stop()


def _subject(mail: EmailMessage) -> str:
    # A long subject is folded onto a continuation line; unfolded it starts with a blank.
    return str(mail["Subject"]).strip()


def _app(model: type[ApplicationEvent], organisation_id: str, **fields: Any) -> CloudEvent:
    data = model(
        application_id=str(uuid.uuid4()),
        organisation_id=organisation_id,
        priority_code="coordination",
        seq=3,
        stage="approved",
        **{"requested_amount": Decimal("80000.00"), **fields},
    )
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


def _approved(organisation_id: str) -> CloudEvent:
    return _app(
        ApplicationApproved,
        organisation_id,
        granted_amount=Decimal("75000.00"),
        final_report_due_at=datetime(2028, 6, 30, 10, tzinfo=UTC),
    )


async def _recipient(stack: Stack, organisation_id: str, **body: Any) -> str:
    address = f"kontakt-{organisation_id[:8]}@example.org"
    response = await stack.client.put(
        f"/recipients/organisation/{organisation_id}", json={"email": address, **body}
    )
    assert response.status_code == 200, response.text
    return address


async def _deliveries(stack: Stack, count: int, **params: Any) -> list[dict[str, Any]]:
    async def probe() -> list[dict[str, Any]] | None:
        page = (await stack.client.get("/deliveries", params=params)).json()
        items: list[dict[str, Any]] = page["items"]
        return (
            items if len(items) == count and all(i["status"] != "pending" for i in items) else None
        )

    return await eventually(probe)


async def test_an_approval_arrives_by_email_in_the_recipients_language(stack: Stack) -> None:
    english_org, german_org = str(uuid.uuid4()), str(uuid.uuid4())
    english = await _recipient(stack, english_org, language="en")
    german = await _recipient(stack, german_org)
    approved_en, approved_de = _approved(english_org), _approved(german_org)
    await stack.bus.publish(approved_en)
    await stack.bus.publish(approved_de)

    [sent] = await _deliveries(stack, 1, recipient=english_org)
    assert sent["status"] == "sent" and sent["channel"] == "email" and sent["mandatory"]
    await _deliveries(stack, 1, recipient=german_org)
    [mail] = stack.mailbox.to(english)
    assert _subject(mail) == f"Application {approved_en.subject}: approved (grant notice)"
    assert mail["Content-Language"] == "en"
    text = mail.get_content()
    assert "EUR 75,000.00" in text and "30 June 2028" in text
    [mail_de] = stack.mailbox.to(german)
    assert _subject(mail_de) == f"Antrag {approved_de.subject}: bewilligt (Zuwendungsbescheid)"
    assert "75.000,00 EUR" in mail_de.get_content() and mail_de["Content-Language"] == "de"

    # The in-app notification is in the recipient's language too.
    page = (await stack.client.get("/notifications", params={"addressee": english_org})).json()
    assert page["items"][0]["language"] == "en"


async def test_a_redelivered_event_sends_no_second_email(stack: Stack) -> None:
    organisation_id = str(uuid.uuid4())
    address = await _recipient(stack, organisation_id)
    event = _approved(organisation_id)
    await stack.bus.publish(event)
    await _deliveries(stack, 1, recipient=organisation_id)
    # The same CloudEvent again, under another Nats-Msg-Id: the consumer sees it twice.
    await stack.bus.js.publish(
        event.nats_subject,
        event.model_dump_json().encode(),
        headers={"Nats-Msg-Id": f"{event.id}-again", "Content-Type": CONTENT_TYPE},
    )
    marker_org = str(uuid.uuid4())
    await _recipient(stack, marker_org)
    await stack.bus.publish(_approved(marker_org))  # handled after the copy: in order
    await _deliveries(stack, 1, recipient=marker_org)
    assert len(stack.mailbox.to(address)) == 1
    assert len(await _deliveries(stack, 1, event_id=event.id)) == 1


async def test_opted_out_recipients_still_get_statutory_notices(stack: Stack) -> None:
    organisation_id = str(uuid.uuid4())
    address = await _recipient(stack, organisation_id, opted_out=True)
    submitted = _app(ApplicationSubmitted, organisation_id)
    approved = _approved(organisation_id)
    await stack.bus.publish(submitted)
    await stack.bus.publish(approved)
    items = await _deliveries(stack, 2, recipient=organisation_id)
    status = {i["event_type"]: i["status"] for i in items}
    assert status == {"wir.application.submitted": "suppressed", "wir.application.approved": "sent"}
    [mail] = stack.mailbox.to(address)
    assert "bewilligt" in _subject(mail)


async def _webhook(stack: Stack, name: str) -> dict[str, Any]:
    response = await stack.client.post(
        "/webhooks",
        json={
            "url": f"{stack.endpoint_url}/hooks/{name}",
            "event_types": ["wir.application.approved"],
        },
    )
    assert response.status_code == 201, response.text
    hook: dict[str, Any] = response.json()
    return hook


async def test_a_webhook_is_signed_and_replay_protected(stack: Stack) -> None:
    hook = await _webhook(stack, "ok")
    event = _approved(str(uuid.uuid4()))
    await stack.bus.publish(event)
    [delivery] = await _deliveries(stack, 1, event_id=event.id, channel="webhook")
    assert delivery["status"] == "sent"
    [(headers, body)] = [c for c in stack.endpoint.of("ok") if event.id.encode() in c[1]]
    assert CloudEvent.model_validate_json(body) == event
    assert headers["content-type"] == CONTENT_TYPE
    assert headers["wir-delivery-id"] == delivery["id"]
    stamp, signature = headers["wir-timestamp"], headers["wir-signature"]

    def valid(secret: str, payload: bytes, now: float | None = None) -> bool:
        return verify(secret=secret, timestamp=stamp, body=payload, signature=signature, now=now)

    assert valid(hook["secret"], body)
    assert not valid(hook["secret"], body + b" ")  # tampered
    assert not valid("another-secret-entirely", body)
    assert not valid(hook["secret"], body, now=time.time() + 301)  # replayed 5 minutes later
    assert "secret" not in (await stack.client.get("/webhooks")).json()[0]
    await stack.client.delete(f"/webhooks/{hook['id']}")


async def test_a_failing_webhook_is_retried_given_up_recorded_and_resent(stack: Stack) -> None:
    stack.endpoint.status["down"] = 503
    hook = await _webhook(stack, "down")
    event = _approved(str(uuid.uuid4()))
    failed_events = await stack.bus.js.subscribe(
        "wir.notification.delivery_failed.*", ordered_consumer=True
    )
    await stack.bus.publish(event)
    [delivery] = await _deliveries(stack, 1, event_id=event.id, channel="webhook")
    assert delivery["status"] == "failed" and delivery["last_error"] == "HTTP 503"
    assert delivery["attempts"] >= 3  # 0 s, 0.2 s, 0.6 s; then 1.0 s would pass give-up
    assert (
        len([c for c in stack.endpoint.of("down") if event.id.encode() in c[1]])
        == delivery["attempts"]
    )
    failures = (await stack.client.get("/deliveries", params={"status": "failed"})).json()
    assert delivery["id"] in [i["id"] for i in failures["items"]]

    async def published() -> CloudEvent | None:
        msg = await failed_events.next_msg(timeout=5)
        got = CloudEvent.model_validate_json(msg.data)
        return got if got.data["delivery_id"] == delivery["id"] else None

    failure = await eventually(published)
    assert failure.data["source_event_id"] == event.id and failure.data["error"] == "HTTP 503"
    assert failure.data["channel"] == "webhook" and failure.data["attempts"] == delivery["attempts"]
    await failed_events.unsubscribe()

    stack.endpoint.status["down"] = 200  # the endpoint is back; staff re-send
    resent = await stack.client.post(f"/deliveries/{delivery['id']}/resend")
    assert resent.status_code == 200 and resent.json()["resent_by"] == "sabine.staff"
    [again] = await _deliveries(stack, 1, event_id=event.id, channel="webhook")
    assert again["status"] == "sent" and again["resends"] == 1
    conflict = await stack.client.post(f"/deliveries/{delivery['id']}/resend")
    assert conflict.status_code == 409
    await stack.client.delete(f"/webhooks/{hook['id']}")


async def test_deactivating_a_webhook_stops_its_retries(stack: Stack) -> None:
    stack.endpoint.status["retiring"] = 503
    hook = await _webhook(stack, "retiring")
    event = _approved(str(uuid.uuid4()))
    await stack.bus.publish(event)

    def calls() -> int:
        return len([c for c in stack.endpoint.of("retiring") if event.id.encode() in c[1]])

    async def first_call() -> bool:
        return calls() >= 1

    await eventually(first_call, interval=0.01)  # retried after 0.2 s, given up after 1 s
    assert (await stack.client.delete(f"/webhooks/{hook['id']}")).status_code == 200
    [delivery] = await _deliveries(stack, 1, event_id=event.id, channel="webhook")
    assert delivery["status"] == "cancelled" and delivery["last_error"] == "webhook deactivated"
    assert delivery["next_attempt_at"] is None
    attempted = calls()
    await asyncio.sleep(1.0)  # past the retries and the give-up time
    assert calls() == attempted
    again = (await stack.client.get(f"/deliveries/{delivery['id']}")).json()
    assert again["status"] == "cancelled"


async def test_recipients_api(stack: Stack) -> None:
    organisation_id = str(uuid.uuid4())
    await _recipient(stack, organisation_id, language="en", opted_out=True)
    got = (await stack.client.get(f"/recipients/organisation/{organisation_id}")).json()
    assert got["language"] == "en" and got["opted_out"] is True
    bad = await stack.client.put(
        f"/recipients/organisation/{organisation_id}", json={"email": "not an address"}
    )
    assert bad.status_code == 422
    anonymous = await stack.client.put(
        f"/recipients/organisation/{organisation_id}", json={}, headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401
    missing = await stack.client.get("/recipients/provider/nobody")
    assert missing.status_code == 404
