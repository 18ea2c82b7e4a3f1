"""The notifications service over HTTP, fed real CloudEvents through a real NATS server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest_asyncio
from sqlalchemy import func, select

from services.notifications import app as notifications_app
from services.notifications.inbox import service as repository
from services.notifications.inbox.models import Notification
from services.notifications.notices import rules
from shared.auth import Role
from shared.bus import CONTENT_TYPE, EventBus, connect_nats
from shared.contracts.cases import DeclineReason
from shared.contracts.envelope import CloudEvent, EventData, build_event
from shared.contracts.events.application import (
    ApplicationApproved,
    ApplicationClosed,
    ApplicationEvent,
    ApplicationReviewStarted,
    ApplicationSubmitted,
    ReviewerAssigned,
)
from shared.contracts.events.case import CaseAssessed, ReferralDeclined
from shared.db import create_engine, session_factory
from shared.migrations import upgrade
from shared.settings import WirSettings
from tests import auth
from tests.servers import eventually

Page = dict[str, Any]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def bus(settings: WirSettings) -> AsyncIterator[EventBus]:
    nc = await connect_nats(settings, name="test-notifications")
    event_bus = EventBus.from_client(nc, settings)
    await event_bus.ensure_stream()
    yield event_bus
    await nc.drain()


def _id() -> str:
    return str(uuid.uuid4())


def _event(data: EventData) -> CloudEvent:
    return build_event(event_id=_id(), data=data, time=datetime.now(UTC))


def _application(model: type[ApplicationEvent], **fields: Any) -> EventData:
    base: dict[str, Any] = {
        "application_id": _id(),
        "organisation_id": _id(),
        "priority_code": "coordination",
        "seq": 1,
        "stage": "submitted",
        "requested_amount": Decimal("80000.00"),
    }
    return model(**{**base, **fields})


def _submitted(organisation_id: str | None = None, **fields: Any) -> CloudEvent:
    return _event(
        _application(ApplicationSubmitted, organisation_id=organisation_id or _id(), **fields)
    )


async def _list(client: httpx.AsyncClient, **params: Any) -> Page:
    response = await client.get("/notifications", params=params)
    assert response.status_code == 200, response.text
    page: Page = response.json()
    return page


async def _listed(client: httpx.AsyncClient, total: int, **params: Any) -> Page:
    """The page once exactly ``total`` notifications match ``params``."""

    async def probe() -> Page | None:
        page = await _list(client, **params)
        return page if page["total"] == total else None

    return await eventually(probe)


async def _drained(client: httpx.AsyncClient, bus: EventBus) -> None:
    """Wait until the consumer has handled everything published so far: it handles the
    stream in order, so once a fresh event's notification shows, all earlier ones are done."""
    marker = _submitted()
    await bus.publish(marker)
    await _listed(client, 1, addressee=marker.data["organisation_id"])


async def test_health(notifications: httpx.AsyncClient) -> None:
    response = await notifications.get("/health")
    assert response.status_code == 200
    assert response.json()["service"] == "notifications"


