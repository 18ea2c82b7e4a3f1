"""Grant application scenarios whose histories the replay test keeps (record_histories)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from shared.contracts import grants
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import (
    AppealCommand,
    AssignReviewerCommand,
    DecideCommand,
    DecidePaymentCommand,
    Decision,
    GrantApplicationUpdates,
    RecordRepaymentCommand,
    ReportOutcome,
    RequestPaymentCommand,
    ResubmitCommand,
    ReviewCommand,
    ReviewReportCommand,
    SubmitReportCommand,
    WithdrawCommand,
)
from tests.workflows.builders import grant_input
from tests.workflows.handles import update

Save = Callable[[Client, str, "str | None", str], Awaitable[None]]


async def _review(client: Client, wid: str) -> None:
    handle = client.get_workflow_handle(wid)
    await asyncio.sleep(1)
    await update(
        handle,
        GrantApplicationUpdates.assign_reviewer,
        AssignReviewerCommand(actor="p", reviewer="r"),
    )
    await update(
        handle,
        GrantApplicationUpdates.record_review,
        ReviewCommand(actor="r", total_score=70, max_score=100, recommendation=Decision.approve),
    )


async def grant_scenarios(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Ineligible, withdrawn after a revision, rejected and final, funded with a reclaim."""
    client = env.client

    today = (await env.get_current_time()).date()
    ineligible = grant_input(
        priority="diversity_strategy", applicant_type=ApplicantType.district, today=today
    )
    wid = grants.workflow_id(ineligible.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, ineligible, id=wid, task_queue=queue)
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, "grant-ineligible")

    revised = grant_input(today=today)
    wid = grants.workflow_id(revised.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, revised, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.request_changes, actor="j", reason="x"),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.resubmit,
        ResubmitCommand(
            actor="a",
            requested_amount=Decimal("45000"),
            revision=2,
            funding_period_start=revised.funding_period_start,
            funding_period_end=revised.funding_period_end,
        ),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.withdraw,
        WithdrawCommand(actor="a", reason="cancelled"),
    )
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, "grant-withdrawn")

    rejected = grant_input(today=today)
    wid = grants.workflow_id(rejected.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, rejected, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.reject, actor="j", reason="x"),
    )
    await env.sleep(timedelta(days=32))
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, "grant-rejected-final")

    funded = grant_input(today=today, period_months=24)
    wid = grants.workflow_id(funded.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, funded, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="j", granted_amount=Decimal("40000")),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.waive_appeal,
        AppealCommand(actor="a"),
    )
    await asyncio.sleep(1)
    payment = str(uuid.uuid4())
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.request_payment,
        RequestPaymentCommand(actor="a", payment_id=payment, amount=Decimal("30000")),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.decide_payment,
        DecidePaymentCommand(actor="p", payment_id=payment, approve=True),
    )
    await env.sleep(timedelta(days=24 * 31 + 240))  # interim report, final report overdue
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.submit_report,
        SubmitReportCommand(actor="a", number=0, spent_amount=Decimal("25000")),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.review_report,
        ReviewReportCommand(
            actor="p", outcome=ReportOutcome.reclaim, reclaim_amount=Decimal("5000")
        ),
    )
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.record_repayment,
        RecordRepaymentCommand(actor="k", amount=Decimal("5000")),
    )
    await client.get_workflow_handle(wid).result()
    await save(client, wid, handle.first_execution_run_id, "grant-funded-reclaim")


async def grant_review_overdue_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """The review period passes without a decision (review_overdue), then a withdrawal."""
    client = env.client
    today = (await env.get_current_time()).date()
    slow = grant_input(today=today)
    wid = grants.workflow_id(slow.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, slow, id=wid, task_queue=queue)
    await _review(client, wid)
    await env.sleep(timedelta(days=61))
    await update(
        client.get_workflow_handle(wid),
        GrantApplicationUpdates.withdraw,
        WithdrawCommand(actor="a", reason="too slow"),
    )
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, "grant-review-overdue")
