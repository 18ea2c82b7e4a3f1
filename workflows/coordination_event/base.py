"""State and helpers the Fachtag workflow's parts share."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination_activities import (
        FachtagCommandResult,
        FachtagInput,
        FachtagStage,
        FachtagState,
    )
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.coordination_activities import FachtagEvent
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import STAGE
    from workflows.emitting import EmittingWorkflow

Stage = FachtagStage


def conflict(message: str) -> ApplicationError:
    """The command does not fit the day as it stands (HTTP 409)."""
    return ApplicationError(message, type=STAGE_CONFLICT, non_retryable=True)


def invalid(message: str) -> ApplicationError:
    """The command's content is wrong (HTTP 422)."""
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


def require_stage(action: str, stage: FachtagStage, *allowed: FachtagStage) -> None:
    if stage not in allowed:
        raise conflict(f"cannot {action}: the event is in stage {stage.value}")


class FachtagWorkflowBase(EmittingWorkflow[FachtagState, FachtagEvent]):
    def __init__(self, input: FachtagInput) -> None:
        super().__init__()
        self._input = input
        self._state = input.resume or FachtagState(
            fachtag_id=input.fachtag_id,
            organiser=input.organiser,
            capacity=input.capacity,
            registration_closes_at=input.registration_closes_at,
            starts_at=input.starts_at,
        )

    def _event_fields(self) -> dict[str, object]:
        return {
            "fachtag_id": self._state.fachtag_id,
            "organiser": self._state.organiser,
            "stage": self._state.stage.value,
        }

    def _set_stage(self, stage: FachtagStage) -> None:
        self._state.stage = stage
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    async def _after_planning(self) -> None:
        """A command sent right after the start waits until ``planned`` took number 1."""
        await workflow.wait_condition(lambda: self._state.seq >= 1)

    def _result(self, events: list[CloudEvent]) -> FachtagCommandResult:
        return FachtagCommandResult(state=self._state.model_copy(deep=True), events=events)
