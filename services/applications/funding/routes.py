"""HTTP routes of the funding period: payments, change requests, reports, repayments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.applications.access import ApplicantCommandDep, OfficerCommandDep
from services.applications.applications.schemas import ApplicationOut
from services.applications.applications.views import answer
from services.applications.funding import service
from services.applications.funding.schemas import (
    ApproveIn,
    ChangeRequestIn,
    FinalReportIn,
    InterimReportIn,
    PaymentIn,
    RepaymentIn,
    ReportReviewIn,
)

router = APIRouter(prefix="/applications/{application_id}", tags=["funding period"])


@router.post("/payments")
async def request_payment(body: PaymentIn, cmd: ApplicantCommandDep) -> ApplicationOut:
    """Mittelabruf: ask for part of the granted amount (never more than remains)."""
    return await answer(cmd, await service.request_payment(cmd=cmd, amount=body.amount))


@router.post("/payments/{payment_id}/decision")
async def decide_payment(
    payment_id: str, body: ApproveIn, cmd: OfficerCommandDep
) -> ApplicationOut:
    application = await service.decide_payment(cmd=cmd, payment_id=payment_id, approve=body.approve)
    return await answer(cmd, application)


@router.post("/change-requests")
async def request_change(body: ChangeRequestIn, cmd: ApplicantCommandDep) -> ApplicationOut:
    """Änderungsantrag: a later end of the funding period, or a shift between cost lines."""
    return await answer(cmd, await service.request_change(cmd=cmd, data=body))


@router.post("/change-requests/{change_id}/decision")
async def decide_change(change_id: str, body: ApproveIn, cmd: OfficerCommandDep) -> ApplicationOut:
    """An approved extension moves the report deadlines with it."""
    application = await service.decide_change(cmd=cmd, change_id=change_id, approve=body.approve)
    return await answer(cmd, application)


@router.post("/interim-reports/{number}")
async def submit_interim_report(
    number: Annotated[int, Path(ge=1, le=20)], body: InterimReportIn, cmd: ApplicantCommandDep
) -> ApplicationOut:
    """Zwischennachweis for funding year ``number``."""
    application = await service.submit_interim_report(cmd=cmd, number=number, data=body)
    return await answer(cmd, application)


@router.post("/final-report")
async def submit_final_report(body: FinalReportIn, cmd: ApplicantCommandDep) -> ApplicationOut:
    """Verwendungsnachweis: Sachbericht and the actual costs per cost line."""
    return await answer(cmd, await service.submit_final_report(cmd=cmd, data=body))


@router.post("/final-report/review")
async def review_final_report(body: ReportReviewIn, cmd: OfficerCommandDep) -> ApplicationOut:
    """accept (closed) | request_corrections (new deadline) | reclaim (Rückforderung)."""
    return await answer(cmd, await service.review_report(cmd=cmd, data=body))


@router.post("/repayments")
async def record_repayment(body: RepaymentIn, cmd: OfficerCommandDep) -> ApplicationOut:
    """A repayment of reclaimed funds; the application closes once all is repaid."""
    return await answer(cmd, await service.record_repayment(cmd=cmd, amount=body.amount))
