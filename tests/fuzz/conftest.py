"""A WIR of its own for the fuzz run: the session's Temporal dev server, but its own
nats-server, databases, task queue, worker and the four services over real HTTP.

Fuzzing creates whatever the OpenAPI documents allow (organisations, cases, webhooks to
made-up addresses, ...). On separate servers none of it reaches the other tests' lists,
consumers or delivery logs.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from services.notifications.settings import NotificationSettings
from shared.auth import Role
from shared.bus import EventBus, connect_nats
from shared.settings import WirSettings
from tests import auth, grant_flows
from tests.servers import NatsServer, serve
from workflows.worker import build_worker


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: schemathesis over the OpenAPI documents")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fuzz_settings(
    tmp_path_factory: pytest.TempPathFactory, settings: WirSettings
) -> AsyncIterator[NotificationSettings]:
    root = tmp_path_factory.mktemp("fuzz")
    nats = NatsServer(root / "nats")
    await nats.start()
    yield NotificationSettings(
        payload_keys_file=settings.payload_keys_file,
        temporal_address=settings.temporal_address,
        nats_url=nats.url,
        database_url=f"sqlite+aiosqlite:///{root}/{{service}}.db",
        task_queue=f"wir-fuzz-{uuid.uuid4().hex[:8]}",
        data_dir=root / "data",
        auth_key_file=auth.key_file(),
        # every test calls from 127.0.0.1: the anonymous-request limit is tested on its own
        unauthenticated_per_minute=1_000_000,
        # no webhook or e-mail goes out while the fuzz run lasts
        notification_dispatch_interval_seconds=3600,
    )
    nats.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fuzz_urls(
    fuzz_settings: NotificationSettings, temporal_client: Client
) -> AsyncIterator[dict[str, str]]:
    from services.applications.app import create_app as applications
    from services.cases.app import create_app as cases
    from services.coordination.app import create_app as coordination
    from services.notifications.app import create_app as notifications

    nc = await connect_nats(fuzz_settings, name="fuzz-worker")
    bus = EventBus.from_client(nc, fuzz_settings)
    await bus.ensure_stream()
    async with (
        build_worker(temporal_client, bus, task_queue=fuzz_settings.task_queue),
        serve(applications(fuzz_settings)) as applications_url,
        serve(cases(fuzz_settings)) as cases_url,
        serve(notifications(fuzz_settings)) as notifications_url,
        serve(coordination(fuzz_settings)) as coordination_url,
    ):
        yield {
            "applications": applications_url,
            "cases": cases_url,
            "notifications": notifications_url,
            "coordination": coordination_url,
        }
    await nc.drain()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def known_ids(fuzz_urls: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """Per service, real values for path parameters (by name), so that some fuzzed requests
    reach a record that exists and its workflow, not only 404."""
    officer = auth.headers("petra.officer", Role.programme_officer)
    manager = auth.headers("anna.cm", Role.case_manager)
    operator = auth.headers("olaf.operator", Role.operator)
    async with httpx.AsyncClient(base_url=fuzz_urls["applications"], headers=officer) as apps:
        round_id = await grant_flows.open_round(apps)
        org = await grant_flows.organisation(apps)
        draft = await grant_flows.draft(apps, org, round_id)
        in_review = await grant_flows.draft(apps, org, round_id)
        await grant_flows.submitted_in_review(apps, in_review)
    async with httpx.AsyncClient(base_url=fuzz_urls["cases"], headers=manager) as cases:
        case = await cases.post("/cases", json={"person": PERSON, "consent": CONSENT})
        offers = (await cases.get("/offers", params={"limit": 2})).json()["items"]
        volunteer = await cases.post("/volunteers", json=VOLUNTEER)
    async with httpx.AsyncClient(base_url=fuzz_urls["notifications"], headers=operator) as notes:
        # never called: the fuzz run's dispatcher does not run (and a loopback address would
        # be refused at registration, see services/notifications/recipients/destinations.py)
        webhook = await notes.post("/webhooks", json={"url": "https://hooks.example.org/wir"})
        assert webhook.status_code == 201, webhook.text
    coordinator = auth.headers("clara.coord", Role.coordinator)
    async with httpx.AsyncClient(base_url=fuzz_urls["coordination"], headers=coordinator) as co:
        coordination = await coordination_ids(co)
    return {
        "applications": {
            "application_id": [draft, in_review],
            "organisation_id": [org],
            "round_id": [round_id],
            "code": ["coordination", "case_management"],
            "reviewer": ["rita.reviewer"],
        },
        "cases": {
            "case_id": [case.json()["id"]],
            "offer_id": [offer["id"] for offer in offers],
            "provider_id": [offer["provider_id"] for offer in offers],
            "volunteer_id": [volunteer.json()["id"]],
            "case_manager": ["anna.cm"],
        },
        "notifications": {
            "webhook_id": [webhook.json()["id"]],
            "kind": ["case_manager"],
            "addressee": ["anna.cm"],
        },
        "coordination": coordination,
    }


async def coordination_ids(client: httpx.AsyncClient) -> dict[str, list[str]]:
    """An actor with a contact person, a group with a meeting and an action item, a Fachtag
    open for registration with one participant, a measure."""
    actor = await client.post("/actors", json={"name": "Verein", "type": "club", "place": "O"})
    contact = await client.post(f"/actors/{actor.json()['id']}/contacts", json={"name": "K"})
    group = await client.post("/groups", json={"name": "AG Fuzz"})
    gid = group.json()["id"]
    meeting = await client.post(
        f"/groups/{gid}/meetings",
        json={"starts_at": "2099-01-05T10:00:00+01:00", "place": "Kreishaus"},
    )
    item = await client.post(
        f"/groups/{gid}/action-items",
        json={
            "title": "T",
            "owner": {"kind": "staff", "id": "clara.coord"},
            "due_date": "2099-02-01",
        },
    )
    day = await client.post(
        "/fachtage",
        json={
            "title": "Fachtag Fuzz",
            "audience": "alle",
            "capacity": 3,
            "starts_at": "2099-03-01T09:00:00+01:00",
            "registration_closes_at": "2099-02-20T09:00:00+01:00",
        },
    )
    fid = day.json()["id"]
    opened = await client.post(f"/fachtage/{fid}/registration/open")
    staff = await client.post(
        f"/fachtage/{fid}/participants", json={"kind": "staff", "user_id": "sven.staff"}
    )
    measure = await client.post(
        "/measures",
        json={
            "institution_id": actor.json()["id"],
            "kind": "staff_training",
            "title": "Schulung",
            "goal": "Ziel",
        },
    )
    for answer in (actor, contact, group, meeting, item, day, measure):
        assert answer.status_code == 201, answer.text
    for answer in (opened, staff):
        assert answer.status_code == 200, answer.text
    return {
        "fachtag_id": [fid],
        "participant_id": [staff.json()["participants"][0]["participant_id"]],
        "measure_id": [measure.json()["id"]],
        "year": ["2099"],
        "actor_id": [actor.json()["id"]],
        "contact_id": [contact.json()["id"]],
        "group_id": [gid],
        "meeting_id": [meeting.json()["id"]],
        "item_id": [item.json()["id"]],
    }


PERSON = {"given_name": "Lina", "family_name": "Fuzz", "birth_date": "1990-01-01"}
CONSENT = {"given": True, "purposes": ["case_management", "referral_to_services"]}
VOLUNTEER = {"name": "Karim B.", "role": "mentor", "languages": ["ar", "de"], "place": "Ohmstadt"}
