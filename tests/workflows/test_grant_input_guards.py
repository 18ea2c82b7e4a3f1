"""Input that no schema should let through, sent to GrantApplicationWorkflow directly: the
workflow must refuse what it cannot compute (InvalidCommand, HTTP 422) and clamp what it
can, and never fail a workflow task, or the application can never move again.

On the dev server (update validators misbehave on the time-skipping one), with a worker of
this module's own on a fresh task queue and the fake ``publish_event``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
from pydantic import BaseModel
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts import grants
from shared.contracts.grants import (
    AppealCommand,
    ApplicationStage,
    AssignReviewerCommand,
    ChangeKind,
    Deadlines,
    DecideCommand,
    Decision,
    GrantApplicationInput,
    GrantApplicationUpdates,
    RequestChangeCommand,
    RequestPaymentCommand,
    ReviewCommand,
)
from shared.contracts.refs import UpdateRef
from shared.problems import INVALID_COMMAND
from tests.servers import eventually
from tests.workflows.builders import grant_input
from tests.workflows.conftest import PublishedEvents
from tests.workflows.grant_steps import Handle, current_state
from tests.workflows.handles import update
from workflows.grant_application import deadlines
from workflows.grant_application.activities import check_eligibility
from workflows.worker import WORKFLOWS

#: A wedged workflow never answers; a healthy one answers in well under a second.
ANSWER_WITHIN = 15


@dataclass
class DevHarness:
    env: WorkflowEnvironment
    task_queue: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def dev(temporal_env: WorkflowEnvironment) -> AsyncIterator[DevHarness]:
    task_queue = f"guards-{uuid.uuid4().hex[:8]}"
    published = PublishedEvents()
    async with Worker(
        temporal_env.client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=[published.publish_event, check_eligibility],
    ):
        yield DevHarness(env=temporal_env, task_queue=task_queue)


async def _send(handle: Handle, ref: UpdateRef[Any, Any], command: BaseModel) -> Any:
    return await asyncio.wait_for(update(handle, ref, command), ANSWER_WITHIN)


async def _refused(handle: Handle, ref: UpdateRef[Any, Any], command: BaseModel) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await _send(handle, ref, command)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == INVALID_COMMAND, cause
    return str(cause)


async def _in_review(dev: DevHarness, workflow_input: GrantApplicationInput) -> Handle:
    workflow_id = grants.workflow_id(workflow_input.application_id)
    handle: Handle = await dev.env.client.start_workflow(
        grants.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=dev.task_queue
    )

    async def reviewable() -> bool:
        return (await current_state(handle)).stage is ApplicationStage.in_review

    await eventually(reviewable, timeout=ANSWER_WITHIN)
    return handle


async def _reviewed(dev: DevHarness, workflow_input: GrantApplicationInput) -> Handle:
    handle = await _in_review(dev, workflow_input)
    assign = AssignReviewerCommand(actor="petra", reviewer="rita")
    await _send(handle, GrantApplicationUpdates.assign_reviewer, assign)
    review = ReviewCommand(
        actor="rita", total_score=80, max_score=80, recommendation=Decision.approve
    )
    await _send(handle, GrantApplicationUpdates.record_review, review)
    return handle


APPROVE = DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000"))


async def _active(handle: Handle) -> None:
    await _send(handle, GrantApplicationUpdates.decide, APPROVE)
    await _send(handle, GrantApplicationUpdates.waive_appeal, AppealCommand(actor="verein"))

    async def funded() -> bool:
        return (await current_state(handle)).stage is ApplicationStage.active

    await eventually(funded, timeout=ANSWER_WITHIN)


async def test_huge_and_negative_round_durations_are_clamped(dev: DevHarness) -> None:
    deadlines = Deadlines(
        review_sla_days=10**9,
        reminder_offsets_days=[10**9, -400],
        appeal_window_days=10**9,
        report_grace_days=10**9,
    )
    handle = await _reviewed(dev, grant_input(deadlines=deadlines))
    await _active(handle)
    payment = RequestPaymentCommand(actor="verein", payment_id="p1", amount=Decimal("100"))
    result = await _send(handle, GrantApplicationUpdates.request_payment, payment)
    assert result.state.stage is ApplicationStage.active


async def test_approval_whose_report_dates_cannot_be_computed_is_refused(
    dev: DevHarness,
) -> None:
    workflow_input = grant_input().model_copy(update={"funding_period_end": date(9999, 12, 31)})
    handle = await _reviewed(dev, workflow_input)
    message = await _refused(handle, GrantApplicationUpdates.decide, APPROVE)
    assert "9999-12-31" in message
    reject = DecideCommand(decision=Decision.reject, actor="jonas", reason="Zeitraum unmöglich")
    result = await _send(handle, GrantApplicationUpdates.decide, reject)
    assert result.state.stage is ApplicationStage.rejected


async def test_extension_past_the_calendar_is_refused(dev: DevHarness) -> None:
    handle = await _reviewed(dev, grant_input())
    await _active(handle)
    extension = RequestChangeCommand(
        actor="verein",
        change_id="c1",
        kind=ChangeKind.extension,
        new_period_end=date(9999, 12, 31),
    )
    await _refused(handle, GrantApplicationUpdates.request_change, extension)
    payment = RequestPaymentCommand(actor="verein", payment_id="p1", amount=Decimal("100"))
    result = await _send(handle, GrantApplicationUpdates.request_payment, payment)
    assert result.state.stage is ApplicationStage.active


async def test_an_officer_may_not_assign_themself(dev: DevHarness) -> None:
    handle = await _in_review(dev, grant_input())
    itself = AssignReviewerCommand(actor="petra", reviewer="petra")
    message = await _refused(handle, GrantApplicationUpdates.assign_reviewer, itself)
    assert "themself" in message
    other = AssignReviewerCommand(actor="petra", reviewer="rita")
    result = await _send(handle, GrantApplicationUpdates.assign_reviewer, other)
    assert result.state.reviewer == "rita"


def test_report_schedule_problems_are_named_not_raised() -> None:
    """What the approval, resubmission and both extension validators call."""
    state = grant_input().model_copy(update={"resume": None})
    base = grants.GrantApplicationState(
        application_id=state.application_id,
        organisation_id=state.organisation_id,
        priority_code=state.priority_code,
        round_id=state.round_id,
        requested_amount=state.requested_amount,
        funding_period_start=state.funding_period_start,
        funding_period_end=state.funding_period_end,
    )
    assert deadlines.schedule_problem(base, Deadlines()) is None
    late = base.model_copy(update={"funding_period_end": date(9999, 12, 31)})
    assert "cannot be computed" in (deadlines.schedule_problem(late, Deadlines()) or "")
    early = base.model_copy(
        update={"funding_period_start": date(1, 1, 1), "funding_period_end": date(1, 1, 2)}
    )
    year_one = Deadlines(final_report_months=0, reminder_offsets_days=[365])
    assert deadlines.schedule_problem(early, year_one) is not None
    assert deadlines.days(10**9) == deadlines.days(deadlines.MAX_DAYS)
    assert deadlines.days(-5).days == 0
    odd = Deadlines(reminder_offsets_days=[28, -400, 0, 10**9, 28, 7])
    assert deadlines.reminder_offsets(odd) == [28, deadlines.MAX_DAYS, 7]
