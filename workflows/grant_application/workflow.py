"""``GrantApplicationWorkflow``: one grant application from submission to closure.

Review run:  submitted ─(eligibility)─> ineligible | in_review ─decide─> approved | rejected
             in_review ─request_changes─> changes_requested ─resubmit─> in_review
             withdraw before a decision; after it the appeal window (Widerspruch) runs:
             appeal ─> in_review ─decide─> final | window over / waived ─> final (Bestandskraft)
Funding run (continue-as-new once an approval is final): active ─ payments, change requests,
             interim reports ─> final report ─review─> closed | corrections
             | reclaim ─repay─> closed
Every deadline is a durable timer computed from the state, so an approved extension moves it.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair

with workflow.unsafe.imports_passed_through():
    from shared.contracts.eligibility import EligibilityResult
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.application import (
        AppealLodged,
        ApplicationIneligible,
        ApplicationReviewStarted,
        ApplicationSubmitted,
        DecisionFinal,
        FinalReportEscalated,
        FinalReportOverdue,
        FinalReportReminder,
        FundingStarted,
        InterimReportOverdue,
        InterimReportReminder,
        ReviewOverdue,
    )
    from shared.contracts.grants import KIND as GRANT_KIND
    from shared.contracts.grants import (
        WORKFLOW_NAME,
        AppealCommand,
        ApplicationStage,
        CommandResult,
        GrantApplicationInput,
        GrantApplicationQueries,
        GrantApplicationState,
        GrantApplicationUpdates,
    )
    from shared.temporal import KIND, PRIORITY, REPORT_DUE, ROUND, STAGE
    from workflows.grant_application import deadlines
    from workflows.grant_application.activities import EligibilityCheckInput, check_eligibility
    from workflows.grant_application.base import conflict
    from workflows.grant_application.funding import FundingCommands
    from workflows.grant_application.review import ReviewCommands

Stage = ApplicationStage
DECIDED = (Stage.approved, Stage.rejected)


@workflow.defn(name=WORKFLOW_NAME)
class GrantApplicationWorkflow(ReviewCommands, FundingCommands):
    """The run method and phases; commands live in the review and funding mixins."""

    @workflow.init
    def __init__(self, input: GrantApplicationInput) -> None:
        super().__init__(input)

    @workflow.run
    async def run(self, input: GrantApplicationInput) -> GrantApplicationState:
        self._upsert_missing(
            [
                SearchAttributePair(KIND, GRANT_KIND),
                SearchAttributePair(PRIORITY, input.priority_code),
                SearchAttributePair(ROUND, input.round_id),
                SearchAttributePair(STAGE, self._state.stage.value),
            ]
        )
        if input.resume is None:
            if not await self._review_phase() or not await self._appeal_phase():
                await workflow.wait_condition(workflow.all_handlers_finished)
                return self._state
            await self._start_funding()
            await workflow.wait_condition(workflow.all_handlers_finished)
            workflow.continue_as_new(input.model_copy(update={"resume": self._state}))
        await self._funding_phase(input)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    # -- phases ---------------------------------------------------------------------------

    async def _review_phase(self) -> bool:
        """Submission to decision. False when the application ended on the way."""
        await self._emit(
            ApplicationSubmitted,
            actor=self._input.submitted_by,
            requested_amount=self._state.requested_amount,
        )
        result = await self._check_eligibility()
        if self._state.stage is not Stage.submitted:  # withdrawn while being checked
            return False
        if not result.eligible:
            self._state.ineligible_reasons = list(result.reasons)
            self._set_stage(Stage.ineligible)
            await self._emit(ApplicationIneligible, reasons=list(result.reasons))
            return False
        self._set_stage(Stage.in_review)
        await self._emit(ApplicationReviewStarted)
        await self._await_decision_within_sla()
        return self._state.stage in DECIDED

    @staticmethod
    def _upsert_missing(pairs: list[SearchAttributePair[Any]]) -> None:
        """Set those of ``pairs`` the run does not have yet. The service starts the workflow
        with all four set and a continued run keeps them, so the first workflow task needs
        no upsert (each is a visibility write on the server)."""
        have = workflow.info().typed_search_attributes
        pairs = [pair for pair in pairs if have.get(pair.key) != pair.value]
        if pairs:
            workflow.upsert_search_attributes([p.key.value_set(p.value) for p in pairs])

    async def _check_eligibility(self) -> EligibilityResult:
        """The priority's rule, evaluated by a local activity: run by the worker inside the
        workflow task, which saves an activity task and a workflow task per application.
        The rule engine is pure, so a local activity that runs again after a lost workflow
        task gives the same result. (Events stay with the ``publish_event`` activity: a
        local activity would publish before its workflow task is in history, and a retried
        task that interleaved a command differently would give an event id already used
        to another event.)"""
        check = EligibilityCheckInput(rule=self._input.rule, applicant=self._input.applicant)
        return await workflow.execute_local_activity(
            check_eligibility, check, start_to_close_timeout=timedelta(seconds=10)
        )

    async def _await_decision_within_sla(self) -> None:
        """Wait for the decision; past the round's review period, alert the programme office
        once (wir.application.review_overdue) and go on waiting."""
        due = workflow.now() + deadlines.days(self._deadlines.review_sla_days)
        ended = (*DECIDED, Stage.withdrawn)
        try:
            await workflow.wait_condition(
                lambda: self._state.stage in ended, timeout=due - workflow.now()
            )
            return
        except TimeoutError:
            await self._emit(ReviewOverdue, review_due_at=due)
        await workflow.wait_condition(lambda: self._state.stage in ended)

    async def _appeal_phase(self) -> bool:
        """The appeal window after a decision. True when an approval became final."""
        decided_at = self._state.decided_at
        assert decided_at is not None
        closes = decided_at + deadlines.days(self._deadlines.appeal_window_days)
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: self._state.appeal_lodged or self._state.decision_final,
                timeout=max(closes - workflow.now(), timedelta(seconds=1)),
            )
        if self._state.appeal_lodged and not self._state.decision_final:
            # Widerspruch: the review reopens; its new decision is final at once.
            await workflow.wait_condition(lambda: self._state.stage in DECIDED)
        await workflow.wait_condition(workflow.all_handlers_finished)
        if not self._state.decision_final:
            await self._make_final()
        return self._state.stage is Stage.approved

    async def _make_final(self, actor: str | None = None) -> CloudEvent:
        self._state.decision_final = True
        return await self._emit(
            DecisionFinal,
            actor=actor,
            decision=self._state.stage.value,
            granted_amount=self._state.granted_amount,
        )

    async def _start_funding(self) -> None:
        self._state.reports = deadlines.report_schedule(self._state, self._deadlines)
        self._set_stage(Stage.active)
        final = self._state.final_report()
        assert final is not None and self._state.granted_amount is not None
        workflow.upsert_search_attributes([REPORT_DUE.value_set(final.due)])
        await self._emit(
            FundingStarted,
            granted_amount=self._state.granted_amount,
            funding_period_start=self._state.funding_period_start,
            funding_period_end=self._state.funding_period_end,
            final_report_due_at=final.due,
        )

    async def _funding_phase(self, input: GrantApplicationInput) -> None:
        """Sleep until the next report deadline or a command, until the application closes."""
        while self._state.stage is not Stage.closed:
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(input.model_copy(update={"resume": self._state}))
            alarm = deadlines.next_alarm(self._state, self._deadlines, workflow.now())
            if alarm is not None and alarm.at <= workflow.now():
                await self._fire(alarm)
                continue
            if not await self._woken_before(alarm):
                assert alarm is not None
                await self._fire(alarm)

    async def _woken_before(self, alarm: deadlines.Alarm | None) -> bool:
        """Wait for a command that may move a deadline, or until the alarm is due (False)."""
        seen = self._wake
        try:
            await workflow.wait_condition(
                lambda: self._wake != seen or workflow.info().is_continue_as_new_suggested(),
                timeout=None if alarm is None else alarm.at - workflow.now(),
            )
        except TimeoutError:
            return False
        return True

    async def _fire(self, alarm: deadlines.Alarm) -> None:
        report = next(r for r in self._state.reports if r.number == alarm.report)
        kind = deadlines.AlarmKind
        if alarm.kind is kind.remind:
            deadlines.mark_reminded(report, alarm.offset_days, self._deadlines)
            if report.final:
                await self._emit(FinalReportReminder, final_report_due_at=report.due)
            else:
                await self._emit(
                    InterimReportReminder, report_number=report.number, due_at=report.due
                )
        elif alarm.kind is kind.overdue:
            report.overdue = True
            if report.final:
                report.grace_due = report.due + deadlines.days(self._deadlines.report_grace_days)
                await self._emit(
                    FinalReportOverdue, final_report_due_at=report.due, new_due_at=report.grace_due
                )
            else:
                await self._emit(
                    InterimReportOverdue, report_number=report.number, due_at=report.due
                )
        else:
            report.escalated = True
            await self._emit(FinalReportEscalated, final_report_due_at=report.due)

    # -- appeal (Widerspruch) ---------------------------------------------------------------

    @workflow.update(name=GrantApplicationUpdates.appeal.name)
    async def appeal(self, command: AppealCommand) -> CommandResult:
        self._state.appeal_lodged = True
        self._state.recommendation = None
        self._set_stage(Stage.in_review)
        return self._result([await self._emit(AppealLodged, actor=command.actor)])

    @appeal.validator
    def _validate_appeal(self, command: AppealCommand) -> None:
        state = self._state
        if state.stage not in DECIDED or state.decision_final or state.appeal_lodged:
            raise conflict("lodge an appeal (the decision is final)", state.stage)
        assert state.decided_at is not None
        closes = state.decided_at + deadlines.days(self._deadlines.appeal_window_days)
        if workflow.now() >= closes:
            raise conflict(f"lodge an appeal (the window closed at {closes:%Y-%m-%d})", state.stage)

    @workflow.update(name=GrantApplicationUpdates.waive_appeal.name)
    async def waive_appeal(self, command: AppealCommand) -> CommandResult:
        """Rechtsbehelfsverzicht: the applicant accepts the decision; it is final at once."""
        return self._result([await self._make_final(command.actor)])

    @waive_appeal.validator
    def _validate_waive(self, command: AppealCommand) -> None:
        if self._state.stage not in DECIDED or self._state.decision_final:
            raise conflict("waive the appeal", self._state.stage)

    @workflow.query(name=GrantApplicationQueries.state.name)
    def state(self) -> GrantApplicationState:
        return self._state
