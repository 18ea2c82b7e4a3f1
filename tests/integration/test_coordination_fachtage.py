"""A Fachtag over real HTTP from planning to documentation, on the real dev server, NATS
and database: the waiting list moves up on a cancellation, a refugee is registered by case
id by their case manager and the participation appears in the case's history, with no
name anywhere in the coordination service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
from temporalio.client import Client

from shared.auth import Role
from tests import auth
from tests.case_clients import as_user, new_manager
from tests.coordination_clients import network_actor, plan_open_fachtag
from tests.servers import eventually

PERSON = {
    "given_name": "Yohannes",
    "family_name": "Gebremedhin-Okafor",
    "birth_date": "1987-02-14",
}
CONSENT = {"given": True, "purposes": ["case_management"]}


async def _open_case(cases: httpx.AsyncClient) -> str:
    opened = await cases.post("/cases", json={"person": PERSON, "consent": CONSENT})
    assert opened.status_code == 201, opened.text
    case_id: str = opened.json()["id"]
    return case_id


async def test_a_fachtag_from_planning_to_documentation(
    coordination: httpx.AsyncClient,
    cases: httpx.AsyncClient,
    coordination_url: str,
    temporal_client: Client,
) -> None:
    manager = new_manager()
    async with (
        as_user(cases, manager) as cm_cases,
        httpx.AsyncClient(
            base_url=coordination_url,
            headers=as_user(cases, manager).headers,
            timeout=coordination.timeout,
        ) as cm,
    ):
        case_id = await _open_case(cm_cases)
        day = await plan_open_fachtag(coordination, capacity=2)
        path = f"/fachtage/{day['id']}"

        _, contact = await network_actor(coordination)
        first = await coordination.post(
            f"{path}/participants", json={"kind": "contact", "contact_id": contact}
        )
        assert first.status_code == 200, first.text
        staff = await coordination.post(
            f"{path}/participants", json={"kind": "staff", "user_id": "sven.staff"}
        )
        assert staff.status_code == 200, staff.text
        refugee = await cm.post(
            f"{path}/participants", json={"kind": "refugee", "case_id": case_id}
        )
        assert refugee.status_code == 200, refugee.text
        [mine] = refugee.json()["participants"]  # a case manager sees their own alone
        assert (mine["status"], mine["case_id"]) == ("waitlisted", case_id)

        contact_id = first.json()["participants"][0]["participant_id"]
        cancelled = await coordination.post(f"{path}/participants/{contact_id}/cancellation")
        assert cancelled.status_code == 200, cancelled.text
        status = {p["kind"]: p["status"] for p in cancelled.json()["participants"]}
        assert status == {"contact": "cancelled", "staff": "registered", "refugee": "registered"}
        office_view = [p for p in cancelled.json()["participants"] if p["kind"] == "refugee"]
        assert office_view[0]["case_id"] is None  # the office sees no case id

        closed = await coordination.post(f"{path}/registration/close")
        assert closed.json()["stage"] == "registration_closed", closed.text
        starts = datetime.fromisoformat(day["starts_at"])
        await asyncio.sleep(max(0.0, (starts - datetime.now(UTC)).total_seconds()) + 0.5)

        attended = [
            p["participant_id"] for p in closed.json()["participants"] if p["kind"] != "contact"
        ]
        held = await coordination.post(f"{path}/attendance", json={"attended": attended})
        assert held.status_code == 200, held.text
        assert held.json()["stage"] == "held" and held.json()["documentation_due_at"]
        documented = await coordination.post(
            f"{path}/documentation", json={"text": "12 Teilnehmende, Bewerbungsmappen erstellt."}
        )
        assert documented.status_code == 200, documented.text
        final = documented.json()
        assert final["stage"] == "documented" and final["documented_at"]
        assert [h["type"].rsplit(".", 1)[1] for h in final["history"]] == [
            "fachtag_planned",
            "fachtag_invitations_sent",
            "fachtag_registration_opened",
            "participant_registered",
            "participant_registered",
            "participant_waitlisted",
            "participant_cancelled",
            "participant_moved_up",
            "fachtag_registration_closed",
            "participant_attended",
            "participant_attended",
            "fachtag_held",
            "fachtag_documented",
        ]

        query = (
            f"WirKind = 'coordination_event' AND WirStage = 'documented' "
            f"AND WorkflowId = '{final['workflow_id']}'"
        )

        async def listed() -> list[str] | None:
            return [w.id async for w in temporal_client.list_workflows(query)] or None

        assert await eventually(listed) == [final["workflow_id"]]

        async def in_history() -> list[dict[str, Any]] | None:
            case = (await cm_cases.get(f"/cases/{case_id}")).json()
            found = [h for h in case["history"] if h["type"].startswith("wir.coordination.")]
            return found if len(found) == 3 else None

        entries = await eventually(in_history)
        assert [e["type"].rsplit(".", 1)[1] for e in entries] == [
            "participant_waitlisted",
            "participant_moved_up",
            "participant_attended",
        ]
        assert all(e["data"]["fachtag_id"] == day["id"] for e in entries)

        # the name never entered the coordination service: not in any of its answers
        for answer in (final, (await coordination.get("/fachtage")).json()):
            text = str(answer)
            assert PERSON["family_name"] not in text and PERSON["given_name"] not in text


async def test_a_refugee_is_registered_by_their_case_manager_only(
    coordination: httpx.AsyncClient, coordination_url: str
) -> None:
    day = await plan_open_fachtag(coordination)
    path = f"/fachtage/{day['id']}/participants"
    by_office = await coordination.post(path, json={"kind": "refugee", "case_id": "c-1"})
    assert by_office.status_code == 403, by_office.text
    async with httpx.AsyncClient(
        base_url=coordination_url, headers=auth.headers(new_manager(), Role.case_manager)
    ) as cm:
        contact = await cm.post(path, json={"kind": "contact", "contact_id": "contact-9"})
        assert contact.status_code == 403, contact.text
        named = await cm.post(path, json={"kind": "refugee", "case_id": "c-1", "name": "Jane"})
        assert named.status_code == 422, named.text
    unknown = await coordination.post(path, json={"kind": "contact", "contact_id": "nobody"})
    assert unknown.status_code == 422, unknown.text
    stranger = await coordination.post(
        f"/fachtage/{day['id']}/invitations", json={"actor_ids": ["no-such-actor"]}
    )
    assert stranger.status_code == 422, stranger.text


async def test_a_registration_by_someone_else_stays_out_of_the_case_history(
    coordination: httpx.AsyncClient, cases: httpx.AsyncClient, coordination_url: str
) -> None:
    """The coordination service cannot see cases; the cases service adds a participation
    only when the case manager who registered it may see the case."""
    holder, stranger = new_manager(), new_manager()
    async with (
        as_user(cases, holder) as holder_cases,
        httpx.AsyncClient(
            base_url=coordination_url, headers=auth.headers(holder, Role.case_manager)
        ) as holder_cm,
        httpx.AsyncClient(
            base_url=coordination_url, headers=auth.headers(stranger, Role.case_manager)
        ) as stranger_cm,
    ):
        case_id = await _open_case(holder_cases)
        first = await plan_open_fachtag(coordination, capacity=5)
        second = await plan_open_fachtag(coordination, capacity=5)
        body = {"kind": "refugee", "case_id": case_id}
        foreign = await stranger_cm.post(f"/fachtage/{first['id']}/participants", json=body)
        assert foreign.status_code == 200, foreign.text  # accepted: the service cannot tell
        own = await holder_cm.post(f"/fachtage/{second['id']}/participants", json=body)
        assert own.status_code == 200, own.text

        async def entries() -> list[dict[str, Any]] | None:
            case = (await holder_cases.get(f"/cases/{case_id}")).json()
            found = [h for h in case["history"] if h["type"].startswith("wir.coordination.")]
            return found or None

        [entry] = await eventually(entries)
        assert entry["data"]["fachtag_id"] == second["id"]
        assert entry["data"]["registered_by"] == holder
        await asyncio.sleep(1)  # the stranger's event came first; nothing arrives later
        assert len(await entries() or []) == 1


async def test_a_contact_participant_names_their_institution(
    coordination: httpx.AsyncClient,
) -> None:
    """``actor_id`` beside ``contact_id``, kept after the contact's erasure; none for staff."""
    day = await plan_open_fachtag(coordination, capacity=5)
    path = f"/fachtage/{day['id']}/participants"
    actor_id, contact = await network_actor(coordination)
    registered = await coordination.post(path, json={"kind": "contact", "contact_id": contact})
    assert registered.status_code == 200, registered.text
    staff = await coordination.post(path, json={"kind": "staff", "user_id": "sven.staff"})
    assert staff.status_code == 200, staff.text
    refs = {p["kind"]: (p["contact_id"], p["actor_id"]) for p in staff.json()["participants"]}
    assert refs == {"contact": (contact, actor_id), "staff": (None, None)}

    erased = await coordination.delete(f"/actors/{actor_id}/contacts/{contact}")
    assert erased.status_code == 200, erased.text
    after = (await coordination.get(f"/fachtage/{day['id']}")).json()["participants"]
    assert [p["actor_id"] for p in after if p["kind"] == "contact"] == [actor_id]
