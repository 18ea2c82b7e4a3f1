"""One replica of each service and one worker SIGKILLed mid-flow, then a NATS node: the
others carry on; every event stored once, applied once and sent to the webhook once."""

from __future__ import annotations

import asyncio

import httpx
import nats

from tests import grant_flows
from tests.faults import flows
from tests.scale.checks import history_ids, of_entity, stored_events, webhook_events
from tests.scale.conftest import Scale
from tests.servers import eventually

HOOK = "kills"


async def _application(applications: httpx.AsyncClient, org: str, round_id: str) -> str:
    # repeated on 503 (a replica died under the request) with the same Idempotency-Key
    body = {"organisation_id": org, "round_id": round_id, "priority_code": "coordination"}
    drafted = await flows.command(
        applications, "/applications", json={**body, **grant_flows.content("5000.00")}
    )
    assert drafted.status_code == 201, drafted.text
    application_id = str(drafted.json()["id"])
    await flows.submit(applications, application_id)
    await flows.stage_is(applications, f"/applications/{application_id}", "in_review")
    await flows.approve(applications, application_id)
    return application_id


async def _flows(
    scale: Scale, org: str, round_id: str, *, kill: list[str]
) -> tuple[list[str], list[str]]:
    """Two applications and three cases at once; ``kill``: children SIGKILLed meanwhile."""
    async with (
        scale.client(scale.url("applications"), "petra.officer") as applications,
        scale.client(scale.url("cases"), "anna.cm") as cases,
    ):
        running = asyncio.gather(
            asyncio.gather(*(_application(applications, org, round_id) for _ in range(2))),
            asyncio.gather(*(flows.open_case(cases) for _ in range(3))),
        )
        await asyncio.sleep(1.5)
        children = {c.name: c for c in scale.group.children.values()}
        for name in kill:
            children[name].kill()
        application_ids, case_ids = await asyncio.wait_for(running, timeout=150)
    return list(application_ids), list(case_ids)


async def _checked(scale: Scale, application_ids: list[str], case_ids: list[str]) -> int:
    """Each entity's events stored once and in order, applied once, webhooked once."""
    events = await stored_events(scale.admin_nats_urls)
    mine = {i: of_entity(events, i) for i in application_ids + case_ids}
    for application_id in application_ids:
        types = [e.type.rsplit(".", 1)[1] for e in mine[application_id]]
        assert sorted(types) == sorted(flows.APPROVED), types
    for case_id in case_ids:
        assert sorted(e.type.rsplit(".", 1)[1] for e in mine[case_id]) == ["assessed", "opened"]

    async def settled() -> bool:
        hooks = webhook_events(scale.hooks, HOOK)
        for entity_id, entity_events in mine.items():
            table, key = (
                ("application_events", "application_id")
                if entity_id in application_ids
                else ("case_events", "case_id")
            )
            ids = sorted(e.id for e in entity_events)
            if await history_ids(scale.database_url, table, key, entity_id) != ids:
                return False
            if any(hooks[e.id] != 1 for e in entity_events):
                return False
        return True

    await eventually(settled, timeout=60, interval=0.5)
    hooks = webhook_events(scale.hooks, HOOK)
    assert all(n == 1 for n in hooks.values()), "a webhook call came twice"
    return sum(len(v) for v in mine.values())


async def test_replicas_worker_and_nats_node_killed_mid_flow(scale: Scale) -> None:
    async with scale.client(scale.url("notifications"), "olaf.operator") as notifications:
        hook = await notifications.post(
            "/webhooks", json={"url": f"{scale.hooks_url}/hooks/{HOOK}", "event_types": []}
        )
        assert hook.status_code == 201, hook.text
    async with scale.client(scale.url("applications"), "petra.officer") as applications:
        org = await flows.organisation(applications, "Lahn-Dill-Kreis")
        round_id = await flows.open_round(applications)
    killed = ["applications-1", "cases-1", "notifications-1", "worker-1"]
    apps, cases = await _flows(scale, org, round_id, kill=killed)
    first = await _checked(scale, apps, cases)

    nc = await nats.connect(servers=scale.admin_nats_urls)
    try:
        info = await nc.jetstream().stream_info(scale.settings.stream_name)
        leader = info.cluster.leader if info.cluster else None
    finally:
        await nc.drain()
    assert leader is not None
    apps2, cases2 = await _flows(scale, org, round_id, kill=[leader])
    second = await _checked(scale, apps2, cases2)
    print(
        f"\nkilled {killed} then NATS node {leader}: {len(apps + apps2)} applications and "
        f"{len(cases + cases2)} cases completed, {first + second} events checked, "
        "duplicates 0, losses 0"
    )
