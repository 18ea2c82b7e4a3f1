"""State and helpers the refugee case workflow's parts share."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import (
        CaseCommandResult,
        CaseStage,
        RefugeeCaseInput,
        RefugeeCaseState,
    )
    from shared.contracts.events.case import CaseEvent
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import STAGE
    from workflows.emitting import EmittingWorkflow

Stage = CaseStage
OPEN_STAGES = (Stage.intake, Stage.in_progress, Stage.placed, Stage.follow_up)


def conflict(message: str) -> ApplicationError:
    """The command does not fit the case as it stands (HTTP 409)."""
    return ApplicationError(message, type=STAGE_CONFLICT, non_retryable=True)


def invalid(message: str) -> ApplicationError:
    """The command's content is wrong (HTTP 422)."""
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


def require_stage(action: str, stage: CaseStage, *allowed: CaseStage) -> None:
    if stage not in allowed:
        raise conflict(f"cannot {action}: the case is in stage {stage.value}")


class CaseWorkflowBase(EmittingWorkflow[RefugeeCaseState, CaseEvent]):
    def __init__(self, input: RefugeeCaseInput) -> None:
        super().__init__()
        self._input = input
        self._state = input.resume or RefugeeCaseState(
            case_id=input.case_id, case_manager=input.case_manager
        )

    def _event_fields(self) -> dict[str, object]:
        return {
            "case_id": self._state.case_id,
            "case_manager": self._state.case_manager,
            # the input's: runs started before file numbers carry none (an activity's
            # input is not compared on replay, so no patch is needed)
            "file_number": self._input.file_number,
            "stage": self._state.stage.value,
        }

    def _set_stage(self, stage: CaseStage) -> None:
        self._state.stage = stage
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    async def _after_opening(self) -> None:
        """A command sent right after the start can reach the workflow before ``run`` has
        emitted ``opened``: let ``opened`` take sequence number 1 first."""
        await workflow.wait_condition(lambda: self._state.seq >= 1)

    async def _done(self, model: type[CaseEvent], **fields: object) -> CaseCommandResult:
        """A command's end: the case was active now, and its one event is published."""
        self._state.last_activity_at = workflow.now()
        event = await self._emit(model, **fields)
        return CaseCommandResult(state=self._state.model_copy(deep=True), events=[event])
