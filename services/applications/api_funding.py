"""HTTP routes of the funding period: payments, change requests, reports, repayments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from services.applications import funding
from services.applications.access import ApplicantSide, Officer
from services.applications.api import ApplicationView, application_view
from services.applications.schemas import (
    ApproveIn,
    ChangeRequestIn,
    FinalReportIn,
    InterimReportIn,
    PaymentIn,
    RepaymentIn,
    ReportReviewIn,
)
from shared.auth import Actor
from shared.contracts.grants import (
    DecideChangeCommand,
    DecidePaymentCommand,
    RecordRepaymentCommand,
    RequestPaymentCommand,
)
from shared.deps import IdempotencyKey, SessionDep, TemporalDep

router = APIRouter(prefix="/applications/{application_id}", tags=["funding period"])


async def _run(*, session: SessionDep, viewer: Actor, **command: Any) -> ApplicationView:
    """Send one funding-period command and answer with the application."""
    application = await funding.command(session=session, **command)
    return await application_view(session, application, viewer)


@router.post("/payments")
async def request_payment(
    application_id: str,
    body: PaymentIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """Mittelabruf: ask for part of the granted amount (never more than remains)."""
    payload = RequestPaymentCommand(
        actor=actor.user, payment_id=funding.new_id(), amount=body.amount
    )
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="request_payment",
        payload=payload,
        idempotency_key=idempotency_key,
    )


@router.post("/payments/{payment_id}/decision")
async def decide_payment(
    application_id: str,
    payment_id: str,
    body: ApproveIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Officer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    payload = DecidePaymentCommand(actor=actor.user, payment_id=payment_id, approve=body.approve)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="decide_payment",
        payload=payload,
        idempotency_key=idempotency_key,
    )


@router.post("/change-requests")
async def request_change(
    application_id: str,
    body: ChangeRequestIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """Änderungsantrag: a later end of the funding period, or a shift between cost lines."""
    payload, document = funding.change_request(actor.user, body)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="request_change",
        payload=payload,
        idempotency_key=idempotency_key,
        document=document,
        actor=actor.user,
    )


@router.post("/change-requests/{change_id}/decision")
async def decide_change(
    application_id: str,
    change_id: str,
    body: ApproveIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Officer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """An approved extension moves the report deadlines with it."""
    payload = DecideChangeCommand(actor=actor.user, change_id=change_id, approve=body.approve)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="decide_change",
        payload=payload,
        idempotency_key=idempotency_key,
    )


@router.post("/interim-reports/{number}")
async def submit_interim_report(
    application_id: str,
    number: Annotated[int, Path(ge=1, le=20)],
    body: InterimReportIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """Zwischennachweis for funding year ``number``."""
    payload, document = funding.interim_report(actor.user, number, body)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="submit_report",
        payload=payload,
        idempotency_key=idempotency_key,
        document=document,
        actor=actor.user,
    )


@router.post("/final-report")
async def submit_final_report(
    application_id: str,
    body: FinalReportIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """Verwendungsnachweis: Sachbericht and the actual costs per cost line."""
    payload, document = funding.final_report(actor.user, body)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="submit_report",
        payload=payload,
        idempotency_key=idempotency_key,
        document=document,
        actor=actor.user,
    )


@router.post("/final-report/review")
async def review_final_report(
    application_id: str,
    body: ReportReviewIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Officer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """accept (closed) | request_corrections (new deadline) | reclaim (Rückforderung)."""
    payload, document = funding.report_review(actor.user, body)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="review_report",
        payload=payload,
        idempotency_key=idempotency_key,
        document=document,
        actor=actor.user,
    )


@router.post("/repayments")
async def record_repayment(
    application_id: str,
    body: RepaymentIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Officer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """A repayment of reclaimed funds; the application closes once all is repaid."""
    payload = RecordRepaymentCommand(actor=actor.user, amount=body.amount)
    return await _run(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="record_repayment",
        payload=payload,
        idempotency_key=idempotency_key,
    )
