"""Cancelling a Fachtag over real HTTP, on the real dev server, NATS and database: every
registration and place on the waiting list lapses, the day takes no more commands (409 in
words), a repeat with the same Idempotency-Key gets the first answer, a bad reason is 422
and changes nothing, and the refugee's case history shows the cancellation without any
name entering the coordination service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from temporalio.client import Client

from shared.auth import Role
from tests import auth
from tests.case_clients import as_user, new_manager
from tests.coordination_clients import network_actor, plan_open_fachtag
from tests.servers import eventually

PERSON = {"given_name": "Amira", "family_name": "Haddad-Lindqvist", "birth_date": "1991-06-03"}
CONSENT = {"given": True, "purposes": ["case_management"]}
REASON = "Die Referentin ist erkrankt; ein neuer Termin folgt im Mai."
LATER = timedelta(hours=2)  # the day lies ahead: its registration does not close by itself


async def test_cancelling_lapses_every_registration_and_ends_the_day(
    coordination: httpx.AsyncClient,
    cases: httpx.AsyncClient,
    coordination_url: str,
    temporal_client: Client,
) -> None:
    manager = new_manager()
    async with (
        as_user(cases, manager) as cm_cases,
        httpx.AsyncClient(
            base_url=coordination_url, headers=auth.headers(manager, Role.case_manager)
        ) as cm,
    ):
        opened = await cm_cases.post("/cases", json={"person": PERSON, "consent": CONSENT})
        assert opened.status_code == 201, opened.text
        case_id = opened.json()["id"]
        day = await plan_open_fachtag(coordination, capacity=1, starts_in=LATER)
        path = f"/fachtage/{day['id']}"
        _, contact = await network_actor(coordination)
        for body in (
            {"kind": "contact", "contact_id": contact},
            {"kind": "staff", "user_id": "sven"},
        ):
            assert (await coordination.post(f"{path}/participants", json=body)).status_code == 200
        refugee = await cm.post(
            f"{path}/participants", json={"kind": "refugee", "case_id": case_id}
        )
        assert refugee.json()["participants"][0]["status"] == "waitlisted", refugee.text

        key = {"Idempotency-Key": "cancel-1"}
        cancelled = await coordination.post(
            f"{path}/cancellation", json={"reason": f"  {REASON} "}, headers=key
        )
        assert cancelled.status_code == 200, cancelled.text
        answer = cancelled.json()
        assert answer["stage"] == "cancelled" and answer["cancelled_at"]
        assert answer["cancellation_reason"] == REASON
        assert {p["status"] for p in answer["participants"]} == {"cancelled"}
        assert (answer["registered"], answer["waitlisted"]) == (0, 0)
        assert [h["type"].rsplit(".", 1)[1] for h in answer["history"]][-4:] == [
            "fachtag_cancelled",
            *["participant_fachtag_cancelled"] * 3,
        ]

        again = await coordination.post(
            f"{path}/cancellation", json={"reason": "anders"}, headers=key
        )
        assert again.status_code == 200, again.text
        assert again.json()["cancellation_reason"] == REASON  # the first answer, unchanged
        twice = await coordination.post(f"{path}/cancellation", json={"reason": REASON})
        assert twice.status_code == 409, twice.text
        assert "was cancelled" in twice.json()["detail"]

        contact_pid = answer["participants"][0]["participant_id"]
        refused_commands: list[tuple[httpx.AsyncClient, str, dict[str, Any] | None]] = [
            (coordination, "invitations", {"actor_ids": ["x"]}),
            (coordination, "registration/open", None),
            (coordination, "registration/close", None),
            (coordination, "participants", {"kind": "staff", "user_id": "ute"}),
            (coordination, f"participants/{contact_pid}/cancellation", None),
            (coordination, "attendance", {"attended": []}),
            (coordination, "documentation", {"text": "nichts"}),
            (cm, "participants", {"kind": "refugee", "case_id": case_id}),
        ]
        for client, command, payload in refused_commands:
            refused = await client.post(f"{path}/{command}", json=payload)
            assert refused.status_code == 409, (command, refused.text)
            assert refused.json()["detail"].startswith(f"event {day['id']} was cancelled on ")

        # the case manager sees the reason (to tell their client) and their own registration
        seen = (await cm.get(path)).json()
        assert seen["cancellation_reason"] == REASON and seen["history"] is None
        assert [p["case_id"] for p in seen["participants"]] == [case_id]

        listed = (await coordination.get("/fachtage", params={"stage": "cancelled"})).json()
        assert day["id"] in [d["id"] for d in listed["items"]]
        assert {d["stage"] for d in listed["items"]} == {"cancelled"}
        still_open = await coordination.get("/fachtage", params={"stage": "registration_open"})
        assert day["id"] not in [d["id"] for d in still_open.json()["items"]]
        assert (await coordination.get("/fachtage?stage=gone")).status_code == 422

        query = f"WirStage = 'cancelled' AND WorkflowId = '{answer['workflow_id']}'"

        async def ended() -> list[str] | None:
            return [w.id async for w in temporal_client.list_workflows(query)] or None

        assert await eventually(ended) == [answer["workflow_id"]]

        async def in_history() -> list[dict[str, Any]] | None:
            case = (await cm_cases.get(f"/cases/{case_id}")).json()
            found = [h for h in case["history"] if h["type"].startswith("wir.coordination.")]
            return found if len(found) == 2 else None

        waitlisted, lapsed = await eventually(in_history)
        assert waitlisted["type"] == "wir.coordination.participant_waitlisted"
        assert lapsed["type"] == "wir.coordination.participant_fachtag_cancelled"
        assert lapsed["data"]["fachtag_id"] == day["id"] and lapsed["data"]["was_waitlisted"]
        assert lapsed["data"]["case_id"] == case_id and "reason" not in str(lapsed["data"])

        for text in (str(answer), str(seen), str(listed)):
            assert PERSON["family_name"] not in text and PERSON["given_name"] not in text


async def test_a_bad_reason_is_422_and_changes_nothing(coordination: httpx.AsyncClient) -> None:
    day = await plan_open_fachtag(coordination, starts_in=LATER)
    path = f"/fachtage/{day['id']}"
    for body in (
        {},
        {"reason": ""},
        {"reason": "   "},
        {"reason": "x" * 1001},
        {"reason": 42},
        {"reason": "Referentin erkrankt", "name": "Jane Doe"},
    ):
        refused = await coordination.post(f"{path}/cancellation", json=body)
        assert refused.status_code == 422, (body, refused.text)
    after = (await coordination.get(path)).json()
    assert (after["stage"], after["cancelled_at"], after["cancellation_reason"]) == (
        "registration_open",
        None,
        None,
    )


async def test_only_the_office_cancels_a_day(
    coordination: httpx.AsyncClient, coordination_url: str
) -> None:
    day = await plan_open_fachtag(coordination, starts_in=LATER)
    path = f"/fachtage/{day['id']}/cancellation"
    body = {"reason": "Referentin erkrankt"}
    async with httpx.AsyncClient(base_url=coordination_url) as anonymous:
        assert (await anonymous.post(path, json=body)).status_code == 401
    async with httpx.AsyncClient(
        base_url=coordination_url, headers=auth.headers(new_manager(), Role.case_manager)
    ) as cm:
        assert (await cm.post(path, json=body)).status_code == 403
    unknown = await coordination.post("/fachtage/no-such-day/cancellation", json=body)
    assert unknown.status_code == 404, unknown.text
    assert (await coordination.get(f"/fachtage/{day['id']}")).json()["stage"] == "registration_open"


async def test_the_cancellation_reaches_each_participants_informant(
    coordination: httpx.AsyncClient, notifications_url: str
) -> None:
    """Through the real notifications service: the case manager for a refugee, the
    office's team for a contact person, the member of staff themselves."""
    manager, staff_user = new_manager(), f"staff.{new_manager()}"
    day = await plan_open_fachtag(coordination, capacity=1, starts_in=LATER)
    path = f"/fachtage/{day['id']}"
    _, contact = await network_actor(coordination)
    for body in (
        {"kind": "contact", "contact_id": contact},
        {"kind": "staff", "user_id": staff_user},
    ):
        assert (await coordination.post(f"{path}/participants", json=body)).status_code == 200
    async with httpx.AsyncClient(
        base_url=coordination.base_url, headers=auth.headers(manager, Role.case_manager)
    ) as cm:
        registered = await cm.post(
            f"{path}/participants", json={"kind": "refugee", "case_id": "c-77"}
        )
        assert registered.status_code == 200, registered.text
    cancelled = await coordination.post(f"{path}/cancellation", json={"reason": REASON})
    assert cancelled.status_code == 200, cancelled.text

    async with httpx.AsyncClient(base_url=notifications_url, timeout=30) as notes:

        async def inbox(user: str, role: Role, **params: str) -> list[dict[str, Any]] | None:
            query = {"event_type": "wir.coordination.participant_fachtag_cancelled", **params}
            answer = await notes.get(
                "/notifications", params=query, headers=auth.headers(user, role)
            )
            assert answer.status_code == 200, answer.text
            items: list[dict[str, Any]] = answer.json()["items"]
            return [i for i in items if i["entity_id"] == day["id"]] or None

        (for_cm,) = await eventually(lambda: inbox(manager, Role.case_manager))
        assert for_cm["addressee_kind"] == "case_manager" and "Abgesagt" in for_cm["subject"]
        (for_staff,) = await eventually(lambda: inbox(staff_user, Role.case_manager))
        assert (for_staff["addressee_kind"], for_staff["addressee"]) == ("staff", staff_user)
        office = await eventually(
            lambda: inbox("clara.coord", Role.coordinator, addressee_kind="role")
        )
        (team,) = office
        assert team["addressee"] == "coordinator" and contact in team["subject"]
        for note in (for_cm, for_staff, team):
            assert REASON not in note["body"] and "c-77" not in note["body"]