async def test_approved_application_notifies_its_organisation(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    organisation_id = _id()
    due = datetime(2028, 6, 30, 10, tzinfo=UTC)
    event = _event(
        _application(
            ApplicationApproved,
            organisation_id=organisation_id,
            seq=3,
            stage="approved",
            granted_amount=Decimal("75000.00"),
            final_report_due_at=due,
        )
    )
    assert await bus.publish(event)
    page = await _listed(notifications, 1, addressee=organisation_id)
    item = page["items"][0]
    assert item["addressee_kind"] == "organisation"
    assert item["event_id"] == event.id and item["event_type"] == "wir.application.approved"
    assert item["entity_id"] == event.subject and item["language"] == "de"
    assert item["subject"] == f"Antrag {event.subject}: bewilligt (Zuwendungsbescheid)"
    assert "75.000,00 EUR" in item["body"] and "30.06.2028" in item["body"]
    assert item["read_at"] is None and item["read_by"] is None

    one = await notifications.get(f"/notifications/{item['id']}")
    assert one.status_code == 200 and one.json() == item


async def test_declined_referral_notifies_the_case_manager(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    case_manager = f"cm-{uuid.uuid4().hex[:8]}"
    case = {"case_id": _id(), "case_manager": case_manager, "stage": "in_progress"}
    assessed = _event(CaseAssessed(seq=2, need_count=2, **case))
    declined = _event(
        ReferralDeclined(
            seq=3, referral_id=_id(), offer_id="offer-1", reason=DeclineReason.no_contact, **case
        )
    )
    await bus.publish(assessed)
    await bus.publish(declined)
    page = await _listed(notifications, 1, addressee=case_manager)
    item = page["items"][0]
    assert item["event_id"] == declined.id  # the assessment notified nobody
    assert item["addressee_kind"] == "case_manager"
    assert item["subject"] == f"Fall {case['case_id']}: Vermittlung abgelehnt (no_contact)"
    await _drained(notifications, bus)
    assert (await _list(notifications, addressee=case_manager))["total"] == 1


async def test_a_redelivered_event_notifies_once(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    event = _submitted()
    organisation_id = event.data["organisation_id"]
    assert await bus.publish(event) is True
    assert await bus.publish(event) is False  # the stream drops the copy
    # The same CloudEvent under another Nats-Msg-Id reaches the consumer a second time.
    await bus.js.publish(
        event.nats_subject,
        event.model_dump_json().encode(),
        stream=bus.stream,
        headers={"Nats-Msg-Id": f"{event.id}-again", "Content-Type": CONTENT_TYPE},
    )
    await _listed(notifications, 1, addressee=organisation_id)
    await _drained(notifications, bus)
    page = await _list(notifications, addressee=organisation_id)
    assert page["total"] == 1 and page["items"][0]["event_id"] == event.id


async def test_events_outside_the_catalogue_are_dropped(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    case_manager = f"cm-{uuid.uuid4().hex[:8]}"
    unknown = CloudEvent(
        id=_id(),
        source="urn:wir:test",
        type="wir.case.teleported",
        subject=_id(),
        time=datetime.now(UTC),
        data={"case_id": "c", "case_manager": case_manager, "seq": 1, "stage": "intake"},
    )
    await bus.publish(unknown)
    await bus.js.publish("wir.case.garbage.x", b"not json", stream=bus.stream)
    await _drained(notifications, bus)  # the consumer is not stuck on either
    assert (await _list(notifications, addressee=case_manager))["total"] == 0


async def test_mark_read_keeps_the_first_reading(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    event = _submitted()
    await bus.publish(event)
    page = await _listed(notifications, 1, addressee=event.data["organisation_id"])
    url = f"/notifications/{page['items'][0]['id']}/read"

    first = await notifications.post(url)
    assert first.status_code == 200, first.text
    assert first.json()["read_at"] is not None and first.json()["read_by"] == "olaf.operator"
    second = await notifications.post(url, headers=auth.headers("someone.else", Role.operator))
    assert second.status_code == 200
    assert second.json()["read_at"] == first.json()["read_at"]
    assert second.json()["read_by"] == "olaf.operator"

    anonymous = await notifications.post(url, headers={"Authorization": ""})
    assert anonymous.status_code == 401


async def test_unknown_notification_is_a_404_problem(notifications: httpx.AsyncClient) -> None:
    for response in (
        await notifications.get("/notifications/does-not-exist"),
        await notifications.post("/notifications/does-not-exist/read"),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["detail"] == "notification does-not-exist does not exist"


async def test_filters_and_pagination_newest_first(
    notifications: httpx.AsyncClient, bus: EventBus
) -> None:
    organisation_id = _id()
    application_id = _id()
    app = {"organisation_id": organisation_id, "application_id": application_id}
    events = [
        _submitted(**app),
        _event(
            _application(
                ApplicationApproved,
                **app,
                seq=2,
                stage="approved",
                granted_amount=Decimal("70000"),
                final_report_due_at=datetime.now(UTC) + timedelta(days=548),
            )
        ),
        _event(
            ApplicationClosed(
                **app,
                priority_code="coordination",
                seq=3,
                stage="closed",
                granted_amount=Decimal("70000"),
                spent_amount=Decimal("69000"),
            )
        ),
    ]
    for event in events:
        await bus.publish(event)
    await _listed(notifications, 3, addressee=organisation_id)

    first = await _list(notifications, addressee=organisation_id, limit=2, offset=0)
    rest = await _list(notifications, addressee=organisation_id, limit=2, offset=2)
    assert first["total"] == 3 and first["limit"] == 2 and len(first["items"]) == 2
    assert len(rest["items"]) == 1
    ordered = [i["event_id"] for i in first["items"] + rest["items"]]
    assert ordered == [e.id for e in reversed(events)]

    approved = await _list(
        notifications, addressee=organisation_id, event_type="wir.application.approved"
    )
    assert [i["event_id"] for i in approved["items"]] == [events[1].id]
    by_entity = await _list(notifications, entity_id=application_id, addressee_kind="organisation")
    assert by_entity["total"] == 3
    as_case_manager = await _list(
        notifications, addressee=organisation_id, addressee_kind="case_manager"
    )
    assert as_case_manager["total"] == 0

    read = await notifications.post(f"/notifications/{first['items'][0]['id']}/read")
    assert read.status_code == 200
    unread = await _list(notifications, addressee=organisation_id, unread=True)
    assert unread["total"] == 2
    assert first["items"][0]["id"] not in {i["id"] for i in unread["items"]}

    bad = await notifications.get("/notifications", params={"addressee_kind": "mayor"})
    assert bad.status_code == 422
    too_many = await notifications.get("/notifications", params={"limit": 1000})
    assert too_many.status_code == 422


async def test_two_consumers_storing_one_event_store_it_once(settings: WirSettings) -> None:
    """The race the unique (event_id, addressee) constraint settles: the second writer's
    check runs before the first commits, its insert fails, and it adds nothing."""
    engine = create_engine(settings.database_url_for("notifications-race"))
    await upgrade(engine, notifications_app.MIGRATIONS)
    sessions = session_factory(engine)
    event = _submitted()
    notices = rules.notices_for(event)
    try:
        async with sessions() as first, sessions() as second:
            assert await repository.store(session=first, event=event, notices=notices) == 1
            racing = asyncio.create_task(
                repository.store(session=second, event=event, notices=notices)
            )
            await asyncio.sleep(0.3)  # the second has looked and waits to insert
            await first.commit()
            assert await racing == 0
            await second.commit()
        async with sessions() as session:
            count = await session.scalar(
                select(func.count()).where(Notification.event_id == event.id)
            )
        assert count == 1
    finally:
        await engine.dispose()


async def test_webhooks_to_internal_addresses_are_refused(
    notifications: httpx.AsyncClient,
) -> None:
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8001/cases",
        # IPv6 forms that stand for 127.0.0.1: IPv4-compatible, NAT64, 6to4
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
    ):
        refused = await notifications.post("/webhooks", json={"url": url})
        assert refused.status_code == 422, refused.text
        assert refused.json()["title"] == "Webhook address not allowed"
    hooks = (await notifications.get("/webhooks")).json()
    assert not any("169.254" in h["url"] or "127.0.0.1" in h["url"] for h in hooks)


async def test_reviewers_hear_only_of_applications_assigned_to_them(
    notifications: httpx.AsyncClient, notifications_url: str, bus: EventBus
) -> None:
    reviewer, other = f"rita-{uuid.uuid4().hex[:6]}", f"rolf-{uuid.uuid4().hex[:6]}"
    mine, theirs = (
        {"application_id": _id(), "organisation_id": _id(), "priority_code": "coordination"}
        for _ in range(2)
    )
    started = [
        _event(ApplicationReviewStarted(seq=2, stage="in_review", **a)) for a in (mine, theirs)
    ]
    for event in [
        *started,
        _event(ReviewerAssigned(seq=3, stage="in_review", reviewer=reviewer, **mine)),
        _event(ReviewerAssigned(seq=3, stage="in_review", reviewer=other, **theirs)),
    ]:
        await bus.publish(event)
    await _drained(notifications, bus)
    for event in started:  # the approvers' team hears of every review; not the reviewers'
        page = await _list(notifications, entity_id=event.subject, event_type=event.type)
        assert [(i["addressee_kind"], i["addressee"]) for i in page["items"]] == [
            ("role", "approver")
        ]
    headers = auth.headers(reviewer, Role.reviewer)
    async with httpx.AsyncClient(base_url=notifications_url, headers=headers) as client:
        seen = await _list(client, event_type="wir.application.reviewer_assigned")
        assert [(i["addressee_kind"], i["addressee"], i["entity_id"]) for i in seen["items"]] == [
            ("reviewer", reviewer, mine["application_id"])
        ]
        for event in started:
            page = await _list(client, entity_id=event.subject, event_type=event.type)
            assert page["total"] == 0
