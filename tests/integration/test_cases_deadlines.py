"""The case workflow's deadlines reaching the case manager, across months: the cases
service and a worker run against the time-skipping Temporal server, with the real NATS
and database. Follow-ups at +1, +3 and +6 months and an unanswered referral become
events, and tasks in the case manager's list."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from shared.auth import Role
from shared.bus import EventBus, connect_nats
from shared.payloads.keys import data_converter
from shared.settings import WirSettings
from tests import auth
from tests.servers import binary, eventually, serve
from tests.workflows.conftest import register_search_attributes
from workflows.worker import build_worker

DAY = timedelta(days=1)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def skipping(settings: WirSettings) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=data_converter(settings),
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cases_url_skipping(
    settings: WirSettings, skipping: WorkflowEnvironment
) -> AsyncIterator[str]:
    from services.cases.app import create_app

    skipping_settings = settings.model_copy(
        update={
            "temporal_address": skipping.client.service_client.config.target_host,
            "task_queue": f"wir-skip-{uuid.uuid4().hex[:8]}",
            "referral_reminder_days": 7,
            "referral_escalation_days": 7,
            "follow_up_schedule_days": [30, 91, 182],
            "case_inactivity_days": 400,
        }
    )
    nc = await connect_nats(skipping_settings, name="test-worker-skipping")
    bus = EventBus.from_client(nc, skipping_settings)
    await bus.ensure_stream()
    async with (
        build_worker(skipping.client, bus, task_queue=skipping_settings.task_queue),
        serve(create_app(skipping_settings)) as url,
    ):
        yield url
    await nc.drain()


async def _tasks(client: httpx.AsyncClient, manager: str, **params: str) -> list[dict[str, Any]]:
    page = (await client.get("/tasks", params={"case_manager": manager, **params})).json()
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_follow_ups_and_referral_reminder_become_tasks(
    cases_url_skipping: str, skipping: WorkflowEnvironment
) -> None:
    manager = f"cm.{uuid.uuid4().hex[:12]}"
    async with httpx.AsyncClient(
        base_url=cases_url_skipping, headers=auth.headers(manager, Role.case_manager), timeout=30
    ) as cases:
        person = {"given_name": "Lina", "family_name": "Sarkis", "birth_date": "1998-07-21"}
        consent = {"given": True, "purposes": ["case_management"]}
        opened = await cases.post("/cases", json={"person": person, "consent": consent})
        assert opened.status_code == 201, opened.text
        path = f"/cases/{opened.json()['id']}"
        await cases.post(f"{path}/assessment", json={"needs": ["employment"]})
        offer_id = (await cases.get("/offers", params={"limit": 1})).json()["items"][0]["id"]
        referred = await cases.post(f"{path}/referrals", json={"offer_id": offer_id})
        referral_id = referred.json()["referrals"][0]["id"]
        # the job starts today (the test server's day): the check-ins count from it
        start = (await skipping.get_current_time()).date()
        placed = await cases.post(
            f"{path}/placement",
            json={
                "placement_type": "employment",
                "employer_or_provider": "Ohmtal Logistik GmbH",
                "start_date": start.isoformat(),
            },
        )
        assert placed.status_code == 200, placed.text

        await skipping.sleep(6 * DAY)
        assert await _tasks(cases, manager) == []
        await skipping.sleep(2 * DAY)

        async def reminder() -> list[dict[str, Any]]:
            return await _tasks(cases, manager)

        [task] = await eventually(reminder)
        assert task["kind"] == "referral_reminder" and task["referral_id"] == referral_id
        done = await cases.post(f"/tasks/{task['id']}/done")
        assert done.status_code == 200 and done.json()["status"] == "done"
        again = await cases.post(f"/tasks/{task['id']}/done")
        assert again.status_code == 409
        # the provider answers before the escalation: no further task for the referral
        await cases.post(f"{path}/referrals/{referral_id}/response", json={"accepted": True})

        elapsed = 8 * DAY  # since the placement
        for days, number in ((30, 1), (91, 2), (182, 3)):
            target = days * DAY + timedelta(hours=1)
            await skipping.sleep(target - elapsed)
            elapsed = target

            async def follow_up(n: int = number) -> list[dict[str, Any]]:
                tasks = await _tasks(cases, manager, status="any")
                return [t for t in tasks if t["kind"] == "follow_up" and t["number"] == n]

            [due] = await eventually(follow_up)
            assert due["case_manager"] == manager and due["status"] == "open"
            recorded = await cases.post(f"{path}/follow-ups", json={"still_placed": True})
            assert recorded.status_code == 200, recorded.text

        everything = await _tasks(cases, manager, status="any")
        follow_ups = [t for t in everything if t["kind"] == "follow_up"]
        assert [t["number"] for t in follow_ups] == [1, 2, 3]
        assert all(t["status"] == "done" for t in follow_ups)
        assert not [t for t in everything if t["kind"] == "referral_escalation"]
        view = (await cases.get(path)).json()
        types = [e["type"].rsplit(".", 1)[1] for e in view["history"]]
        assert types.count("follow_up_due") == 3 and types.count("referral_reminder_due") == 1
        assert types.count("follow_up_recorded") == 3
        figures = (
            await cases.get("/statistics", params={"from": "2000-01-01", "to": "2100-01-01"})
        ).json()
        assert figures["follow_ups_due"] >= 3
        assert figures["follow_up_outcomes"]["still_placed"] >= 3
