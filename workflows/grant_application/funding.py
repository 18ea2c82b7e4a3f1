"""Commands of the funding period: Mittelabruf, Änderungsantrag, reports, Rückforderung."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.application import (
        ApplicationClosed,
        ChangeDecided,
        ChangeRequested,
        FinalReportSubmitted,
        InterimReportSubmitted,
        PaymentApproved,
        PaymentRejected,
        PaymentRequested,
        ReclaimSet,
        RepaymentRecorded,
        ReportCorrectionsRequested,
    )
    from shared.contracts.grants import (
        ApplicationStage,
        ChangeKind,
        ChangeRequest,
        ChangeStatus,
        CommandResult,
        DecideChangeCommand,
        DecidePaymentCommand,
        GrantApplicationUpdates,
        Payment,
        PaymentStatus,
        RecordRepaymentCommand,
        ReportDeadline,
        ReportOutcome,
        RequestChangeCommand,
        RequestPaymentCommand,
        ReviewReportCommand,
        SubmitReportCommand,
    )
    from shared.temporal import REPORT_DUE
    from workflows.grant_application import deadlines
    from workflows.grant_application.base import GrantWorkflowBase, conflict, invalid

Stage = ApplicationStage
REPORTING = (Stage.active, Stage.report_corrections)


class FundingCommands(GrantWorkflowBase):
    # -- Mittelabruf ------------------------------------------------------------------------

    @workflow.update(name=GrantApplicationUpdates.request_payment.name)
    async def request_payment(self, command: RequestPaymentCommand) -> CommandResult:
        self._state.payments.append(
            Payment(
                payment_id=command.payment_id, amount=command.amount, requested_by=command.actor
            )
        )
        event = await self._emit(
            PaymentRequested,
            actor=command.actor,
            payment_id=command.payment_id,
            amount=command.amount,
        )
        return self._result([event])

    @request_payment.validator
    def _validate_request_payment(self, command: RequestPaymentCommand) -> None:
        state = self._state
        if state.stage is not Stage.active:
            raise conflict("request a payment", state.stage)
        if state.payment(command.payment_id) is not None:
            raise conflict(f"request payment {command.payment_id} again", state.stage)
        assert state.granted_amount is not None
        available = state.granted_amount - state.paid() - state.pending()
        if command.amount > available:
            raise invalid(
                f"amount {command.amount} exceeds what remains to be called "
                f"({available} of {state.granted_amount} granted)"
            )

    @workflow.update(name=GrantApplicationUpdates.decide_payment.name)
    async def decide_payment(self, command: DecidePaymentCommand) -> CommandResult:
        payment = self._state.payment(command.payment_id)
        assert payment is not None
        common = {
            "actor": command.actor,
            "payment_id": payment.payment_id,
            "amount": payment.amount,
        }
        if command.approve:
            payment.status = PaymentStatus.approved
            event = await self._emit(PaymentApproved, paid_total=self._state.paid(), **common)
        else:
            payment.status = PaymentStatus.rejected
            event = await self._emit(PaymentRejected, **common)
        return self._result([event])

    @decide_payment.validator
    def _validate_decide_payment(self, command: DecidePaymentCommand) -> None:
        payment = self._state.payment(command.payment_id)
        if payment is None:
            raise invalid(f"payment {command.payment_id} does not exist")
        if payment.status is not PaymentStatus.requested:
            raise conflict(
                f"decide payment {payment.payment_id} ({payment.status.value})", self._state.stage
            )

    # -- Änderungsantrag --------------------------------------------------------------------

    @workflow.update(name=GrantApplicationUpdates.request_change.name)
    async def request_change(self, command: RequestChangeCommand) -> CommandResult:
        self._state.changes.append(
            ChangeRequest(
                change_id=command.change_id,
                kind=command.kind,
                new_period_end=command.new_period_end,
                requested_by=command.actor,
            )
        )
        event = await self._emit(
            ChangeRequested,
            actor=command.actor,
            change_id=command.change_id,
            kind=command.kind.value,
            new_period_end=command.new_period_end,
        )
        return self._result([event])

    @request_change.validator
    def _validate_request_change(self, command: RequestChangeCommand) -> None:
        state = self._state
        if state.stage is not Stage.active:
            raise conflict("request a change", state.stage)
        if any(c.status is ChangeStatus.requested for c in state.changes):
            raise conflict("request a second change while one is open", state.stage)
        if state.change(command.change_id) is not None:
            raise conflict(f"request change {command.change_id} again", state.stage)
        end = command.new_period_end
        if command.kind is ChangeKind.extension and (
            end is None or end <= state.funding_period_end
        ):
            raise invalid(f"an extension needs a new_period_end after {state.funding_period_end}")
        if command.kind is ChangeKind.extension:
            assert end is not None
            self._refuse_unschedulable(end)

    @workflow.update(name=GrantApplicationUpdates.decide_change.name)
    async def decide_change(self, command: DecideChangeCommand) -> CommandResult:
        state = self._state
        change = state.change(command.change_id)
        assert change is not None
        change.status = ChangeStatus.approved if command.approve else ChangeStatus.rejected
        if command.approve and change.kind is ChangeKind.extension:
            assert change.new_period_end is not None
            state.funding_period_end = change.new_period_end
            state.reports = deadlines.report_schedule(state, self._deadlines)
        final = state.final_report()
        assert final is not None
        workflow.upsert_search_attributes([REPORT_DUE.value_set(final.due)])
        self._wake += 1
        event = await self._emit(
            ChangeDecided,
            actor=command.actor,
            change_id=change.change_id,
            kind=change.kind.value,
            approved=command.approve,
            funding_period_end=state.funding_period_end,
            final_report_due_at=final.due,
        )
        return self._result([event])

    @decide_change.validator
    def _validate_decide_change(self, command: DecideChangeCommand) -> None:
        change = self._state.change(command.change_id)
        if change is None:
            raise invalid(f"change request {command.change_id} does not exist")
        if change.status is not ChangeStatus.requested:
            raise conflict(
                f"decide change {change.change_id} ({change.status.value})", self._state.stage
            )
        if command.actor == change.requested_by:
            raise invalid(f"{command.actor} requested this change and may not decide it")
        if command.approve and change.kind is ChangeKind.extension:
            assert change.new_period_end is not None
            self._refuse_unschedulable(change.new_period_end)

    # -- reports ----------------------------------------------------------------------------

    @workflow.update(name=GrantApplicationUpdates.submit_report.name)
    async def submit_report(self, command: SubmitReportCommand) -> CommandResult:
        report = self._report(command.number)
        report.submitted = True
        self._wake += 1
        if not report.final:
            event = await self._emit(
                InterimReportSubmitted,
                actor=command.actor,
                report_number=report.number,
                overdue=report.overdue,
            )
            return self._result([event])
        self._state.spent_amount = command.spent_amount
        self._set_stage(Stage.report_submitted)
        event = await self._emit(
            FinalReportSubmitted,
            actor=command.actor,
            spent_amount=command.spent_amount,
            overdue=report.overdue,
        )
        return self._result([event])

    @submit_report.validator
    def _validate_submit_report(self, command: SubmitReportCommand) -> None:
        state = self._state
        report = next((r for r in state.reports if r.number == command.number), None)
        if report is None or state.stage not in REPORTING:
            what = "the final report" if command.number == 0 else f"report {command.number}"
            raise conflict(f"submit {what}", state.stage)
        if report.submitted:
            raise conflict(f"submit report {command.number} twice", state.stage)
        if report.final:
            if command.spent_amount is None:
                raise invalid("spent_amount is required for the final report")
            assert state.granted_amount is not None
            if command.spent_amount > state.granted_amount:
                raise invalid(
                    f"spent_amount {command.spent_amount} exceeds the granted "
                    f"{state.granted_amount}"
                )

    @workflow.update(name=GrantApplicationUpdates.review_report.name)
    async def review_report(self, command: ReviewReportCommand) -> CommandResult:
        state = self._state
        if command.outcome is ReportOutcome.accept:
            return self._result([await self._close(command.actor)])
        if command.outcome is ReportOutcome.request_corrections:
            report = state.final_report()
            assert report is not None
            new_due = workflow.now() + deadlines.days(self._deadlines.report_grace_days)
            report.due, report.submitted, report.overdue = new_due, False, False
            report.reminded, report.grace_due, report.escalated = [], None, False
            self._set_stage(Stage.report_corrections)
            event = await self._emit(
                ReportCorrectionsRequested, actor=command.actor, final_report_due_at=new_due
            )
            return self._result([event])
        state.reclaim_amount = command.reclaim_amount
        self._set_stage(Stage.reclaim)
        event = await self._emit(
            ReclaimSet, actor=command.actor, reclaim_amount=command.reclaim_amount
        )
        return self._result([event])

    @review_report.validator
    def _validate_review_report(self, command: ReviewReportCommand) -> None:
        state = self._state
        if state.stage is not Stage.report_submitted:
            raise conflict("review the final report", state.stage)
        if command.outcome is ReportOutcome.reclaim:
            if command.reclaim_amount is None:
                raise invalid("reclaim_amount is required to reclaim funds")
            if command.reclaim_amount > state.paid():
                raise invalid(
                    f"reclaim_amount {command.reclaim_amount} exceeds the {state.paid()} paid"
                )

    @workflow.update(name=GrantApplicationUpdates.record_repayment.name)
    async def record_repayment(self, command: RecordRepaymentCommand) -> CommandResult:
        state = self._state
        state.repaid_amount += command.amount
        assert state.reclaim_amount is not None
        outstanding = state.reclaim_amount - state.repaid_amount
        events = [
            await self._emit(
                RepaymentRecorded,
                actor=command.actor,
                amount=command.amount,
                repaid_total=state.repaid_amount,
                outstanding=outstanding,
            )
        ]
        if outstanding == 0:
            events.append(await self._close(command.actor))
        return self._result(events)

    @record_repayment.validator
    def _validate_repayment(self, command: RecordRepaymentCommand) -> None:
        state = self._state
        if state.stage is not Stage.reclaim or state.reclaim_amount is None:
            raise conflict("record a repayment", state.stage)
        outstanding = state.reclaim_amount - state.repaid_amount
        if command.amount > outstanding:
            raise invalid(f"amount {command.amount} exceeds the {outstanding} outstanding")

    # -- helpers ----------------------------------------------------------------------------

    def _refuse_unschedulable(self, period_end: date) -> None:
        """An extension to ``period_end`` must leave report deadlines that can be computed
        (the handler reschedules them; a date past year 9999 would fail every task)."""
        extended = self._state.model_copy(update={"funding_period_end": period_end})
        problem = deadlines.schedule_problem(extended, self._deadlines)
        if problem is not None:
            raise invalid(f"cannot extend the funding period: {problem}")

    def _report(self, number: int) -> ReportDeadline:
        return next(r for r in self._state.reports if r.number == number)

    async def _close(self, actor: str) -> CloudEvent:
        state = self._state
        self._set_stage(Stage.closed)
        return await self._emit(
            ApplicationClosed,
            actor=actor,
            granted_amount=state.granted_amount,
            spent_amount=state.spent_amount,
            paid_amount=state.paid(),
            reclaimed_amount=state.reclaim_amount or Decimal("0"),
        )
