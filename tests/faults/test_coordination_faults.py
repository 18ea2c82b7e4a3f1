"""The coordination service under faults: the worker SIGKILLed while a Fachtag's waiting
list moves up, NATS away while measures change (their outbox), and the service itself
SIGKILLed while action items and meetings are created with Idempotency-Keys."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType

from shared.auth import Role
from shared.contracts import coordination
from shared.contracts import coordination_activities as fachtag_contract
from shared.contracts.coordination_activities import (
    FachtagUpdates,
    ParticipantKind,
    RegisterCommand,
)
from shared.contracts.envelope import CloudEvent
from shared.contracts.events.coordination_activities import ParticipantMovedUp
from shared.gateway import send_update
from tests.coordination_clients import plan_open_fachtag
from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.flows import stored_events
from tests.servers import eventually

OFFICE = "clara.coord"
#: How long the coordination tests keep NATS away (the relay runs every 3 s).
OUTAGE_SECONDS = 8


def _office(fault_stack: FaultStack) -> httpx.AsyncClient:
    return fault_stack.client(fault_stack.coordination_url, OFFICE, Role.coordinator)


async def _post(
    client: httpx.AsyncClient,
    path: str,
    *,
    json: dict[str, Any] | None = None,
    key: str | None = None,
    timeout: float = 90.0,
) -> httpx.Response:
    """:func:`flows.command`, also across the service's own death: a refused or broken
    connection is tried again with the same key until ``timeout``."""
    key = key or uuid.uuid4().hex
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await flows.command(client, path, json=json, key=key, timeout=timeout)
        except httpx.TransportError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


def _ok(response: httpx.Response, *codes: int) -> dict[str, Any]:
    assert response.status_code in (codes or (200,)), response.text
    body: dict[str, Any] = response.json()
    return body


def _of(events: list[CloudEvent], entity_id: str) -> list[CloudEvent]:
    """The entity's events in the order the stream holds them."""
    return [e for e in events if e.subject == entity_id]


# --- 1. the worker killed while cancellations move the waiting list up ---------------------


async def _cancel_killing_worker(
    fault_stack: FaultStack, office: httpx.AsyncClient, path: str, participant_ids: list[str]
) -> None:
    """Cancel these participants at once; SIGKILL the worker while the updates run."""
    cancelling = asyncio.gather(
        *(_post(office, f"{path}/participants/{p}/cancellation") for p in participant_ids)
    )
    await asyncio.sleep(0.08)
    fault_stack.worker.kill()
    await asyncio.sleep(1.0)
    await fault_stack.restart(fault_stack.worker)
    for response in await cancelling:
        _ok(response)


async def test_worker_killed_while_the_waiting_list_moves_up(fault_stack: FaultStack) -> None:
    async with _office(fault_stack) as office:
        day = await plan_open_fachtag(office, capacity=1, starts_in=timedelta(hours=2))
        path = f"/fachtage/{day['id']}"
        staff = ["first.place", "waiting.one", "waiting.two", "waiting.three"]
        ids: dict[str, str] = {}
        for user in staff:  # one after another: the order of the waiting list is known
            body = {"kind": "staff", "user_id": user}
            registered = _ok(await _post(office, f"{path}/participants", json=body))
            ids[user] = next(
                p["participant_id"] for p in registered["participants"] if p["user_id"] == user
            )
        first, one, two, three = (ids[u] for u in staff)

        # kill 1: the place's holder and the last on the waiting list cancel at once
        await _cancel_killing_worker(fault_stack, office, path, [first, three])
        # kill 2: the one who moved up cancels in turn
        await _cancel_killing_worker(fault_stack, office, path, [one])
        got = _ok(await office.get(path))

    events = await stored_events(fault_stack.settings.nats_url, "wir.coordination.>")
    expected = [
        "fachtag_planned",
        "fachtag_invitations_sent",
        "fachtag_registration_opened",
        "participant_registered",
        *["participant_waitlisted"] * 3,
        *["participant_cancelled"] * 3,
        *["participant_moved_up"] * 2,
    ]
    mine = flows.exactly_once(events, day["id"], expected)
    moved = [p for p in (e.payload() for e in mine) if isinstance(p, ParticipantMovedUp)]
    # each freed place went to the next on the waiting list, once
    assert [(m.participant_id, m.freed_by) for m in moved] == [(one, first), (two, one)]

    # the read model (GET the day) says the same
    status = {p["participant_id"]: p["status"] for p in got["participants"]}
    assert status == {first: "cancelled", one: "cancelled", two: "registered", three: "cancelled"}
    assert (got["registered"], got["waitlisted"]) == (1, 0)
    assert sorted(h["seq"] for h in got["history"]) == list(range(1, len(expected) + 1))
    fault_stack.check_alive()


