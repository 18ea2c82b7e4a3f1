"""State and helpers the working group workflow's parts share."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination import (
        GroupCommandResult,
        GroupStage,
        WorkingGroupInput,
        WorkingGroupState,
    )
    from shared.contracts.events.coordination import WorkingGroupEvent
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import STAGE
    from workflows.emitting import EmittingWorkflow


def conflict(message: str) -> ApplicationError:
    """The command does not fit the group as it stands (HTTP 409)."""
    return ApplicationError(message, type=STAGE_CONFLICT, non_retryable=True)


def invalid(message: str) -> ApplicationError:
    """The command's content is wrong (HTTP 422)."""
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


class WorkingGroupBase(EmittingWorkflow[WorkingGroupState, WorkingGroupEvent]):
    def __init__(self, input: WorkingGroupInput) -> None:
        super().__init__()
        self._input = input
        self._state = input.resume or WorkingGroupState(
            group_id=input.group_id, coordinator=input.coordinator
        )

    def _event_fields(self) -> dict[str, object]:
        return {
            "group_id": self._state.group_id,
            "coordinator": self._state.coordinator,
            "stage": self._state.stage.value,
        }

    def _set_stage(self, stage: GroupStage) -> None:
        self._state.stage = stage
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    def _require_active(self, action: str) -> None:
        if self._state.stage is not GroupStage.active:
            raise conflict(f"cannot {action}: the working group is closed")

    async def _after_forming(self) -> None:
        """A command sent right after the start can reach the workflow before ``run`` has
        emitted ``group_formed``: let that take sequence number 1 first."""
        await workflow.wait_condition(lambda: self._state.seq >= 1)

    async def _done(self, model: type[WorkingGroupEvent], **fields: object) -> GroupCommandResult:
        event = await self._emit(model, **fields)
        return GroupCommandResult(state=self._state.model_copy(deep=True), events=[event])
