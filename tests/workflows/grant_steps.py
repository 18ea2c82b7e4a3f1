"""Steps of a grant application the workflow tests share: start, review, approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from temporalio.client import WorkflowHandle

from shared.contracts import grants
from shared.contracts.grants import (
    AppealCommand,
    ApplicationStage,
    AssignReviewerCommand,
    DecideCommand,
    Decision,
    GrantApplicationInput,
    GrantApplicationQueries,
    GrantApplicationState,
    GrantApplicationUpdates,
    ReviewCommand,
)
from tests.servers import eventually
from tests.workflows.builders import grant_input
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update

Handle = WorkflowHandle[Any, GrantApplicationState]


async def current_state(handle: Handle) -> GrantApplicationState:
    state: GrantApplicationState = await query(handle, GrantApplicationQueries.state)
    return state


async def funding_started(harness: Harness, application_id: str) -> None:
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


async def until_stage(handle: Handle, stage: ApplicationStage) -> None:
    async def reached() -> bool:
        return (await current_state(handle)).stage is stage

    await eventually(reached)


async def reviewed(harness: Harness, workflow_input: GrantApplicationInput) -> Handle:
    workflow_id = grants.workflow_id(workflow_input.application_id)
    await harness.env.client.start_workflow(
        grants.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    handle: Handle = harness.env.client.get_workflow_handle(
        workflow_id, result_type=GrantApplicationState
    )
    await until_stage(handle, ApplicationStage.in_review)
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


async def approved_and_final(harness: Harness, **kwargs: Any) -> tuple[Handle, str]:
    today = (await harness.env.get_current_time()).date()
    workflow_input = grant_input(today=today, **kwargs)
    handle = await reviewed(harness, workflow_input)
    approved = await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
    )
    assert approved.state.stage is ApplicationStage.approved
    await update(handle, GrantApplicationUpdates.waive_appeal, AppealCommand(actor="verein"))
    await funding_started(harness, workflow_input.application_id)
    return handle, workflow_input.application_id