# --- 2. NATS away while measures change: the outbox relays every event once, in order -----


async def _measure(office: httpx.AsyncClient, institution_id: str) -> str:
    body = {
        "institution_id": institution_id,
        "kind": "staff_training",
        "title": "Schulung",
        "goal": "Alle geschult",
    }
    return str(_ok(await office.post("/measures", json=body), 201)["id"])


async def _changes_during_outage(office: httpx.AsyncClient, measure_id: str) -> None:
    """Begun, then its due date moved and completed in one change (two events, one commit)."""
    path = f"/measures/{measure_id}"
    started = _ok(await office.patch(path, json={"status": "in_progress"}))
    assert started["status"] == "in_progress"
    ended = _ok(await office.patch(path, json={"due_on": "2099-06-30", "status": "completed"}))
    assert ended["status"] == "completed"


async def test_nats_down_measure_events_arrive_once_in_order(fault_stack: FaultStack) -> None:
    institution = f"inst-{uuid.uuid4().hex[:8]}"
    async with _office(fault_stack) as office:
        before = [await _measure(office, institution) for _ in range(3)]

        fault_stack.nats.stop()
        try:
            loop = asyncio.get_running_loop()
            started = loop.time()
            # the API answers while NATS is away: each change is committed with its events
            await asyncio.gather(*(_changes_during_outage(office, m) for m in before))
            during = await _measure(office, institution)
            await _changes_during_outage(office, during)
            assert loop.time() - started < 60, "the measures' API waited on NATS"
            stored = _ok(await office.get("/measures", params={"institution_id": institution}))
            assert {m["status"] for m in stored["items"]} == {"completed"}
            await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (loop.time() - started)))
        finally:
            await fault_stack.restart(fault_stack.nats)

    measures = [*before, during]
    expected = [
        "measure_recorded",
        "measure_status_changed",
        "measure_plan_changed",
        "measure_ended",
    ]

    async def relayed() -> list[CloudEvent] | None:
        events = await stored_events(fault_stack.settings.nats_url, "wir.coordination.>")
        arrived = all(len(_of(events, m)) >= len(expected) for m in measures)
        return events if arrived else None

    events = await eventually(relayed, timeout=30, interval=1.0)
    for measure_id in measures:
        flows.exactly_once(events, measure_id, expected)
        in_stream = _of(events, measure_id)
        # in order per measure: the stream holds them as their seq numbers go
        assert [e.payload().seq for e in in_stream] == [1, 2, 3, 4], [e.type for e in in_stream]
        assert [e.type.rsplit(".", 1)[1] for e in in_stream] == expected
    fault_stack.check_alive()


# --- 3. the coordination service killed while items and meetings are created -------------


def _creations(gid: str) -> list[tuple[str, dict[str, Any], str]]:
    """(path, body, Idempotency-Key) of four action items and three meetings."""
    ahead = datetime.now(UTC) + timedelta(days=60)  # no reminder falls due during the test
    items = [
        {
            "title": f"Aufgabe {n}",
            "owner": {"kind": "staff", "id": OFFICE},
            "due_date": ahead.date().isoformat(),
        }
        for n in range(4)
    ]
    meetings = [
        {"starts_at": (ahead + timedelta(days=n)).isoformat(), "place": f"Raum {n}"}
        for n in range(3)
    ]
    return [
        *((f"/groups/{gid}/action-items", body, uuid.uuid4().hex) for body in items),
        *((f"/groups/{gid}/meetings", body, uuid.uuid4().hex) for body in meetings),
    ]


