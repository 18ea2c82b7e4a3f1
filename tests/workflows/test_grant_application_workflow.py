"""GrantApplicationWorkflow across its months-long deadlines on the time-skipping server.

Rejected updates are tested against the dev server (tests/integration): the time-skipping
server does not report validator rejections faithfully.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared import grants
from shared.eligibility import ApplicantType
from shared.grants import (
    AcceptReportCommand,
    ApplicationStage,
    CommandResult,
    DecideCommand,
    Decision,
    GrantApplicationState,
    SubmitReportCommand,
)
from tests.servers import eventually
from tests.workflows.builders import grant_input
from tests.workflows.conftest import Harness


async def _start_and_approve(harness: Harness, **kwargs: object) -> tuple[str, CommandResult]:
    workflow_input = grant_input(**kwargs)  # type: ignore[arg-type]
    workflow_id = grants.workflow_id(workflow_input.application_id)
    await harness.env.client.start_workflow(
        grants.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    handle = harness.env.client.get_workflow_handle(workflow_id)

    async def in_review() -> bool:
        state = await handle.query("state", result_type=GrantApplicationState)
        return state.stage is ApplicationStage.in_review

    await eventually(in_review)
    result = await handle.execute_update(
        "decide",
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
        result_type=CommandResult,
    )
    return workflow_input.application_id, result


async def test_missed_final_report_is_reminded_then_overdue(harness: Harness) -> None:
    application_id, result = await _start_and_approve(harness, report_days=548, reminder_days=28)
    assert result.state.stage is ApplicationStage.approved
    due = result.state.final_report_due_at
    assert due is not None
    handle = harness.env.client.get_workflow_handle(
        grants.workflow_id(application_id), result_type=GrantApplicationState
    )

    await harness.env.sleep(timedelta(days=519))  # one day before the reminder
    assert "report_reminder" not in harness.published.types(application_id)
    await harness.env.sleep(timedelta(days=2))
    assert harness.published.types(application_id)[-1] == "report_reminder"
    await harness.env.sleep(timedelta(days=28))  # past the deadline
    assert harness.published.types(application_id)[-1] == "report_overdue"

    state = await handle.query("state", result_type=GrantApplicationState)
    assert state.report_overdue and state.report_reminded
    late = await handle.execute_update(
        "submit_report",
        SubmitReportCommand(actor="verein", spent_amount=Decimal("39000")),
        result_type=CommandResult,
    )
    assert late.events[0].data["overdue"] is True
    await handle.execute_update(
        "accept_report", AcceptReportCommand(actor="petra"), result_type=CommandResult
    )
    final = await handle.result()
    assert final.stage is ApplicationStage.closed
    assert harness.published.types(application_id) == [
        "submitted",
        "review_started",
        "approved",
        "report_reminder",
        "report_overdue",
        "report_submitted",
        "closed",
    ]


async def test_report_in_time_gets_no_reminder(harness: Harness) -> None:
    application_id, _ = await _start_and_approve(harness, report_days=180, reminder_days=28)
    handle = harness.env.client.get_workflow_handle(
        grants.workflow_id(application_id), result_type=GrantApplicationState
    )
    await harness.env.sleep(timedelta(days=100))
    await handle.execute_update(
        "submit_report",
        SubmitReportCommand(actor="verein", spent_amount=Decimal("40000")),
        result_type=CommandResult,
    )
    await harness.env.sleep(timedelta(days=200))
    assert "report_reminder" not in harness.published.types(application_id)
    assert "report_overdue" not in harness.published.types(application_id)


async def test_ineligible_application_ends_with_reasons(harness: Harness) -> None:
    workflow_input = grant_input(
        priority="diversity_strategy", applicant_type=ApplicantType.municipality, population=50_001
    )
    handle = await harness.env.client.start_workflow(
        grants.WORKFLOW_NAME,
        workflow_input,
        id=grants.workflow_id(workflow_input.application_id),
        task_queue=harness.task_queue,
        result_type=GrantApplicationState,
    )
    final = await handle.result()
    assert final.stage is ApplicationStage.ineligible
    assert final.ineligible_reasons == ["population 50001 is above the maximum of 50000"]
    ineligible = harness.published.events[-1]
    assert ineligible.type == "wir.application.ineligible"
    assert ineligible.data["reasons"] == final.ineligible_reasons
