"""RefugeeCaseWorkflow: the follow-up period, the reopen window and the end after the
retention period on the time-skipping server (more deadlines: test_refugee_case_deadlines)."""

from __future__ import annotations

from datetime import timedelta

from shared.contracts import cases
from shared.contracts.cases import (
    AssessCommand,
    CaseStage,
    CloseCommand,
    ClosureReason,
    FollowUpCommand,
    PlaceCommand,
    PlacementType,
    RefugeeCaseQueries,
    RefugeeCaseState,
    RefugeeCaseUpdates,
    ReopenCommand,
)
from tests.workflows.builders import case_input
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update


def _types(harness: Harness, case_id: str) -> list[str]:
    """The case's event types in the order of their sequence numbers (the opening event's
    activity may finish after the first command's)."""
    events = sorted(
        (e for e in harness.published.events if e.subject == case_id),
        key=lambda e: int(e.data["seq"]),
    )
    return [e.type.rsplit(".", 1)[1] for e in events]


async def _placed_case(harness: Harness, retention_days: int = 1095, **kwargs: int) -> str:
    workflow_input = case_input(**kwargs).model_copy(update={"retention_days": retention_days})
    workflow_id = cases.workflow_id(workflow_input.case_id)
    await harness.env.client.start_workflow(
        cases.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    handle = harness.env.client.get_workflow_handle(workflow_id)
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="anna.cm", need_count=3))
    placed = await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="anna.cm", placement_type=PlacementType.vocational_training),
    )
    assert placed.state.stage is CaseStage.placed
    return workflow_input.case_id


async def test_follow_up_falls_due_after_the_period(harness: Harness) -> None:
    case_id = await _placed_case(harness, follow_up_days=30)
    handle = harness.env.client.get_workflow_handle(
        cases.workflow_id(case_id), result_type=RefugeeCaseState
    )
    await harness.env.sleep(timedelta(days=29))
    assert "follow_up_due" not in _types(harness, case_id)
    await harness.env.sleep(timedelta(days=2))
    assert _types(harness, case_id)[-1] == "follow_up_due"
    state = await query(handle, RefugeeCaseQueries.state)
    assert state.stage is CaseStage.follow_up

    await update(
        handle,
        RefugeeCaseUpdates.record_follow_up,
        FollowUpCommand(actor="anna.cm", still_placed=True),
    )
    await update(
        handle, RefugeeCaseUpdates.close, CloseCommand(actor="anna.cm", reason=ClosureReason.placed)
    )
    assert _types(harness, case_id) == [
        "opened",
        "assessed",
        "placed",
        "follow_up_due",
        "follow_up_recorded",
        "closed",
    ]


async def test_closed_case_reopens_within_window_and_ends_after_retention(
    harness: Harness,
) -> None:
    case_id = await _placed_case(
        harness, follow_up_days=30, reopen_window_days=90, retention_days=120
    )
    handle = harness.env.client.get_workflow_handle(
        cases.workflow_id(case_id), result_type=RefugeeCaseState
    )
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="anna.cm", reason=ClosureReason.moved_away),
    )
    await harness.env.sleep(timedelta(days=60))
    reopened = await update(handle, RefugeeCaseUpdates.reopen, ReopenCommand(actor="anna.cm"))
    assert reopened.state.stage is CaseStage.in_progress
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="anna.cm", reason=ClosureReason.no_contact),
    )
    await harness.env.sleep(timedelta(days=91))
    state = await query(handle, RefugeeCaseQueries.state)
    assert not state.erased
    await harness.env.sleep(timedelta(days=30))
    final = await handle.result()
    assert final.stage is CaseStage.closed and final.erased
    assert final.closure_reason is ClosureReason.no_contact
    # the placement's follow-up never fell due: the case was closed before
    assert "follow_up_due" not in _types(harness, case_id)
