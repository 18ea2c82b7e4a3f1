"""The whole stack as staff drive it over HTTP, watched by an independent NATS subscriber.

Real Temporal dev server, real nats-server, real database, the worker and the three
services over real HTTP. The subscriber reads the JetStream stream the way an external
system would and checks every CloudEvent: expected order, valid, exactly once, and free of
the refugee's personal data.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import nats
from temporalio.client import Client

from shared.contracts import grants
from shared.contracts.cases import workflow_id as case_workflow_id
from shared.contracts.envelope import CloudEvent
from shared.settings import WirSettings
from tests import grant_flows as flow
from tests.case_clients import provider_headers
from tests.e2e import journeys
from tests.e2e.journeys import PERSON
from tests.servers import eventually


async def _events_of(settings: WirSettings, domain: str, entity_id: str, count: int) -> list[bytes]:
    """Read every stored event of one entity from the stream, as an outside subscriber."""
    nc = await nats.connect(settings.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(f"wir.{domain}.*.{entity_id}", ordered_consumer=True)
        raw: list[bytes] = []
        try:
            while True:
                msg = await sub.next_msg(timeout=3 if len(raw) >= count else 15)
                raw.append(msg.data)
        except nats.errors.TimeoutError:
            pass
        await sub.unsubscribe()
        return raw
    finally:
        await nc.drain()


def _check_events(raw: list[bytes], expected: list[str], entity_id: str) -> list[CloudEvent]:
    events = [CloudEvent.model_validate_json(body) for body in raw]
    assert [e.type.rsplit(".", 1)[1] for e in events] == expected
    assert len({e.id for e in events}) == len(events), "an event arrived twice"
    for index, event in enumerate(events, start=1):
        assert event.specversion == "1.0" and event.subject == entity_id
        assert event.payload().seq == index  # in order, none missing
    return events


async def _stage(client: httpx.AsyncClient, path: str, stage: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(path)).json()
        return body if body.get("stage") == stage else None

    return await eventually(probe)


async def _visible_in_temporal(client: Client, query: str, workflow_id: str) -> None:
    async def probe() -> bool:
        return any([w.id == workflow_id async for w in client.list_workflows(query)])

    await eventually(probe, timeout=20, interval=0.5)


async def test_application_through_to_closed(
    applications: httpx.AsyncClient,
    notifications: httpx.AsyncClient,
    settings: WirSettings,
    temporal_client: Client,
) -> None:
    """A round opens; an application goes through review, four-eyes approval, Bescheid,
    payment, Verwendungsnachweis and acceptance to closed."""
    journey = await journeys.application_to_closed(applications)
    round_id, organisation_id = journey.round_id, journey.organisation_id
    application_id = journey.application_id

    expected = [
        "submitted",
        "review_started",
        "reviewer_assigned",
        "reviewed",
        "approved",
        "decision_final",
        "funding_started",
        "payment_requested",
        "payment_approved",
        "report_submitted",
        "closed",
    ]
    events = _check_events(
        await _events_of(settings, "application", application_id, len(expected)),
        expected,
        application_id,
    )
    assert events[4].data["granted_amount"] == "110000.00"
    assert events[4].data["actor"] == "jonas.approver"

    async def approval_notice() -> list[dict[str, Any]]:
        page = await notifications.get(
            "/notifications",
            params={"addressee": organisation_id, "event_type": "wir.application.approved"},
        )
        items: list[dict[str, Any]] = page.json()["items"]
        return items

    assert len(await eventually(approval_notice)) == 1
    await _visible_in_temporal(
        temporal_client,
        f"WirKind = 'grant_application' AND WirStage = 'closed' AND WirRound = '{round_id}' "
        "AND WirPriority = 'case_management'",
        grants.workflow_id(application_id),
    )


async def test_ineligible_application(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(
        applications, name="Kirchengemeinde St. Martin", applicant_type="church_org"
    )
    application_id = await flow.draft(applications, organisation_id, round_id)
    await applications.post(f"/applications/{application_id}/submit")
    body = await _stage(applications, f"/applications/{application_id}", "ineligible")
    assert "church_org is not eligible" in body["ineligible_reasons"][0]
    events = _check_events(
        await _events_of(settings, "application", application_id, 2),
        ["submitted", "ineligible"],
        application_id,
    )
    assert events[1].data["reasons"] == body["ineligible_reasons"]


async def test_case_through_to_closed_without_personal_data_in_events(
    cases: httpx.AsyncClient,
    notifications: httpx.AsyncClient,
    settings: WirSettings,
    temporal_client: Client,
) -> None:
    offers = (await cases.get("/offers", params={"limit": 2})).json()["items"]
    assert len(offers) == 2
    case_id = await journeys.case_assessed(cases)
    path = f"/cases/{case_id}"
    referral = await cases.post(f"{path}/referrals", json={"offer_id": offers[0]["id"]})
    assert referral.status_code == 200, referral.text
    referral_id = referral.json()["referrals"][0]["id"]
    # the provider of the offer sees the referral in its list and answers it
    provider = provider_headers(offers[0])
    listed = (await cases.get("/referrals", headers=provider)).json()["items"]
    assert referral_id in [r["id"] for r in listed]
    accepted = await cases.post(
        f"{path}/referrals/{referral_id}/response", json={"accepted": True}, headers=provider
    )
    assert accepted.status_code == 200, accepted.text
    completed = await cases.post(
        f"{path}/referrals/{referral_id}/completion",
        json={"outcome": "successful"},
        headers=provider,
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "completed"
    placed = await cases.post(
        f"{path}/placement",
        json={
            "placement_type": "internship",
            "employer_or_provider": "Schreinerei Beispiel GmbH",
            "start_date": "2027-02-01",
        },
    )
    assert placed.status_code == 200, placed.text
    closed = await cases.post(f"{path}/closure", json={"reason": "placed"})
    assert closed.json()["stage"] == "closed"
    reopened = await cases.post(f"{path}/reopen")
    assert reopened.json()["stage"] == "in_progress"
    closed = await cases.post(f"{path}/closure", json={"reason": "moved_away"})
    assert closed.json()["stage"] == "closed"

    expected = [
        "opened",
        "assessed",
        "referral_sent",
        "referral_accepted",
        "referral_completed",
        "placed",
        "closed",
        "reopened",
        "closed",
    ]
    raw = await _events_of(settings, "case", case_id, len(expected))
    _check_events(raw, expected, case_id)
    personal = [v for v in PERSON.values() if isinstance(v, str)] + ["Asthma", "Amina"]
    for body in raw:
        text = body.decode()
        leaked = [value for value in personal if value.lower() in text.lower()]
        assert not leaked, f"personal data in an event: {leaked}"
        json.loads(text)

    async def acceptance_notice() -> list[dict[str, Any]]:
        page = await notifications.get(
            "/notifications",
            params={"addressee": "anna.cm", "event_type": "wir.case.referral_accepted"},
        )
        return [n for n in page.json()["items"] if n["entity_id"] == case_id]

    assert len(await eventually(acceptance_notice)) == 1
    await _visible_in_temporal(
        temporal_client,
        "WirKind = 'refugee_case' AND WirStage = 'closed'",
        case_workflow_id(case_id),
    )
    # the workflow history (plain payloads) carries no personal data either
    history = await temporal_client.get_workflow_handle(case_workflow_id(case_id)).fetch_history()
    dumped = history.to_json()
    assert not [v for v in personal if v in dumped]


async def test_subscriber_can_follow_one_event_type(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    """``wir.application.submitted.*`` gives an external system just the submissions."""
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    sub = await js.subscribe("wir.application.submitted.*", ordered_consumer=True)
    msg = await sub.next_msg(timeout=10)
    assert CloudEvent.model_validate_json(msg.data).type == "wir.application.submitted"
    await sub.unsubscribe()
    await nc.drain()
