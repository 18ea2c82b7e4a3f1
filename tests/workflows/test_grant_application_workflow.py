"""GrantApplicationWorkflow across its real periods on the time-skipping server.

Rejected updates are tested against the dev server (tests/integration): the time-skipping
server does not report validator rejections faithfully.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from temporalio.client import WorkflowHandle

from shared.contracts import grants
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import (
    AppealCommand,
    ApplicationStage,
    AssignReviewerCommand,
    ChangeKind,
    Deadlines,
    DecideChangeCommand,
    DecideCommand,
    DecidePaymentCommand,
    Decision,
    GrantApplicationInput,
    GrantApplicationQueries,
    GrantApplicationState,
    GrantApplicationUpdates,
    RecordRepaymentCommand,
    ReportOutcome,
    RequestChangeCommand,
    RequestPaymentCommand,
    ReviewCommand,
    ReviewReportCommand,
    SubmitReportCommand,
)
from shared.contracts.report_dates import add_months
from tests.servers import eventually
from tests.workflows.builders import grant_input
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update

Handle = WorkflowHandle[Any, GrantApplicationState]


async def _state(handle: Handle) -> GrantApplicationState:
    state: GrantApplicationState = await query(handle, GrantApplicationQueries.state)
    return state


async def _funding_started(harness: Harness, application_id: str) -> None:
    """Wait until the funding run has taken its first workflow task. A query that reaches
    the time-skipping server while the run continues-as-new, before the new run's first
    task, can stay unanswered and keep time skipping locked; so no query before that."""

    async def started() -> bool:
        return "funding_started" in harness.published.types(application_id)

    await eventually(started)
    client = harness.env.client
    workflow_id = grants.workflow_id(application_id)

    async def new_run_ready() -> bool:
        latest = await client.get_workflow_handle(workflow_id).describe()
        history = await client.get_workflow_handle(
            workflow_id, run_id=latest.run_id
        ).fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        return bool(started.continued_execution_run_id) and any(
            e.HasField("workflow_task_completed_event_attributes") for e in history.events
        )

    await eventually(new_run_ready)


async def _until_stage(handle: Handle, stage: ApplicationStage) -> None:
    async def reached() -> bool:
        return (await _state(handle)).stage is stage

    await eventually(reached)


async def _reviewed(harness: Harness, workflow_input: GrantApplicationInput) -> Handle:
    workflow_id = grants.workflow_id(workflow_input.application_id)
    await harness.env.client.start_workflow(
        grants.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    handle: Handle = harness.env.client.get_workflow_handle(
        workflow_id, result_type=GrantApplicationState
    )
    await _until_stage(handle, ApplicationStage.in_review)
    await update(
        handle,
        GrantApplicationUpdates.assign_reviewer,
        AssignReviewerCommand(actor="petra", reviewer="rita"),
    )
    await update(
        handle,
        GrantApplicationUpdates.record_review,
        ReviewCommand(actor="rita", total_score=80, max_score=100, recommendation=Decision.approve),
    )
    return handle


async def _approved_and_final(harness: Harness, **kwargs: Any) -> tuple[Handle, str]:
    today = (await harness.env.get_current_time()).date()
    workflow_input = grant_input(today=today, **kwargs)
    handle = await _reviewed(harness, workflow_input)
    approved = await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
    )
    assert approved.state.stage is ApplicationStage.approved
    await update(handle, GrantApplicationUpdates.waive_appeal, AppealCommand(actor="verein"))
    await _funding_started(harness, workflow_input.application_id)
    return handle, workflow_input.application_id


async def test_appeal_window_makes_the_decision_final_then_funding_starts(
    harness: Harness,
) -> None:
    workflow_input = grant_input()
    handle = await _reviewed(harness, workflow_input)
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
    )
    await harness.env.sleep(timedelta(days=30))
    assert not (await _state(handle)).decision_final
    await harness.env.sleep(timedelta(days=2))
    await _funding_started(harness, workflow_input.application_id)
    types = harness.published.types(workflow_input.application_id)
    assert types[-2:] == ["decision_final", "funding_started"]


async def test_appeal_inside_the_window_reopens_the_review(harness: Harness) -> None:
    workflow_input = grant_input()
    handle = await _reviewed(harness, workflow_input)
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.reject, actor="jonas", reason="budget"),
    )
    await harness.env.sleep(timedelta(days=20))
    appealed = await update(handle, GrantApplicationUpdates.appeal, AppealCommand(actor="verein"))
    assert appealed.state.stage is ApplicationStage.in_review
    await update(
        handle,
        GrantApplicationUpdates.record_review,
        ReviewCommand(actor="rita", total_score=90, max_score=100, recommendation=Decision.approve),
    )
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("30000")),
    )
    await _funding_started(harness, workflow_input.application_id)
    assert harness.published.types(workflow_input.application_id) == [
        "submitted",
        "review_started",
        "reviewer_assigned",
        "reviewed",
        "rejected",
        "appeal_lodged",
        "reviewed",
        "approved",
        "decision_final",
        "funding_started",
    ]


async def _sleep_until(harness: Harness, moment: datetime) -> None:
    await harness.env.sleep(moment - await harness.env.get_current_time())


async def test_missed_final_report_is_reminded_then_overdue_then_escalated(
    harness: Harness,
) -> None:
    handle, application_id = await _approved_and_final(harness, period_months=12)
    state = await _state(handle)
    final = state.final_report()
    assert final is not None
    assert final.due.date() == add_months(state.funding_period_end, 6)
    assert [r.number for r in state.reports] == [0]  # a one-year period owes no interim report

    def types() -> list[str]:
        return harness.published.types(application_id)

    await _sleep_until(harness, final.due - timedelta(days=29))
    assert "report_reminder" not in types()
    await _sleep_until(harness, final.due - timedelta(days=27))
    assert types()[-1] == "report_reminder"
    await _sleep_until(harness, final.due - timedelta(days=6))
    assert types().count("report_reminder") == 2  # 28 and 7 days before
    await _sleep_until(harness, final.due + timedelta(days=1))
    assert types()[-1] == "report_overdue"
    overdue = harness.published.events[-1]
    assert overdue.data["new_due_at"] is not None
    await _sleep_until(harness, final.due + timedelta(days=29))  # past the extra 28 days
    assert types()[-1] == "report_escalated"

    late = await update(
        handle,
        GrantApplicationUpdates.submit_report,
        SubmitReportCommand(actor="verein", spent_amount=Decimal("0")),
    )
    assert late.events[0].data["overdue"] is True
    await update(
        handle,
        GrantApplicationUpdates.review_report,
        ReviewReportCommand(actor="petra", outcome=ReportOutcome.accept),
    )
    assert (await handle.result()).stage is ApplicationStage.closed


async def test_interim_reports_fall_due_each_funding_year(harness: Harness) -> None:
    handle, application_id = await _approved_and_final(harness, period_months=36)
    state = await _state(handle)
    assert [r.number for r in state.reports] == [1, 2, 0]
    first = state.reports[0]
    assert first.due.date() == add_months(add_months(state.funding_period_start, 12), 3)
    await _sleep_until(harness, first.due - timedelta(days=27))
    assert harness.published.types(application_id)[-1] == "interim_report_reminder"
    await update(
        handle, GrantApplicationUpdates.submit_report, SubmitReportCommand(actor="verein", number=1)
    )
    await _sleep_until(harness, first.due + timedelta(days=2))
    assert "interim_report_overdue" not in harness.published.types(application_id)


async def test_approved_extension_moves_the_report_deadline(harness: Harness) -> None:
    handle, application_id = await _approved_and_final(harness, period_months=12)
    state = await _state(handle)
    old_due = state.final_report()
    assert old_due is not None
    new_end = add_months(state.funding_period_end, 6)
    await update(
        handle,
        GrantApplicationUpdates.request_change,
        RequestChangeCommand(
            actor="verein", change_id="c1", kind=ChangeKind.extension, new_period_end=new_end
        ),
    )
    decided = await update(
        handle,
        GrantApplicationUpdates.decide_change,
        DecideChangeCommand(actor="petra", change_id="c1", approve=True),
    )
    new_due = decided.state.final_report()
    assert new_due is not None
    assert new_due.due.date() == add_months(new_end, 6)
    await _sleep_until(harness, old_due.due + timedelta(days=2))
    assert "report_overdue" not in harness.published.types(application_id)
    await _sleep_until(harness, new_due.due + timedelta(days=1))
    assert harness.published.types(application_id)[-1] == "report_overdue"


async def test_reclaim_is_repaid_then_closed(harness: Harness) -> None:
    handle, application_id = await _approved_and_final(harness, period_months=12)
    payment = str(uuid.uuid4())
    await update(
        handle,
        GrantApplicationUpdates.request_payment,
        RequestPaymentCommand(actor="verein", payment_id=payment, amount=Decimal("25000")),
    )
    paid = await update(
        handle,
        GrantApplicationUpdates.decide_payment,
        DecidePaymentCommand(actor="petra", payment_id=payment, approve=True),
    )
    assert paid.state.paid() == Decimal("25000")
    await update(
        handle,
        GrantApplicationUpdates.submit_report,
        SubmitReportCommand(actor="verein", spent_amount=Decimal("21000")),
    )
    await update(
        handle,
        GrantApplicationUpdates.review_report,
        ReviewReportCommand(
            actor="petra", outcome=ReportOutcome.reclaim, reclaim_amount=Decimal("4000")
        ),
    )
    part = await update(
        handle,
        GrantApplicationUpdates.record_repayment,
        RecordRepaymentCommand(actor="kasse", amount=Decimal("1500")),
    )
    assert part.state.stage is ApplicationStage.reclaim
    rest = await update(
        handle,
        GrantApplicationUpdates.record_repayment,
        RecordRepaymentCommand(actor="kasse", amount=Decimal("2500")),
    )
    assert rest.state.stage is ApplicationStage.closed
    closed = rest.events[-1]
    assert closed.type == "wir.application.closed"
    assert closed.data["reclaimed_amount"] == "4000"
    assert harness.published.types(application_id)[-7:] == [
        "payment_requested",
        "payment_approved",
        "report_submitted",
        "reclaim_set",
        "repayment_recorded",
        "repayment_recorded",
        "closed",
    ]


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
    assert harness.published.types(workflow_input.application_id) == ["submitted", "ineligible"]


async def test_review_past_the_rounds_review_period_is_flagged_once(harness: Harness) -> None:
    today = (await harness.env.get_current_time()).date()
    workflow_input = grant_input(today=today, deadlines=Deadlines(review_sla_days=60))
    handle = await _reviewed(harness, workflow_input)
    await harness.env.sleep(timedelta(days=59))
    assert "review_overdue" not in harness.published.types(workflow_input.application_id)
    await harness.env.sleep(timedelta(days=2))
    assert harness.published.types(workflow_input.application_id)[-1] == "review_overdue"
    await harness.env.sleep(timedelta(days=60))
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("1000")),
    )
    assert harness.published.types(workflow_input.application_id).count("review_overdue") == 1
