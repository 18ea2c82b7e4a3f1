"""``GrantApplicationWorkflow``: one grant application from submission to closure.

submitted ─(eligibility)─> ineligible | in_review ─decide─> approved | rejected
in_review ─request_changes─> changes_requested ─resubmit─> in_review
approved ─(continue-as-new)─> final report due: reminder before, overdue after
  ─submit_report─> report_submitted ─accept_report─> closed
withdraw: before a decision.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.eligibility import EligibilityResult
    from shared.events import CloudEvent, build_event
    from shared.events.application import (
        ApplicationApproved,
        ApplicationChangesRequested,
        ApplicationClosed,
        ApplicationEvent,
        ApplicationIneligible,
        ApplicationRejected,
        ApplicationResubmitted,
        ApplicationReviewStarted,
        ApplicationSubmitted,
        ApplicationWithdrawn,
        FinalReportOverdue,
        FinalReportReminder,
        FinalReportSubmitted,
    )
    from shared.grants import KIND as GRANT_KIND
    from shared.grants import (
        WITHDRAWABLE,
        AcceptReportCommand,
        ApplicationStage,
        CommandResult,
        DecideCommand,
        Decision,
        GrantApplicationInput,
        GrantApplicationState,
        ResubmitCommand,
        SubmitReportCommand,
        WithdrawCommand,
    )
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import KIND, PRIORITY, STAGE
    from workflows.events import PUBLISH_RETRY, PUBLISH_TIMEOUT, PublishEventInput
    from workflows.grant_application.activities import EligibilityCheckInput

Stage = ApplicationStage


def _conflict(action: str, stage: ApplicationStage) -> ApplicationError:
    return ApplicationError(
        f"cannot {action}: the application is in stage {stage.value}",
        type=STAGE_CONFLICT,
        non_retryable=True,
    )


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


@workflow.defn(name="GrantApplicationWorkflow")
class GrantApplicationWorkflow:
    @workflow.init
    def __init__(self, input: GrantApplicationInput) -> None:
        self._input = input
        self._state = input.resume or GrantApplicationState(
            application_id=input.application_id,
            organisation_id=input.organisation_id,
            priority_code=input.priority_code,
            requested_amount=input.requested_amount,
        )

    @workflow.run
    async def run(self, input: GrantApplicationInput) -> GrantApplicationState:
        workflow.upsert_search_attributes(
            [
                KIND.value_set(GRANT_KIND),
                PRIORITY.value_set(input.priority_code),
                STAGE.value_set(self._state.stage.value),
            ]
        )
        if input.resume is None:
            await self._review_phase()
            await workflow.wait_condition(workflow.all_handlers_finished)
            if self._state.stage is Stage.approved:
                # The funding period may last years: start it with a fresh history.
                workflow.continue_as_new(input.model_copy(update={"resume": self._state}))
            return self._state
        if self._state.stage in (Stage.approved, Stage.report_submitted):
            await self._reporting_phase()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    # -- phases ---------------------------------------------------------------------------

    async def _review_phase(self) -> None:
        await self._emit(
            ApplicationSubmitted,
            actor=self._input.submitted_by,
            requested_amount=self._state.requested_amount,
        )
        result = await workflow.execute_activity(
            "check_eligibility",
            EligibilityCheckInput(rule=self._input.rule, applicant=self._input.applicant),
            result_type=EligibilityResult,
            start_to_close_timeout=timedelta(seconds=10),
        )
        if self._state.stage is not Stage.submitted:  # withdrawn while being checked
            return
        if not result.eligible:
            self._state.ineligible_reasons = list(result.reasons)
            self._set_stage(Stage.ineligible)
            await self._emit(ApplicationIneligible, reasons=list(result.reasons))
            return
        self._set_stage(Stage.in_review)
        await self._emit(ApplicationReviewStarted)
        await workflow.wait_condition(
            lambda: self._state.stage in (Stage.approved, Stage.rejected, Stage.withdrawn)
        )

    async def _reporting_phase(self) -> None:
        due = self._state.final_report_due_at
        assert due is not None
        reminder_at = due - timedelta(days=self._input.report_reminder_days_before)
        if not self._state.report_reminded:
            if await self._report_arrives_before(reminder_at):
                return await self._await_closure()
            self._state.report_reminded = True
            await self._emit(FinalReportReminder, final_report_due_at=due)
        if not self._state.report_overdue:
            if await self._report_arrives_before(due):
                return await self._await_closure()
            self._state.report_overdue = True
            await self._emit(FinalReportOverdue, final_report_due_at=due)
        await self._await_closure()

    async def _report_arrives_before(self, deadline: datetime) -> bool:
        remaining = deadline - workflow.now()
        if self._state.stage is not Stage.approved:
            return True
        if remaining <= timedelta(0):
            return False
        try:
            await workflow.wait_condition(
                lambda: self._state.stage is not Stage.approved, timeout=remaining
            )
        except TimeoutError:
            return False
        return True

    async def _await_closure(self) -> None:
        await workflow.wait_condition(lambda: self._state.stage is Stage.closed)

    # -- commands (Updates) ---------------------------------------------------------------

    @workflow.update
    async def decide(self, command: DecideCommand) -> CommandResult:
        events: list[CloudEvent] = []
        if command.decision is Decision.approve:
            granted = command.granted_amount
            assert granted is not None
            due = workflow.now() + timedelta(days=self._input.final_report_due_days)
            self._state.granted_amount = granted
            self._state.final_report_due_at = due
            self._set_stage(Stage.approved)
            events.append(
                await self._emit(
                    ApplicationApproved,
                    actor=command.actor,
                    requested_amount=self._state.requested_amount,
                    granted_amount=granted,
                    final_report_due_at=due,
                )
            )
        elif command.decision is Decision.reject:
            self._set_stage(Stage.rejected)
            events.append(
                await self._emit(ApplicationRejected, actor=command.actor, reason=command.reason)
            )
        else:
            self._set_stage(Stage.changes_requested)
            events.append(
                await self._emit(
                    ApplicationChangesRequested, actor=command.actor, reason=command.reason
                )
            )
        return self._result(events)

    @decide.validator
    def _validate_decide(self, command: DecideCommand) -> None:
        if self._state.stage is not Stage.in_review:
            raise _conflict(f"{command.decision.value} the application", self._state.stage)
        if command.decision is Decision.approve:
            if command.granted_amount is None:
                raise _invalid("granted_amount is required to approve")
            if command.granted_amount > self._state.requested_amount:
                raise _invalid(
                    f"granted_amount {command.granted_amount} exceeds the requested amount "
                    f"{self._state.requested_amount}"
                )
        elif not (command.reason and command.reason.strip()):
            raise _invalid(f"a reason is required to {command.decision.value.replace('_', ' ')}")

    @workflow.update
    async def resubmit(self, command: ResubmitCommand) -> CommandResult:
        self._state.requested_amount = command.requested_amount
        self._set_stage(Stage.in_review)
        event = await self._emit(
            ApplicationResubmitted, actor=command.actor, requested_amount=command.requested_amount
        )
        return self._result([event])

    @resubmit.validator
    def _validate_resubmit(self, command: ResubmitCommand) -> None:
        if self._state.stage is not Stage.changes_requested:
            raise _conflict("resubmit", self._state.stage)

    @workflow.update
    async def withdraw(self, command: WithdrawCommand) -> CommandResult:
        self._set_stage(Stage.withdrawn)
        event = await self._emit(ApplicationWithdrawn, actor=command.actor, reason=command.reason)
        return self._result([event])

    @withdraw.validator
    def _validate_withdraw(self, command: WithdrawCommand) -> None:
        if self._state.stage not in WITHDRAWABLE:
            raise _conflict("withdraw", self._state.stage)

    @workflow.update
    async def submit_report(self, command: SubmitReportCommand) -> CommandResult:
        self._state.spent_amount = command.spent_amount
        self._set_stage(Stage.report_submitted)
        event = await self._emit(
            FinalReportSubmitted,
            actor=command.actor,
            spent_amount=command.spent_amount,
            overdue=self._state.report_overdue,
        )
        return self._result([event])

    @submit_report.validator
    def _validate_submit_report(self, command: SubmitReportCommand) -> None:
        if self._state.stage is not Stage.approved:
            raise _conflict("submit the final report", self._state.stage)
        granted = self._state.granted_amount
        if granted is not None and command.spent_amount > granted:
            raise _invalid(f"spent_amount {command.spent_amount} exceeds the granted {granted}")

    @workflow.update
    async def accept_report(self, command: AcceptReportCommand) -> CommandResult:
        self._set_stage(Stage.closed)
        event = await self._emit(
            ApplicationClosed,
            actor=command.actor,
            granted_amount=self._state.granted_amount,
            spent_amount=self._state.spent_amount,
        )
        return self._result([event])

    @accept_report.validator
    def _validate_accept_report(self, command: AcceptReportCommand) -> None:
        if self._state.stage is not Stage.report_submitted:
            raise _conflict("accept the final report", self._state.stage)

    @workflow.query
    def state(self) -> GrantApplicationState:
        return self._state

    # -- helpers --------------------------------------------------------------------------

    def _set_stage(self, stage: ApplicationStage) -> None:
        self._state.stage = stage
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    def _result(self, events: list[CloudEvent]) -> CommandResult:
        return CommandResult(state=self._state.model_copy(deep=True), events=events)

    async def _emit(self, model: type[ApplicationEvent], **fields: object) -> CloudEvent:
        """Publish the next event of this application. Its id comes from the workflow's
        deterministic random source, so replays and activity retries reuse it."""
        self._state.seq += 1
        data = model(
            application_id=self._state.application_id,
            organisation_id=self._state.organisation_id,
            priority_code=self._state.priority_code,
            stage=self._state.stage.value,
            seq=self._state.seq,
            **fields,
        )
        event = build_event(event_id=str(workflow.uuid4()), data=data, time=workflow.now())
        await workflow.execute_activity(
            "publish_event",
            PublishEventInput(event=event),
            start_to_close_timeout=PUBLISH_TIMEOUT,
            retry_policy=PUBLISH_RETRY,
        )
        return event
