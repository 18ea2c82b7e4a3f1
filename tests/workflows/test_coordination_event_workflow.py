"""CoordinationEventWorkflow on the time-skipping server: the waiting list moving up on a
cancellation, registration closing at its time, the documentation reminded until done."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest_asyncio

from shared.contracts.coordination_activities import (
    AttendanceCommand,
    CancelCommand,
    DocumentCommand,
    FachtagQueries,
    FachtagStage,
    FachtagUpdates,
    ParticipantKind,
    ParticipantStatus,
)
from tests.workflows.conftest import Harness
from tests.workflows.fachtag_steps import (
    COORDINATOR,
    DAY,
    fachtag_input,
    open_registration,
    own_harness,
    register,
    start,
)
from tests.workflows.handles import query, update

HOUR = timedelta(hours=1)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def harness() -> AsyncIterator[Harness]:
    async with own_harness("fachtag") as own:
        yield own


def _events(harness: Harness, fachtag_id: str, kind: str) -> list[dict[str, Any]]:
    return [
        e.data
        for e in harness.published.events
        if e.subject == fachtag_id and e.type == f"wir.coordination.{kind}"
    ]


async def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list(harness: Harness) -> None:
    workflow_input = fachtag_input(await harness.env.get_current_time(), capacity=2)
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    await open_registration(handle)
    kinds = [
        await register(handle, "p1"),
        await register(handle, "p2", ParticipantKind.staff),
        await register(handle, "p3", ParticipantKind.refugee, by="anna.cm"),
        await register(handle, "p4"),
    ]
    assert kinds[2:] == ["wir.coordination.participant_waitlisted"] * 2
    result = await update(
        handle, FachtagUpdates.cancel, CancelCommand(actor=COORDINATOR, participant_id="p2")
    )
    assert [e.type for e in result.events] == [
        "wir.coordination.participant_cancelled",
        "wir.coordination.participant_moved_up",
    ]
    moved = result.events[1].data
    assert moved["participant_id"] == "p3" and moved["freed_by"] == "p2"
    assert moved["case_id"] == "r-p3" and moved["registered_by"] == "anna.cm"
    state = await query(handle, FachtagQueries.state)
    status = {p.participant_id: p.status for p in state.participants}
    assert status == {
        "p1": ParticipantStatus.registered,
        "p2": ParticipantStatus.cancelled,
        "p3": ParticipantStatus.registered,
        "p4": ParticipantStatus.waitlisted,
    }
    waitlisted = _events(harness, workflow_input.fachtag_id, "participant_waitlisted")
    assert [e["position"] for e in waitlisted] == [1, 2]


async def test_registration_closes_by_itself_at_its_closing_time(harness: Harness) -> None:
    now = await harness.env.get_current_time()
    workflow_input = fachtag_input(now, capacity=1)
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1")
    await register(handle, "p2")
    fachtag_id = workflow_input.fachtag_id

    await harness.env.sleep(21 * DAY - HOUR)  # an hour before
    assert (await query(handle, FachtagQueries.state)).stage is FachtagStage.registration_open
    assert _events(harness, fachtag_id, "fachtag_registration_closed") == []

    await harness.env.sleep(2 * HOUR)
    state = await query(handle, FachtagQueries.state)
    assert state.stage is FachtagStage.registration_closed
    [closed] = _events(harness, fachtag_id, "fachtag_registration_closed")
    assert closed["automatic"] is True and closed["actor"] is None
    assert (closed["registered_count"], closed["waitlisted_count"]) == (1, 1)


async def test_documentation_is_reminded_until_it_is_done(harness: Harness) -> None:
    now = await harness.env.get_current_time()
    workflow_input = fachtag_input(now, documentation_days=10, reminder_interval_days=5)
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1")
    await register(handle, "p2", ParticipantKind.refugee, by="anna.cm")
    await harness.env.sleep(28 * DAY)
    held = await update(
        handle,
        FachtagUpdates.record_attendance,
        AttendanceCommand(actor=COORDINATOR, attended=["p2"]),
    )
    assert [e.type.rsplit(".", 1)[1] for e in held.events] == [
        "participant_attended",
        "fachtag_held",
    ]
    assert held.events[-1].data["attended_by_kind"] == {"contact": 0, "staff": 0, "refugee": 1}
    fachtag_id = workflow_input.fachtag_id

    await harness.env.sleep(9 * DAY)
    assert _events(harness, fachtag_id, "fachtag_documentation_due") == []
    await harness.env.sleep(2 * DAY)  # day 11: the first reminder (due on day 10)
    await harness.env.sleep(10 * DAY)  # day 21: two more, on days 15 and 20
    reminders = _events(harness, fachtag_id, "fachtag_documentation_due")
    assert [r["reminder"] for r in reminders] == [1, 2, 3]

    done = await update(handle, FachtagUpdates.document, DocumentCommand(actor=COORDINATOR))
    assert done.events[0].data["reminders_sent"] == 3
    final = await handle.result()
    assert final.stage is FachtagStage.documented
    await harness.env.sleep(30 * DAY)
    assert len(_events(harness, fachtag_id, "fachtag_documentation_due")) == 3
