"""State and helpers the grant application workflow's parts share."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.application import ApplicationEvent
    from shared.contracts.grants import (
        ApplicationStage,
        CommandResult,
        GrantApplicationInput,
        GrantApplicationState,
    )
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import STAGE
    from workflows.emitting import EmittingWorkflow


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


class GrantWorkflowBase(EmittingWorkflow[GrantApplicationState, ApplicationEvent]):
    def __init__(self, input: GrantApplicationInput) -> None:
        super().__init__()
        self._input = input
        self._deadlines = input.deadlines
        self._state = input.resume or GrantApplicationState(
            application_id=input.application_id,
            organisation_id=input.organisation_id,
            priority_code=input.priority_code,
            round_id=input.round_id,
            file_number=input.file_number,
            title=input.title,
            requested_amount=input.requested_amount,
            funding_period_start=input.funding_period_start,
            funding_period_end=input.funding_period_end,
        )
        self._wake = 0  # bumped by every command that may move a deadline

    def _set_stage(self, stage: ApplicationStage) -> None:
        self._state.stage = stage
        self._wake += 1
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    def _result(self, events: list[CloudEvent]) -> CommandResult:
        return CommandResult(state=self._state.model_copy(deep=True), events=events)

    def _event_fields(self) -> dict[str, object]:
        state = self._state
        return {
            "application_id": state.application_id,
            "organisation_id": state.organisation_id,
            "priority_code": state.priority_code,
            "round_id": state.round_id,
            "file_number": state.file_number,
            "title": state.title,
            "stage": state.stage.value,
        }
