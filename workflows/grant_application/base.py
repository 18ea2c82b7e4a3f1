"""State and helpers the grant application workflow's parts share."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.envelope import CloudEvent, build_event, derive_event_id
    from shared.contracts.events.application import ApplicationEvent
    from shared.contracts.grants import (
        ApplicationStage,
        CommandResult,
        GrantApplicationInput,
        GrantApplicationState,
    )
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import STAGE
    from workflows.events import PUBLISH_RETRY, PUBLISH_TIMEOUT, PublishEventInput


def conflict(action: str, stage: ApplicationStage) -> ApplicationError:
    """The command does not fit the stage (HTTP 409)."""
    return ApplicationError(
        f"cannot {action}: the application is in stage {stage.value}",
        type=STAGE_CONFLICT,
        non_retryable=True,
    )


def invalid(message: str) -> ApplicationError:
    """The command's content is wrong (HTTP 422)."""
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


class WorkflowBase:
    def __init__(self, input: GrantApplicationInput) -> None:
        self._input = input
        self._deadlines = input.deadlines
        self._state = input.resume or GrantApplicationState(
            application_id=input.application_id,
            organisation_id=input.organisation_id,
            priority_code=input.priority_code,
            round_id=input.round_id,
            requested_amount=input.requested_amount,
            funding_period_start=input.funding_period_start,
            funding_period_end=input.funding_period_end,
        )
        self._wake = 0  # bumped by every command that may move a deadline
        # One event at a time, so the stream holds an application's events in seq order.
        self._publishing = asyncio.Lock()

    def _set_stage(self, stage: ApplicationStage) -> None:
        self._state.stage = stage
        self._wake += 1
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    def _result(self, events: list[CloudEvent]) -> CommandResult:
        return CommandResult(state=self._state.model_copy(deep=True), events=events)

    async def _emit(self, model: type[ApplicationEvent], **fields: object) -> CloudEvent:
        """Publish the next event of this application. Its id derives from the workflow id
        and the sequence number, so replays and activity retries reuse it."""
        async with self._publishing:
            return await self._publish(model, **fields)

    async def _publish(self, model: type[ApplicationEvent], **fields: object) -> CloudEvent:
        self._state.seq += 1
        data = model(
            application_id=self._state.application_id,
            organisation_id=self._state.organisation_id,
            priority_code=self._state.priority_code,
            round_id=self._state.round_id,
            stage=self._state.stage.value,
            seq=self._state.seq,
            **fields,
        )
        event_id = derive_event_id(workflow.info().workflow_id, self._state.seq)
        event = build_event(event_id=event_id, data=data, time=workflow.now())
        await workflow.execute_activity(
            "publish_event",
            PublishEventInput(event=event),
            start_to_close_timeout=PUBLISH_TIMEOUT,
            retry_policy=PUBLISH_RETRY,
        )
        return event
