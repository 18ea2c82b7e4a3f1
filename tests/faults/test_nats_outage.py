"""nats-server is stopped for 20 seconds in the middle of a flow, then started again."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.flows import stored_events
from tests.servers import eventually

OUTAGE_SECONDS = 20


async def _notices(notifications: httpx.AsyncClient, entity_id: str) -> list[dict[str, Any]]:
    # The applicant's notices (review_started also notifies the approvers' team).
    params = {"entity_id": entity_id, "addressee_kind": "organisation"}
    page = await notifications.get("/notifications", params=params)
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_nats_down_for_20_seconds(fault_stack: FaultStack) -> None:
    async with (
        fault_stack.client(fault_stack.applications_url, "petra.officer") as applications,
        fault_stack.client(fault_stack.notifications_url, "olaf.operator") as notifications,
    ):
        org = await flows.organisation(applications, "Landkreis Offenbach")
        round_id = await flows.open_round(applications)
        reviewed = [await flows.draft(applications, org, round_id) for _ in range(2)]
        late = [await flows.draft(applications, org, round_id) for _ in range(2)]
        for application_id in reviewed:
            await flows.submit(applications, application_id)
        for application_id in reviewed:
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")

        fault_stack.nats.stop()
        # During the outage: decisions wait for their events to be published; submissions
        # start workflows whose first event cannot be published yet.
        decisions = asyncio.gather(*(flows.approve(applications, a) for a in reviewed))
        for application_id in late:
            await flows.submit(applications, application_id)
        await asyncio.sleep(OUTAGE_SECONDS)
        assert not decisions.done(), "a decision was confirmed without its event"
        await fault_stack.restart(fault_stack.nats)

        await decisions
        # review_started reaches the applications read model through its consumer only
        for application_id in late:
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")

        # the notifications consumer resumed: one notice per submission and approval
        for application_id in reviewed:

            async def notified(application_id: str = application_id) -> list[dict[str, Any]]:
                items = await _notices(notifications, application_id)
                return items if len(items) >= 2 else []

            items = await eventually(notified, timeout=30)
            assert sorted(i["event_type"] for i in items) == [
                "wir.application.approved",
                "wir.application.submitted",
            ]

    events = await stored_events(fault_stack.settings.nats_url)
    for application_id in reviewed:
        flows.exactly_once(events, application_id, flows.APPROVED)
    for application_id in late:
        flows.exactly_once(events, application_id, ["submitted", "review_started"])
    fault_stack.check_alive()
