"""Cancelling a Fachtag on the time-skipping server: everyone registered or waiting gets
their own event, the automatic closing never fires, and the day takes no more commands."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from shared.contracts.coordination_activities import (
    AttendanceCommand,
    CancelFachtagCommand,
    DocumentCommand,
    FachtagStage,
    FachtagUpdates,
    ParticipantKind,
    ParticipantStatus,
)
from shared.problems import STAGE_CONFLICT
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
from tests.workflows.handles import update


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def harness() -> AsyncIterator[Harness]:
    async with own_harness("fachtag-cancel") as own:
        yield own


def _published(harness: Harness, fachtag_id: str) -> list[dict[str, Any]]:
    return [e.data for e in harness.published.events if e.subject == fachtag_id]


async def test_cancelling_tells_everyone_and_stops_the_closing(harness: Harness) -> None:
    workflow_input = fachtag_input(await harness.env.get_current_time(), capacity=2)
    fachtag_id = workflow_input.fachtag_id
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1")
    await register(handle, "p2", ParticipantKind.refugee, by="anna.cm")
    await register(handle, "p3", ParticipantKind.staff)  # waiting list
    await register(handle, "p4")  # waiting list

    result = await update(
        handle, FachtagUpdates.cancel_fachtag, CancelFachtagCommand(actor=COORDINATOR)
    )
    [day, *lapsed] = [e.data for e in result.events]
    assert result.events[0].type == "wir.coordination.fachtag_cancelled"
    assert (day["previous_stage"], day["stage"]) == ("registration_open", "cancelled")
    assert (day["registered_count"], day["waitlisted_count"]) == (2, 2)
    assert day["invited_actor_ids"] == ["a1"]
    assert {e.type for e in result.events[1:]} == {"wir.coordination.participant_fachtag_cancelled"}
    told = {e["participant_id"]: e for e in lapsed}
    assert [e["participant_id"] for e in lapsed] == ["p1", "p2", "p3", "p4"]
    assert (told["p1"]["contact_id"], told["p1"]["case_id"]) == ("r-p1", None)
    assert (told["p2"]["case_id"], told["p2"]["registered_by"]) == ("r-p2", "anna.cm")
    assert (told["p3"]["user_id"], told["p3"]["was_waitlisted"]) == ("r-p3", True)
    assert told["p1"]["was_waitlisted"] is False and told["p4"]["was_waitlisted"] is True

    final = await handle.result()  # the run ended with the cancellation
    assert final.stage is FachtagStage.cancelled and final.cancelled_at is not None
    assert {p.status for p in final.participants} == {ParticipantStatus.cancelled}

    published = len(_published(harness, fachtag_id))
    assert published == 3 + 4 + 1 + 4  # planned, invited, opened; registrations; cancelled
    await harness.env.sleep(60 * DAY)  # past the closing time and the day itself
    assert len(_published(harness, fachtag_id)) == published  # no closing, no reminder


async def test_a_day_is_cancelled_once_and_not_once_held(harness: Harness) -> None:
    workflow_input = fachtag_input(await harness.env.get_current_time())
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    cancelled = await update(
        handle, FachtagUpdates.cancel_fachtag, CancelFachtagCommand(actor=COORDINATOR)
    )
    assert cancelled.events[0].data["previous_stage"] == "planned"
    assert len(cancelled.events) == 1  # nobody was registered
    assert (await handle.result()).stage is FachtagStage.cancelled

    held_input = fachtag_input(await harness.env.get_current_time())
    held = await start(harness.env.client, harness.task_queue, held_input)
    await open_registration(held)
    await register(held, "p1")
    await harness.env.sleep(28 * DAY)
    await update(
        held,
        FachtagUpdates.record_attendance,
        AttendanceCommand(actor=COORDINATOR, attended=["p1"]),
    )
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await update(held, FachtagUpdates.cancel_fachtag, CancelFachtagCommand(actor=COORDINATOR))
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == STAGE_CONFLICT
    assert "stage held" in cause.message
    await update(held, FachtagUpdates.document, DocumentCommand(actor=COORDINATOR))
    assert (await held.result()).stage is FachtagStage.documented


async def test_a_day_closed_for_registration_is_cancelled_with_its_waiting_list(
    harness: Harness,
) -> None:
    workflow_input = fachtag_input(await harness.env.get_current_time(), capacity=1)
    handle = await start(harness.env.client, harness.task_queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1", ParticipantKind.refugee, by="anna.cm")
    await register(handle, "p2", ParticipantKind.refugee, by="bert.cm")
    await harness.env.sleep(22 * DAY)  # closed by itself a week before the day
    result = await update(
        handle, FachtagUpdates.cancel_fachtag, CancelFachtagCommand(actor=COORDINATOR)
    )
    day, first, second = (e.data for e in result.events)
    assert (day["previous_stage"], day["registered_count"], day["waitlisted_count"]) == (
        "registration_closed",
        1,
        1,
    )
    # one event per case: each case manager hears of their own, no event names two cases
    assert [(e["case_id"], e["registered_by"]) for e in (first, second)] == [
        ("r-p1", "anna.cm"),
        ("r-p2", "bert.cm"),
    ]
    assert (await handle.result()).stage is FachtagStage.cancelled
