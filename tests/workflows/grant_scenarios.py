"""Grant application scenarios whose histories the replay test keeps (scenario grant-v2).

Grant v1 histories were removed with the v2 workflow: v1 never ran outside the session that
wrote it (it never landed), so no workflow of that shape can be running anywhere.
"""

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
    CommandResult,
    DecideCommand,
    DecidePaymentCommand,
    Decision,
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

Save = Callable[[Client, str, "str | None", str], Awaitable[None]]


async def _review(client: Client, wid: str) -> None:
    handle = client.get_workflow_handle(wid)
    await asyncio.sleep(1)
    await handle.execute_update(
        "assign_reviewer", AssignReviewerCommand(actor="p", reviewer="r"), result_type=CommandResult
    )
    await handle.execute_update(
        "record_review",
        ReviewCommand(actor="r", total_score=70, max_score=100, recommendation=Decision.approve),
        result_type=CommandResult,
    )


async def grant_scenarios(
    env: WorkflowEnvironment, queue: str, save: Save, prefix: str = "grant2"
) -> None:
    """Ineligible, withdrawn after a revision, rejected and final, funded with a reclaim;
    histories named ``<prefix>-…`` (grant2: the v2 workflow; grant4: since lean-start)."""
    client = env.client

    async def update(wid: str, name: str, arg: object) -> None:
        await client.get_workflow_handle(wid).execute_update(name, arg, result_type=CommandResult)

    today = (await env.get_current_time()).date()
    ineligible = grant_input(
        priority="diversity_strategy", applicant_type=ApplicantType.district, today=today
    )
    wid = grants.workflow_id(ineligible.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, ineligible, id=wid, task_queue=queue)
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, f"{prefix}-ineligible")

    revised = grant_input(today=today)
    wid = grants.workflow_id(revised.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, revised, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(
        wid, "decide", DecideCommand(decision=Decision.request_changes, actor="j", reason="x")
    )
    await update(
        wid,
        "resubmit",
        ResubmitCommand(
            actor="a",
            requested_amount=Decimal("45000"),
            revision=2,
            funding_period_start=revised.funding_period_start,
            funding_period_end=revised.funding_period_end,
        ),
    )
    await update(wid, "withdraw", WithdrawCommand(actor="a", reason="cancelled"))
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, f"{prefix}-withdrawn")

    rejected = grant_input(today=today)
    wid = grants.workflow_id(rejected.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, rejected, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(wid, "decide", DecideCommand(decision=Decision.reject, actor="j", reason="x"))
    await env.sleep(timedelta(days=32))
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, f"{prefix}-rejected-final")

    funded = grant_input(today=today, period_months=24)
    wid = grants.workflow_id(funded.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, funded, id=wid, task_queue=queue)
    await _review(client, wid)
    await update(
        wid,
        "decide",
        DecideCommand(decision=Decision.approve, actor="j", granted_amount=Decimal("40000")),
    )
    await update(wid, "waive_appeal", AppealCommand(actor="a"))
    await asyncio.sleep(1)
    payment = str(uuid.uuid4())
    await update(
        wid,
        "request_payment",
        RequestPaymentCommand(actor="a", payment_id=payment, amount=Decimal("30000")),
    )
    await update(
        wid, "decide_payment", DecidePaymentCommand(actor="p", payment_id=payment, approve=True)
    )
    await env.sleep(timedelta(days=24 * 31 + 240))  # interim report, final report overdue
    await update(
        wid,
        "submit_report",
        SubmitReportCommand(actor="a", number=0, spent_amount=Decimal("25000")),
    )
    await update(
        wid,
        "review_report",
        ReviewReportCommand(
            actor="p", outcome=ReportOutcome.reclaim, reclaim_amount=Decimal("5000")
        ),
    )
    await update(wid, "record_repayment", RecordRepaymentCommand(actor="k", amount=Decimal("5000")))
    await client.get_workflow_handle(wid).result()
    await save(client, wid, handle.first_execution_run_id, f"{prefix}-funded-reclaim")


async def grant_review_sla_scenario(
    env: WorkflowEnvironment, queue: str, save: Save, prefix: str = "grant3"
) -> None:
    """grant-v3 (and grant-v4): the review period is watched (patch review-sla)."""
    client = env.client
    today = (await env.get_current_time()).date()
    slow = grant_input(today=today)
    wid = grants.workflow_id(slow.application_id)
    handle = await client.start_workflow(grants.WORKFLOW_NAME, slow, id=wid, task_queue=queue)
    await _review(client, wid)
    await env.sleep(timedelta(days=61))
    await client.get_workflow_handle(wid).execute_update(
        "withdraw", WithdrawCommand(actor="a", reason="too slow"), result_type=CommandResult
    )
    await handle.result()
    await save(client, wid, handle.first_execution_run_id, f"{prefix}-review-overdue")
