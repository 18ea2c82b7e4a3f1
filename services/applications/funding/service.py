"""Use cases of the funding period: Mittelabruf, Änderungsantrag, reports, Rückforderung.

Each sends one Update to the application's workflow (which checks stage and amounts) and
keeps what people wrote (reasons, Sachbericht, actual costs) in this service's tables, in
the command's one commit: once, however often the command comes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel

from services.applications.applications.commands import ApplicationCommand, Recorder, send
from services.applications.applications.models import Application, ApplicationDocument
from services.applications.funding.schemas import (
    ChangeRequestIn,
    FinalReportIn,
    InterimReportIn,
    ReportReviewIn,
)
from services.applications.rounds.queries import get_round
from shared.contracts.grants import (
    ChangeKind,
    DecideChangeCommand,
    DecidePaymentCommand,
    GrantApplicationUpdates,
    RecordRepaymentCommand,
    RequestChangeCommand,
    RequestPaymentCommand,
    ReviewReportCommand,
    SubmitReportCommand,
)
from shared.problems import ProblemError

Updates = GrantApplicationUpdates


def _document(cmd: ApplicationCommand, kind: str, ref: str, body: BaseModel) -> Recorder:
    """Keeps what the sender wrote (kind, ref, body) beside the command."""

    def record(application: Application) -> None:
        cmd.session.add(
            ApplicationDocument(
                application_id=application.id,
                kind=kind,
                ref=ref,
                body=body.model_dump(mode="json"),
                created_at=datetime.now(UTC),
                created_by=cmd.user,
            )
        )

    return record


async def request_payment(*, cmd: ApplicationCommand, amount: Decimal) -> Application:
    """Mittelabruf: part of the granted amount (the workflow refuses more than remains)."""
    command = RequestPaymentCommand(actor=cmd.user, payment_id=cmd.new_id("payment"), amount=amount)
    return await send(cmd=cmd, update=Updates.request_payment, command=command)


async def decide_payment(*, cmd: ApplicationCommand, payment_id: str, approve: bool) -> Application:
    command = DecidePaymentCommand(actor=cmd.user, payment_id=payment_id, approve=approve)
    return await send(cmd=cmd, update=Updates.decide_payment, command=command)


async def request_change(*, cmd: ApplicationCommand, data: ChangeRequestIn) -> Application:
    """An extension may not move the funding period past the round's latest end: creating
    the application with that period would have been refused the same way."""
    if data.kind is ChangeKind.extension and data.new_period_end is not None:
        assert cmd.application.round_id is not None
        funding_round = await get_round(session=cmd.session, round_id=cmd.application.round_id)
        if data.new_period_end > funding_round.period_latest_end:
            raise ProblemError(
                422,
                "Funding period outside the round",
                f"round {funding_round.id} funds periods to {funding_round.period_latest_end}; "
                f"an extension to {data.new_period_end} is beyond it",
            )
    change_id = cmd.new_id("change")
    command = RequestChangeCommand(
        actor=cmd.user, change_id=change_id, kind=data.kind, new_period_end=data.new_period_end
    )
    record = _document(cmd, "change_request", change_id, data)
    return await send(cmd=cmd, update=Updates.request_change, command=command, record=record)


async def decide_change(*, cmd: ApplicationCommand, change_id: str, approve: bool) -> Application:
    command = DecideChangeCommand(actor=cmd.user, change_id=change_id, approve=approve)
    return await send(cmd=cmd, update=Updates.decide_change, command=command)


async def submit_interim_report(
    *, cmd: ApplicationCommand, number: int, data: InterimReportIn
) -> Application:
    command = SubmitReportCommand(actor=cmd.user, number=number)
    record = _document(cmd, "interim_report", str(number), data)
    return await send(cmd=cmd, update=Updates.submit_report, command=command, record=record)


async def submit_final_report(*, cmd: ApplicationCommand, data: FinalReportIn) -> Application:
    command = SubmitReportCommand(actor=cmd.user, number=0, spent_amount=data.spent_amount)
    record = _document(cmd, "final_report", "0", data)
    return await send(cmd=cmd, update=Updates.submit_report, command=command, record=record)


async def review_report(*, cmd: ApplicationCommand, data: ReportReviewIn) -> Application:
    command = ReviewReportCommand(
        actor=cmd.user, outcome=data.outcome, reclaim_amount=data.reclaim_amount
    )
    record = _document(cmd, "report_review", "0", data)
    return await send(cmd=cmd, update=Updates.review_report, command=command, record=record)


async def record_repayment(*, cmd: ApplicationCommand, amount: Decimal) -> Application:
    command = RecordRepaymentCommand(actor=cmd.user, amount=amount)
    return await send(cmd=cmd, update=Updates.record_repayment, command=command)
