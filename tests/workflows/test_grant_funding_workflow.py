"""GrantApplicationWorkflow's funding period on the time-skipping server: report deadlines,
extensions, payments and a reclaim."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from shared.contracts.grants import (
    ApplicationStage,
    ChangeKind,
    DecideChangeCommand,
    DecidePaymentCommand,
    GrantApplicationUpdates,
    RecordRepaymentCommand,
    ReportOutcome,
    RequestChangeCommand,
    RequestPaymentCommand,
    ReviewReportCommand,
    SubmitReportCommand,
)
from shared.contracts.report_dates import add_months
from tests.workflows.conftest import Harness
from tests.workflows.grant_steps import (
    approved_and_final,
    current_state,
)
from tests.workflows.handles import update


async def _sleep_until(harness: Harness, moment: datetime) -> None:
    await harness.env.sleep(moment - await harness.env.get_current_time())


async def test_missed_final_report_is_reminded_then_overdue_then_escalated(
    harness: Harness,
) -> None:
    handle, application_id = await approved_and_final(harness, period_months=12)
    state = await current_state(handle)
    final = state.final_report()
    assert final is not None
    assert final.due.date() == add_months(state.funding_period_end, 6)
    assert [r.number for r in state.reports] == [0]  # a one-year period owes no interim report

    def types() -> list[str]:
        return harness.published.types(application_id)

    await _sleep_until(harness, final.due - timedelta(days=29))
    assert "report_reminder" not in types()
    await _sleep_until(harness, final.due - timedelta(days=27))
    assert types()[-1] == "report_reminder"
    await _sleep_until(harness, final.due - timedelta(days=6))
    assert types().count("report_reminder") == 2  # 28 and 7 days before
    await _sleep_until(harness, final.due + timedelta(days=1))
    assert types()[-1] == "report_overdue"
    overdue = harness.published.events[-1]
    assert overdue.data["new_due_at"] is not None
    await _sleep_until(harness, final.due + timedelta(days=29))  # past the extra 28 days
    assert types()[-1] == "report_escalated"

    late = await update(
        handle,
        GrantApplicationUpdates.submit_report,
        SubmitReportCommand(actor="verein", spent_amount=Decimal("0")),
    )
    assert late.events[0].data["overdue"] is True
    await update(
        handle,
        GrantApplicationUpdates.review_report,
        ReviewReportCommand(actor="petra", outcome=ReportOutcome.accept),
    )
    assert (await handle.result()).stage is ApplicationStage.closed


async def test_interim_reports_fall_due_each_funding_year(harness: Harness) -> None:
    handle, application_id = await approved_and_final(harness, period_months=36)
    state = await current_state(handle)
    assert [r.number for r in state.reports] == [1, 2, 0]
    first = state.reports[0]
    assert first.due.date() == add_months(add_months(state.funding_period_start, 12), 3)
    await _sleep_until(harness, first.due - timedelta(days=27))
    assert harness.published.types(application_id)[-1] == "interim_report_reminder"
    await update(
        handle, GrantApplicationUpdates.submit_report, SubmitReportCommand(actor="verein", number=1)
    )
    await _sleep_until(harness, first.due + timedelta(days=2))
    assert "interim_report_overdue" not in harness.published.types(application_id)


async def test_approved_extension_moves_the_report_deadline(harness: Harness) -> None:
    handle, application_id = await approved_and_final(harness, period_months=12)
    state = await current_state(handle)
    old_due = state.final_report()
    assert old_due is not None
    new_end = add_months(state.funding_period_end, 6)
    await update(
        handle,
        GrantApplicationUpdates.request_change,
        RequestChangeCommand(
            actor="verein", change_id="c1", kind=ChangeKind.extension, new_period_end=new_end
        ),
    )
    decided = await update(
        handle,
        GrantApplicationUpdates.decide_change,
        DecideChangeCommand(actor="petra", change_id="c1", approve=True),
    )
    new_due = decided.state.final_report()
    assert new_due is not None
    assert new_due.due.date() == add_months(new_end, 6)
    await _sleep_until(harness, old_due.due + timedelta(days=2))
    assert "report_overdue" not in harness.published.types(application_id)
    await _sleep_until(harness, new_due.due + timedelta(days=1))
    assert harness.published.types(application_id)[-1] == "report_overdue"


async def test_reclaim_is_repaid_then_closed(harness: Harness) -> None:
    handle, application_id = await approved_and_final(harness, period_months=12)
    payment = str(uuid.uuid4())
    await update(
        handle,
        GrantApplicationUpdates.request_payment,
        RequestPaymentCommand(actor="verein", payment_id=payment, amount=Decimal("25000")),
    )
    paid = await update(
        handle,
        GrantApplicationUpdates.decide_payment,
        DecidePaymentCommand(actor="petra", payment_id=payment, approve=True),
    )
    assert paid.state.paid() == Decimal("25000")
    await update(
        handle,
        GrantApplicationUpdates.submit_report,
        SubmitReportCommand(actor="verein", spent_amount=Decimal("21000")),
    )
    await update(
        handle,
        GrantApplicationUpdates.review_report,
        ReviewReportCommand(
            actor="petra", outcome=ReportOutcome.reclaim, reclaim_amount=Decimal("4000")
        ),
    )
    part = await update(
        handle,
        GrantApplicationUpdates.record_repayment,
        RecordRepaymentCommand(actor="kasse", amount=Decimal("1500")),
    )
    assert part.state.stage is ApplicationStage.reclaim
    rest = await update(
        handle,
        GrantApplicationUpdates.record_repayment,
        RecordRepaymentCommand(actor="kasse", amount=Decimal("2500")),
    )
    assert rest.state.stage is ApplicationStage.closed
    closed = rest.events[-1]
    assert closed.type == "wir.application.closed"
    assert closed.data["reclaimed_amount"] == "4000"
    assert harness.published.types(application_id)[-7:] == [
        "payment_requested",
        "payment_approved",
        "report_submitted",
        "reclaim_set",
        "repayment_recorded",
        "repayment_recorded",
        "closed",
    ]
