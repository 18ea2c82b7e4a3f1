"""The e2e journeys through the proxies, requests alternating between two replicas of each
service; every event stored once and applied once to its read model, the same read model
whichever replica answers."""

from __future__ import annotations

import asyncio

from tests.e2e import journeys
from tests.scale.checks import history_ids, of_entity, stored_events
from tests.scale.conftest import Scale
from tests.servers import eventually


async def test_journeys_alternate_between_replicas(scale: Scale) -> None:
    watched = [*scale.stack.replicas["applications"], *scale.stack.replicas["cases"]]
    before = {child.name: scale.served(child) for child in watched}
    async with (
        scale.client(scale.url("applications"), "petra.officer") as applications,
        scale.client(scale.url("cases"), "anna.cm") as cases,
    ):
        closed, case_id = await asyncio.gather(
            journeys.application_to_closed(applications), journeys.case_assessed(cases)
        )
        application_id = closed.application_id
        # both replicas answered part of each journey
        served = {child.name: scale.served(child) - before[child.name] for child in watched}
        assert all(count > 0 for count in served.values()), served
        print(f"\nrequests per replica: {served}")

        events = await stored_events(scale.admin_nats_urls)
        application = of_entity(events, application_id)
        case = of_entity(events, case_id)

        async def applied() -> bool:
            a = await history_ids(
                scale.database_url, "application_events", "application_id", application_id
            )
            c = await history_ids(scale.database_url, "case_events", "case_id", case_id)
            return a == sorted(e.id for e in application) and c == sorted(e.id for e in case)

        await eventually(applied, timeout=30, interval=0.5)  # each event applied once
        print(f"events checked: {len(application)} + {len(case)}, duplicates 0, losses 0")

        # the same read model whichever replica answers
        answers = []
        for base_url in scale.replica_urls("applications"):
            async with scale.client(base_url, "petra.officer") as replica:
                one = (await replica.get(f"/applications/{application_id}")).json()
                listed = (await replica.get("/applications", params={"limit": 100})).json()
                answers.append((one, listed))
        assert answers[0] == answers[1]
        answers = []
        for base_url in scale.replica_urls("cases"):
            async with scale.client(base_url, "anna.cm") as replica:
                one = (await replica.get(f"/cases/{case_id}")).json()
                listed = (await replica.get("/cases")).json()
                answers.append((one, listed))
        assert answers[0] == answers[1]
