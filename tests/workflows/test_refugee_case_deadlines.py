"""RefugeeCaseWorkflow's deadlines on the time-skipping server: referral reminders and
escalations, the three follow-up check-ins, inactivity reminders, erasure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from temporalio.client import WorkflowHandle

from shared.contracts import cases
from shared.contracts.cases import (
    AssessCommand,
    CaseStage,
    CloseCommand,
    ClosureReason,
    FollowUpCommand,
    PlaceCommand,
    PlacementType,
    ReferCommand,
    ReferralResponseCommand,
    RefugeeCaseQueries,
    RefugeeCaseState,
    RefugeeCaseUpdates,
    TransferCommand,
)
from tests.workflows.builders import case_input
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


async def _start(harness: Harness, **periods: Any) -> tuple[str, WorkflowHandle[Any, Any]]:
    workflow_input = case_input().model_copy(update=periods)
    workflow_id = cases.workflow_id(workflow_input.case_id)
    await harness.env.client.start_workflow(
        cases.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    handle = harness.env.client.get_workflow_handle(workflow_id, result_type=RefugeeCaseState)
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="anna.cm", need_count=2))
    return workflow_input.case_id, handle


def _events(harness: Harness, case_id: str, kind: str) -> list[dict[str, Any]]:
    return [
        e.data
        for e in harness.published.events
        if e.subject == case_id and e.type == f"wir.case.{kind}"
    ]


async def test_unanswered_referral_reminds_then_escalates(harness: Harness) -> None:
    case_id, handle = await _start(
        harness, referral_reminder_days=7, referral_escalation_days=5, inactivity_days=400
    )
    waiting, answered = str(uuid.uuid4()), str(uuid.uuid4())
    await update(
        handle,
        RefugeeCaseUpdates.refer,
        ReferCommand(actor="anna.cm", referral_id=waiting, offer_id="a"),
    )
    await update(
        handle,
        RefugeeCaseUpdates.refer,
        ReferCommand(actor="anna.cm", referral_id=answered, offer_id="b"),
    )

    await harness.env.sleep(6 * DAY)
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(actor="vhs", referral_id=answered, accepted=True),
    )
    await harness.env.sleep(DAY - timedelta(minutes=5))
    assert _events(harness, case_id, "referral_reminder_due") == []

    await harness.env.sleep(timedelta(minutes=10))
    reminders = _events(harness, case_id, "referral_reminder_due")
    assert [r["referral_id"] for r in reminders] == [waiting]
    assert reminders[0]["days_open"] == 7 and reminders[0]["case_manager"] == "anna.cm"

    await harness.env.sleep(4 * DAY)
    assert _events(harness, case_id, "referral_escalated") == []
    await harness.env.sleep(2 * DAY)
    escalations = _events(harness, case_id, "referral_escalated")
    assert [e["referral_id"] for e in escalations] == [waiting]
    assert escalations[0]["days_open"] == 12

    # nothing more for either referral, however long it stays open
    await harness.env.sleep(30 * DAY)
    assert len(_events(harness, case_id, "referral_reminder_due")) == 1
    assert len(_events(harness, case_id, "referral_escalated")) == 1
    await handle.terminate()


async def test_referral_answered_in_time_never_reminds(harness: Harness) -> None:
    case_id, handle = await _start(harness, referral_reminder_days=7, inactivity_days=400)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await update(
        handle,
        RefugeeCaseUpdates.refer,
        ReferCommand(actor="anna.cm", referral_id=first, offer_id="a"),
    )
    await harness.env.sleep(3 * DAY)
    await update(
        handle,
        RefugeeCaseUpdates.refer,
        ReferCommand(actor="anna.cm", referral_id=second, offer_id="b"),
    )
    await harness.env.sleep(3 * DAY)
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(actor="vhs", referral_id=first, accepted=True),
    )
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(
            actor="jc", referral_id=second, accepted=False, decline_reason="no_capacity"
        ),
    )
    await harness.env.sleep(30 * DAY)
    assert _events(harness, case_id, "referral_reminder_due") == []
    assert _events(harness, case_id, "referral_escalated") == []
    await handle.terminate()


async def test_placement_brings_three_follow_ups(harness: Harness) -> None:
    case_id, handle = await _start(
        harness, follow_up_schedule_days=[30, 91, 182], follow_up_days=30, inactivity_days=400
    )
    await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="anna.cm", placement_type=PlacementType.employment),
    )
    await harness.env.sleep(29 * DAY)
    assert _events(harness, case_id, "follow_up_due") == []
    await harness.env.sleep(2 * DAY)
    await update(
        handle,
        RefugeeCaseUpdates.record_follow_up,
        FollowUpCommand(actor="anna.cm", still_placed=True),
    )
    await harness.env.sleep(59 * DAY)  # day 90
    assert len(_events(harness, case_id, "follow_up_due")) == 1
    await harness.env.sleep(2 * DAY)
    await harness.env.sleep(89 * DAY)  # day 181
    assert len(_events(harness, case_id, "follow_up_due")) == 2
    await harness.env.sleep(2 * DAY)
    due = _events(harness, case_id, "follow_up_due")
    assert [d["number"] for d in due] == [1, 2, 3]
    assert due[0]["next_follow_up_due_at"] == due[1]["follow_up_due_at"]
    assert due[2]["next_follow_up_due_at"] is None
    assert all(d["stage"] == "follow_up" for d in due)
    state = await query(handle, RefugeeCaseQueries.state)
    assert state.stage is CaseStage.follow_up and state.follow_ups_due == 3
    await harness.env.sleep(30 * DAY)
    assert len(_events(harness, case_id, "follow_up_due")) == 3
    await handle.terminate()


async def test_first_check_in_falls_due_30_days_after_the_start(harness: Harness) -> None:
    case_id, handle = await _start(
        harness, follow_up_schedule_days=[30, 91, 182], follow_up_days=30, inactivity_days=400
    )
    recorded = await harness.env.get_current_time()
    start = (recorded + 60 * DAY).date()  # the internship begins two months later
    await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="anna.cm", placement_type=PlacementType.internship, start_date=start),
    )
    first_due = datetime.combine(start, time(), tzinfo=UTC) + 30 * DAY
    [placed] = _events(harness, case_id, "placed")
    assert datetime.fromisoformat(placed["follow_up_due_at"]) == first_due

    await harness.env.sleep(31 * DAY)  # 30 days after recording: nothing due yet
    assert _events(harness, case_id, "follow_up_due") == []
    await harness.env.sleep(first_due - await harness.env.get_current_time() - HOUR)
    assert _events(harness, case_id, "follow_up_due") == []
    await harness.env.sleep(2 * HOUR)
    [due] = _events(harness, case_id, "follow_up_due")
    assert datetime.fromisoformat(due["follow_up_due_at"]) == first_due
    next_due = datetime.combine(start, time(), tzinfo=UTC) + 91 * DAY
    assert datetime.fromisoformat(due["next_follow_up_due_at"]) == next_due
    await handle.terminate()


async def test_quiet_case_reminds_its_case_manager(harness: Harness) -> None:
    case_id, handle = await _start(harness, inactivity_days=20)
    await harness.env.sleep(19 * DAY)
    assert _events(harness, case_id, "inactive") == []
    await harness.env.sleep(2 * DAY)
    assert [e["days_inactive"] for e in _events(harness, case_id, "inactive")] == [20]
    # a transfer is activity: the new case manager is reminded 20 days after it
    await update(
        handle, RefugeeCaseUpdates.transfer, TransferCommand(actor="lead", case_manager="ben.cm")
    )
    await harness.env.sleep(19 * DAY)
    assert len(_events(harness, case_id, "inactive")) == 1
    await harness.env.sleep(2 * DAY)
    reminders = _events(harness, case_id, "inactive")
    assert len(reminders) == 2 and reminders[1]["case_manager"] == "ben.cm"
    transferred = _events(harness, case_id, "transferred")
    assert transferred[0]["previous_case_manager"] == "anna.cm"
    assert transferred[0]["case_manager"] == "ben.cm"
    await handle.terminate()


async def test_erasure_falls_due_after_the_retention_period(harness: Harness) -> None:
    case_id, handle = await _start(harness, retention_days=100, reopen_window_days=30)
    await update(
        handle, RefugeeCaseUpdates.close, CloseCommand(actor="anna.cm", reason=ClosureReason.placed)
    )
    await harness.env.sleep(99 * DAY)
    assert _events(harness, case_id, "erasure_due") == []
    await harness.env.sleep(2 * DAY)
    final = await handle.result()
    assert final.erased and final.stage is CaseStage.closed
    [erasure] = _events(harness, case_id, "erasure_due")
    assert erasure["reason"] == "retention_elapsed"


async def test_withdrawn_consent_erases_at_once(harness: Harness) -> None:
    case_id, handle = await _start(harness, retention_days=1000)
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="anna.cm", reason=ClosureReason.consent_withdrawn),
    )
    final = await handle.result()
    assert final.erased
    [erasure] = _events(harness, case_id, "erasure_due")
    assert erasure["reason"] == "consent_withdrawn"
