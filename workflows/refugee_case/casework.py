"""Commands of the case management: assessment, plan, placement and its follow-ups,
transfer to another case manager, closure and reopening."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import (
        AssessCommand,
        CaseCommandResult,
        CaseStage,
        CloseCommand,
        ClosureReason,
        FollowUpCommand,
        PlaceCommand,
        RefugeeCaseUpdates,
        ReopenCommand,
        RevisePlanCommand,
        TransferCommand,
    )
    from shared.contracts.events.case import (
        CaseAssessed,
        CaseClosed,
        CasePlaced,
        CaseReopened,
        CaseTransferred,
        FollowUpRecorded,
        PlanRevised,
    )
    from workflows.refugee_case.base import (
        OPEN_STAGES,
        CaseWorkflowBase,
        conflict,
        invalid,
        require_stage,
    )

Stage = CaseStage


class CaseworkCommands(CaseWorkflowBase):
    @workflow.update(name=RefugeeCaseUpdates.assess.name)
    async def assess(self, command: AssessCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.need_count = command.need_count
        if self._state.stage is Stage.intake:
            self._set_stage(Stage.in_progress)
        return await self._done(CaseAssessed, actor=command.actor, need_count=command.need_count)

    @assess.validator
    def _validate_assess(self, command: AssessCommand) -> None:
        require_stage("record an assessment", self._state.stage, Stage.intake, Stage.in_progress)

    @workflow.update(name=RefugeeCaseUpdates.revise_plan.name)
    async def revise_plan(self, command: RevisePlanCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.plan_version += 1
        return await self._done(
            PlanRevised,
            actor=command.actor,
            plan_version=self._state.plan_version,
            goal_areas=list(command.goal_areas),
            next_target_date=command.next_target_date,
        )

    @revise_plan.validator
    def _validate_plan(self, command: RevisePlanCommand) -> None:
        require_stage("revise the plan", self._state.stage, *OPEN_STAGES)

    @workflow.update(name=RefugeeCaseUpdates.place.name)
    async def place(self, command: PlaceCommand) -> CaseCommandResult:
        await self._after_opening()
        checkins_from = workflow.now()
        self._state.checkins_from = None
        # Runs placed before this patch counted the check-ins from the day the placement
        # was recorded; from now on they count from the day it starts.
        if command.start_date is not None and workflow.patched("checkins-from-start-date"):
            checkins_from = datetime.combine(command.start_date, time(), tzinfo=UTC)
            self._state.checkins_from = checkins_from
        due = checkins_from + timedelta(days=self._input.follow_up_days)
        self._state.placement_type = command.placement_type
        self._state.follow_up_due_at = due
        self._state.placed_at = workflow.now()
        self._state.follow_ups_due = 0
        self._set_stage(Stage.placed)
        return await self._done(
            CasePlaced,
            actor=command.actor,
            placement_type=command.placement_type,
            offer_id=command.offer_id,
            follow_up_due_at=due,
        )

    @place.validator
    def _validate_place(self, command: PlaceCommand) -> None:
        require_stage("record a placement", self._state.stage, Stage.in_progress)

    @workflow.update(name=RefugeeCaseUpdates.record_follow_up.name)
    async def record_follow_up(self, command: FollowUpCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.follow_ups_recorded += 1
        return await self._done(
            FollowUpRecorded, actor=command.actor, still_placed=command.still_placed
        )

    @record_follow_up.validator
    def _validate_follow_up(self, command: FollowUpCommand) -> None:
        require_stage("record a follow-up", self._state.stage, Stage.follow_up)

    @workflow.update(name=RefugeeCaseUpdates.transfer.name)
    async def transfer(self, command: TransferCommand) -> CaseCommandResult:
        await self._after_opening()
        previous = self._state.case_manager
        self._state.case_manager = command.case_manager
        return await self._done(
            CaseTransferred, actor=command.actor, previous_case_manager=previous
        )

    @transfer.validator
    def _validate_transfer(self, command: TransferCommand) -> None:
        require_stage("transfer", self._state.stage, *OPEN_STAGES)
        if command.case_manager == self._state.case_manager:
            raise invalid(f"the case is already with {command.case_manager}")

    @workflow.update(name=RefugeeCaseUpdates.close.name)
    async def close(self, command: CloseCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.closure_reason = command.reason
        self._state.closed_at = workflow.now()
        self._set_stage(Stage.closed)
        return await self._done(CaseClosed, actor=command.actor, reason=command.reason)

    @close.validator
    def _validate_close(self, command: CloseCommand) -> None:
        if self._state.stage is Stage.closed:
            raise conflict("cannot close: the case is in stage closed")

    @workflow.update(name=RefugeeCaseUpdates.reopen.name)
    async def reopen(self, command: ReopenCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.closure_reason = None
        self._state.closed_at = None
        self._set_stage(Stage.in_progress)
        return await self._done(CaseReopened, actor=command.actor)

    @reopen.validator
    def _validate_reopen(self, command: ReopenCommand) -> None:
        require_stage("reopen", self._state.stage, Stage.closed)
        closed_at = self._state.closed_at
        if self._state.closure_reason is ClosureReason.consent_withdrawn:
            raise conflict("cannot reopen: the person withdrew their consent")
        window = timedelta(days=self._input.reopen_window_days)
        if closed_at is not None and workflow.now() - closed_at > window:
            raise conflict("cannot reopen: the case was closed longer than the reopen window")