async def _accepted_updates(fault_stack: FaultStack, gid: str) -> Counter[str]:
    """The group's workflow history: how often each update id was accepted."""
    handle = fault_stack.temporal_client.get_workflow_handle(coordination.workflow_id(gid))
    history = await handle.fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return Counter(
        e.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for e in history.events
        if e.event_type == accepted
    )


async def test_service_killed_while_items_and_meetings_are_created(
    fault_stack: FaultStack,
) -> None:
    async with _office(fault_stack) as office:
        group = _ok(await _post(office, "/groups", json={"name": "AG Fachkräfte"}), 201)
        gid = str(group["id"])
        creations = _creations(gid)

        async def create(n: int, path: str, body: dict[str, Any], key: str) -> httpx.Response:
            await asyncio.sleep(0.08 * n)  # staggered: the kill finds each at another step
            return await _post(office, path, json=body, key=key)

        creating = asyncio.gather(*(create(n, *c) for n, c in enumerate(creations)))
        await asyncio.sleep(0.3)
        fault_stack.coordination.kill()  # requests in flight lose their connection
        await asyncio.sleep(0.5)
        await fault_stack.restart(fault_stack.coordination)
        first = [_ok(r, 201) for r in await creating]
        # the same requests once more: the objects made first, nothing new
        again = [_ok(await _post(office, p, json=b, key=k), 201) for p, b, k in creations]
        assert [r["id"] for r in again] == [r["id"] for r in first]
        assert len({r["id"] for r in first}) == len(creations)

        items = _ok(await office.get(f"/groups/{gid}/action-items", params={"limit": 50}))
        meetings = _ok(await office.get(f"/groups/{gid}/meetings", params={"limit": 50}))

        async def projected() -> dict[str, Any] | None:
            # group_formed comes from the run, not a command: through the consumer only
            page = _ok(await office.get(f"/groups/{gid}/history", params={"limit": 50}))
            return page if page["total"] >= 1 + len(creations) else None

        history = await eventually(projected, timeout=30)
        details = [_ok(await office.get(f"/groups/{gid}/meetings/{m['id']}")) for m in first[4:]]

    # one object per request, each with the text its request carried
    assert sorted(i["title"] for i in items["items"]) == [f"Aufgabe {n}" for n in range(4)]
    assert sorted(m["place"] for m in details) == [f"Raum {n}" for n in range(3)]
    assert meetings["total"] == 3
    # the workflow history holds each creation once, under its key's update id
    accepted = await _accepted_updates(fault_stack, gid)
    assert len(accepted) == len(creations) and set(accepted.values()) == {1}, accepted
    # the stream and the read model's history: each fact once
    events = await stored_events(fault_stack.settings.nats_url, "wir.coordination.>")
    expected = ["group_formed", *["action_item_added"] * 4, *["meeting_scheduled"] * 3]
    flows.exactly_once(events, gid, expected)
    assert sorted(h["seq"] for h in history["items"]) == list(range(1, len(expected) + 1))
    fault_stack.check_alive()


async def test_registration_repeated_after_the_update_keeps_who_registered(
    fault_stack: FaultStack,
) -> None:
    """The service died after the workflow had registered the participant and before its
    own commit (played here by sending that first attempt's update straight to Temporal):
    the repeated request gets the first attempt's participant and must store who it is."""
    async with _office(fault_stack) as office:
        day = await plan_open_fachtag(office, capacity=1, starts_in=timedelta(hours=2))
        key, user = uuid.uuid4().hex, "half.done"
        first_attempt = RegisterCommand(
            actor=OFFICE, participant_id=str(uuid.uuid4()), kind=ParticipantKind.staff, ref=user
        )
        await send_update(
            client=fault_stack.temporal_client,
            workflow_id=fachtag_contract.workflow_id(day["id"]),
            update=FachtagUpdates.register,
            command=first_attempt,
            actor=OFFICE,
            idempotency_key=key,
        )
        body = {"kind": "staff", "user_id": user}
        repeated = _ok(
            await _post(office, f"/fachtage/{day['id']}/participants", json=body, key=key)
        )

    (participant,) = repeated["participants"]
    assert participant["participant_id"] == first_attempt.participant_id
    assert participant["user_id"] == user, participant
    fault_stack.check_alive()
