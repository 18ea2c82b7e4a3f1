"""Commands of the review: reviewer, review, decision (four-eyes), revision, withdrawal."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.events.application import (
        ApplicationApproved,
        ApplicationChangesRequested,
        ApplicationRejected,
        ApplicationResubmitted,
        ApplicationReviewed,
        ApplicationWithdrawn,
        ReviewerAssigned,
    )
    from shared.contracts.grants import (
        WITHDRAWABLE,
        ApplicationStage,
        AssignReviewerCommand,
        CommandResult,
        DecideCommand,
        Decision,
        GrantApplicationUpdates,
        ResubmitCommand,
        ReviewCommand,
        WithdrawCommand,
    )
    from workflows.grant_application import deadlines
    from workflows.grant_application.base import GrantWorkflowBase, conflict, invalid

Stage = ApplicationStage
REVIEWABLE = (Stage.submitted, Stage.in_review, Stage.changes_requested)


class ReviewCommands(GrantWorkflowBase):
    @workflow.update(name=GrantApplicationUpdates.assign_reviewer.name)
    async def assign_reviewer(self, command: AssignReviewerCommand) -> CommandResult:
        self._state.reviewer = command.reviewer
        self._state.recommendation = None
        event = await self._emit(ReviewerAssigned, actor=command.actor, reviewer=command.reviewer)
        return self._result([event])

    @assign_reviewer.validator
    def _validate_assign(self, command: AssignReviewerCommand) -> None:
        if self._state.stage not in REVIEWABLE:
            raise conflict("assign a reviewer", self._state.stage)
        if command.reviewer == command.actor:
            # A programme officer who also holds the reviewer role would otherwise review
            # what they steer; the decision's four-eyes check cannot see that.
            raise invalid(f"{command.actor} may not assign themself as reviewer")

    @workflow.update(name=GrantApplicationUpdates.record_review.name)
    async def record_review(self, command: ReviewCommand) -> CommandResult:
        self._state.recommendation = command.recommendation
        event = await self._emit(
            ApplicationReviewed,
            actor=command.actor,
            reviewer=command.actor,
            total_score=command.total_score,
            max_score=command.max_score,
            recommendation=command.recommendation.value,
        )
        return self._result([event])

    @record_review.validator
    def _validate_review(self, command: ReviewCommand) -> None:
        if self._state.stage is not Stage.in_review:
            raise conflict("record a review", self._state.stage)
        if command.actor != self._state.reviewer:
            raise invalid(
                f"only the assigned reviewer ({self._state.reviewer or 'none yet'}) may review"
            )
        if command.total_score > command.max_score:
            raise invalid(f"total_score {command.total_score} exceeds {command.max_score}")

    @workflow.update(name=GrantApplicationUpdates.decide.name)
    async def decide(self, command: DecideCommand) -> CommandResult:
        state = self._state
        if command.decision is Decision.request_changes:
            self._set_stage(Stage.changes_requested)
            event = await self._emit(
                ApplicationChangesRequested, actor=command.actor, reason=command.reason
            )
            return self._result([event])
        state.decided_by = command.actor
        state.decided_at = workflow.now()
        if command.decision is Decision.approve:
            assert command.granted_amount is not None
            state.granted_amount = command.granted_amount
            self._set_stage(Stage.approved)
            event = await self._emit(
                ApplicationApproved,
                actor=command.actor,
                requested_amount=state.requested_amount,
                granted_amount=command.granted_amount,
                final_report_due_at=deadlines.final_report_due(
                    state.funding_period_end, self._deadlines
                ),
            )
        else:
            state.granted_amount = None
            self._set_stage(Stage.rejected)
            event = await self._emit(
                ApplicationRejected, actor=command.actor, reason=command.reason
            )
        return self._result([event])

    @decide.validator
    def _validate_decide(self, command: DecideCommand) -> None:
        state = self._state
        if state.stage is not Stage.in_review:
            raise conflict(f"{command.decision.value} the application", state.stage)
        if command.decision is Decision.request_changes:
            if not (command.reason and command.reason.strip()):
                raise invalid("a reason is required to request changes")
            return
        if state.reviewer is None or state.recommendation is None:
            raise invalid("a decision needs the assigned reviewer's review first (four-eyes)")
        if command.actor == state.reviewer:
            raise invalid(
                f"{command.actor} reviewed this application and may not also decide (four-eyes)"
            )
        if command.decision is Decision.approve:
            if command.granted_amount is None:
                raise invalid("granted_amount is required to approve")
            if command.granted_amount > state.requested_amount:
                raise invalid(
                    f"granted_amount {command.granted_amount} exceeds the requested amount "
                    f"{state.requested_amount}"
                )
            # the approval's event carries the final report's due date, and the funding
            # run that follows sets its timers by the report deadlines
            problem = deadlines.schedule_problem(state, self._deadlines)
            if problem is not None:
                raise invalid(f"cannot approve: {problem}")
        elif not (command.reason and command.reason.strip()):
            raise invalid("a reason is required to reject")

    @workflow.update(name=GrantApplicationUpdates.resubmit.name)
    async def resubmit(self, command: ResubmitCommand) -> CommandResult:
        state = self._state
        state.requested_amount = command.requested_amount
        state.funding_period_start = command.funding_period_start
        state.funding_period_end = command.funding_period_end
        state.revision = command.revision
        # Data the events carry, no decision: replaying an older history (its command has
        # no title) keeps the title it had, and the commands stay the same.
        if command.title is not None:
            state.title = command.title
        state.recommendation = None  # the revision needs a fresh review
        self._set_stage(Stage.in_review)
        event = await self._emit(
            ApplicationResubmitted,
            actor=command.actor,
            requested_amount=command.requested_amount,
            revision=command.revision,
        )
        return self._result([event])

    @resubmit.validator
    def _validate_resubmit(self, command: ResubmitCommand) -> None:
        if self._state.stage is not Stage.changes_requested:
            raise conflict("resubmit", self._state.stage)
        if command.revision <= self._state.revision:
            raise invalid(f"revision {command.revision} is not newer than {self._state.revision}")
        revised = self._state.model_copy(
            update={
                "funding_period_start": command.funding_period_start,
                "funding_period_end": command.funding_period_end,
            }
        )
        problem = deadlines.schedule_problem(revised, self._deadlines)
        if problem is not None:
            raise invalid(problem)

    @workflow.update(name=GrantApplicationUpdates.withdraw.name)
    async def withdraw(self, command: WithdrawCommand) -> CommandResult:
        self._set_stage(Stage.withdrawn)
        event = await self._emit(ApplicationWithdrawn, actor=command.actor, reason=command.reason)
        return self._result([event])

    @withdraw.validator
    def _validate_withdraw(self, command: WithdrawCommand) -> None:
        if self._state.stage not in WITHDRAWABLE:
            raise conflict("withdraw", self._state.stage)
