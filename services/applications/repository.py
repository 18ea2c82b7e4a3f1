"""Queries on the applications service's tables, and the read model's event projection."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.models import (
    Application,
    ApplicationEvent,
    FundingPriority,
    Organisation,
)
from shared.events import CloudEvent
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


async def get_organisation(*, session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise not_found("organisation", organisation_id)
    return organisation


async def list_organisations(
    *, session: AsyncSession, page: PageParams, applicant_type: str | None = None
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
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
    priority_code: str | None = None,
    organisation_id: str | None = None,
    applicant_type: str | None = None,
    report_overdue: bool | None = None,
) -> tuple[list[Application], int]:
    query = select(Application)
    if stage:
        query = query.where(Application.stage == stage)
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
    return True


def _project(application: Application, event_type: str, data: dict[str, Any], at: datetime) -> None:
    application.stage = str(data["stage"])
    application.updated_at = at
    name = event_type.rsplit(".", 1)[-1]
    if name in ("submitted", "resubmitted"):
        application.requested_amount = Decimal(str(data["requested_amount"]))
    elif name == "ineligible":
        application.ineligible_reasons = [str(r) for r in data["reasons"]]
    elif name == "approved":
        application.granted_amount = Decimal(str(data["granted_amount"]))
        application.final_report_due_at = datetime.fromisoformat(str(data["final_report_due_at"]))
    elif name == "report_overdue":
        application.report_overdue = True
    elif name == "report_submitted":
        application.spent_amount = Decimal(str(data["spent_amount"]))
