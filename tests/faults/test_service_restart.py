"""The notifications service is SIGKILLed while events arrive, and started again."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.servers import eventually


async def test_service_killed_catches_up_from_its_durable_consumer(
    fault_stack: FaultStack,
) -> None:
    async with (
        fault_stack.client(fault_stack.applications_url, "petra.officer") as applications,
        fault_stack.client(fault_stack.notifications_url, "olaf.operator") as notifications,
    ):
        org = await flows.organisation(applications, "Main-Kinzig-Kreis")
        round_id = await flows.open_round(applications)
        drafts = [await flows.draft(applications, org, round_id) for _ in range(6)]

        async def drive(application_id: str) -> None:
            await flows.submit(applications, application_id)
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")
            await flows.approve(applications, application_id)

        flow = asyncio.gather(*(drive(a) for a in drafts))
        await asyncio.sleep(0.5)
        fault_stack.notifications.kill()  # events keep arriving while it is gone
        await asyncio.sleep(2)
        await fault_stack.restart(fault_stack.notifications)
        await flow

        async def caught_up() -> Counter[tuple[str, str]] | None:
            page = await notifications.get(
                "/notifications", params={"addressee": org, "limit": 100}
            )
            wanted = ("wir.application.submitted", "wir.application.approved")
            items = [n for n in page.json()["items"] if n["event_type"] in wanted]
            seen = Counter((n["entity_id"], n["event_type"]) for n in items)
            return seen if sum(seen.values()) >= 2 * len(drafts) else None

        seen = await eventually(caught_up, timeout=30)
        expected = Counter(
            (a, f"wir.application.{t}") for a in drafts for t in ("submitted", "approved")
        )
        assert seen == expected  # every notice once: none lost, none doubled
    fault_stack.check_alive()
