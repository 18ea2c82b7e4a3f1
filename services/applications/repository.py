"""Queries on the applications service's tables, and the read model's event projection."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.models import (
    Application,
    ApplicationEvent,
    FundingPriority,
    Organisation,
    PaymentRecord,
    RoundPriority,
)
from services.applications.rounds import release
from shared.contracts.envelope import CloudEvent
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


async def get_organisation(*, session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise not_found("organisation", organisation_id)
    return organisation


async def list_organisations(
    *,
    session: AsyncSession,
    page: PageParams,
    applicant_type: str | None = None,
    only_id: str | None = None,
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
    if only_id is not None:
        query = query.where(Organisation.id == only_id)
    if applicant_type:
        query = query.where(Organisation.applicant_type == applicant_type)
    return await fetch_page(session, query.order_by(Organisation.name, Organisation.id), page)


async def list_priorities(*, session: AsyncSession) -> list[FundingPriority]:
    result = await session.scalars(select(FundingPriority).order_by(FundingPriority.number))
    return list(result)


async def get_priority(*, session: AsyncSession, code: str) -> FundingPriority:
    priority = await session.get(FundingPriority, code)
    if priority is None:
        raise not_found("funding priority", code)
    return priority


async def get_application(*, session: AsyncSession, application_id: str) -> Application:
    application = await session.get(Application, application_id)
    if application is None:
        raise not_found("application", application_id)
    return application


async def list_applications(
    *,
    session: AsyncSession,
    page: PageParams,
    stage: str | None = None,
    round_id: str | None = None,
    priority_code: str | None = None,
    organisation_id: str | None = None,
    applicant_type: str | None = None,
    report_overdue: bool | None = None,
    reviewer: str | None = None,
) -> tuple[list[Application], int]:
    query = select(Application)
    if reviewer:
        query = query.where(Application.reviewer == reviewer)
    if stage:
        query = query.where(Application.stage == stage)
    if round_id:
        query = query.where(Application.round_id == round_id)
    if priority_code:
        query = query.where(Application.priority_code == priority_code)
    if organisation_id:
        query = query.where(Application.organisation_id == organisation_id)
    if report_overdue is not None:
        query = query.where(Application.report_overdue == report_overdue)
    if applicant_type:
        query = query.join(Organisation).where(Organisation.applicant_type == applicant_type)
    return await fetch_page(
        session, query.order_by(Application.created_at.desc(), Application.id), page
    )


async def history(*, session: AsyncSession, application_id: str) -> list[ApplicationEvent]:
    result = await session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.seq)
    )
    return list(result)


async def apply_event(*, session: AsyncSession, event: CloudEvent) -> bool:
    """Project one workflow event onto the read model, at most once per event id.

    Both the API (with an update's result) and the event consumer call this; whichever
    comes second finds the event recorded and changes nothing. Returns whether it applied.
    """
    if await session.get(ApplicationEvent, event.id) is not None:
        return False
    data = event.data
    application = await session.get(Application, data["application_id"], populate_existing=True)
    if application is None:
        return False  # not ours (e.g. another installation sharing the stream)
    seq = int(data["seq"])
    session.add(
        ApplicationEvent(
            event_id=event.id,
            application_id=application.id,
            seq=seq,
            type=event.type,
            stage=data["stage"],
            actor=data.get("actor"),
            time=event.time,
            data=data,
        )
    )
    try:
        await session.flush()
    except IntegrityError:  # the other path recorded it a moment ago
        await session.rollback()
        return False
    if seq > application.seq:
        _project(application, event.type, data, event.time)
        application.seq = seq
    await _side_effects(session, application, event.type, data, event.time)
    return True


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def _when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _project(application: Application, event_type: str, data: dict[str, Any], at: datetime) -> None:
    """The row's fields that the newest event decides."""
    application.stage = str(data["stage"])
    application.updated_at = at
    name = event_type.rsplit(".", 1)[-1]
    if name in ("submitted", "resubmitted"):
        application.requested_amount = _money(data["requested_amount"])
    elif name == "ineligible":
        application.ineligible_reasons = [str(r) for r in data["reasons"]]
    elif name == "reviewer_assigned":
        application.reviewer = data["reviewer"]
        application.recommendation = None
    elif name == "reviewed":
        application.review_score = int(data["total_score"])
        application.review_max_score = int(data["max_score"])
        application.recommendation = data["recommendation"]
    elif name == "approved":
        application.granted_amount = _money(data["granted_amount"])
        application.final_report_due_at = _when(data["final_report_due_at"])
        application.decided_by, application.decided_at = data.get("actor"), at
    elif name == "rejected":
        application.granted_amount = None
        application.decided_by, application.decided_at = data.get("actor"), at
    elif name == "appeal_lodged":
        application.recommendation = None
    elif name == "decision_final":
        application.decision_final = True
    elif name in ("funding_started", "change_decided", "report_corrections_requested"):
        application.final_report_due_at = _when(data["final_report_due_at"])
        application.report_overdue = application.report_escalated = False
        if name == "change_decided":
            application.funding_period_end = date.fromisoformat(data["funding_period_end"])
    elif name == "payment_approved":
        application.paid_amount = _money(data["paid_total"])
    elif name == "report_overdue":
        application.report_overdue = True
    elif name == "report_escalated":
        application.report_escalated = True
    elif name == "report_submitted":
        application.spent_amount = _money(data["spent_amount"])
        application.report_overdue = application.report_escalated = False
    elif name == "reclaim_set":
        application.reclaim_amount = _money(data["reclaim_amount"])
    elif name == "repayment_recorded":
        application.repaid_amount = _money(data["repaid_total"])


async def _side_effects(
    session: AsyncSession,
    application: Application,
    event_type: str,
    data: dict[str, Any],
    at: datetime,
) -> None:
    """Effects beyond the row, applied once per event (the event id guards them)."""
    name = event_type.rsplit(".", 1)[-1]
    if name in ("rejected", "withdrawn"):
        await release(session=session, application_id=application.id)
    elif name == "payment_requested":
        session.add(
            PaymentRecord(
                id=data["payment_id"],
                application_id=application.id,
                amount=_money(data["amount"]),
                status="requested",
                requested_at=at,
                requested_by=data.get("actor"),
            )
        )
    elif name in ("payment_approved", "payment_rejected"):
        payment = await session.get(PaymentRecord, data["payment_id"])
        if payment is not None:
            payment.status = "approved" if name == "payment_approved" else "rejected"
            payment.decided_at, payment.decided_by = at, data.get("actor")
        if name == "payment_approved" and application.round_id is not None:
            await session.execute(
                update(RoundPriority)
                .where(
                    RoundPriority.round_id == application.round_id,
                    RoundPriority.priority_code == application.priority_code,
                )
                .values(paid=RoundPriority.paid + _money(data["amount"]))
            )


async def payments(*, session: AsyncSession, application_id: str) -> list[PaymentRecord]:
    result = await session.scalars(
        select(PaymentRecord)
        .where(PaymentRecord.application_id == application_id)
        .order_by(PaymentRecord.requested_at)
    )
    return list(result)
