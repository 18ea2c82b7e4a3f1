"""Reads of applications: one, a filtered page, its history, payments and revisions."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationRevision,
)
from services.applications.applications.schemas import FieldChange, RevisionDiff, content_out
from services.applications.catalogue.models import Organisation
from services.applications.funding.models import PaymentRecord
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found
from shared.search import contains, starts_with


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
    q: str | None = None,
) -> tuple[list[Application], int]:
    """``q``: the start of a file number, or part of the title or the organisation's name,
    case and accents aside."""
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
    if applicant_type or q:
        query = query.join(Organisation, Organisation.id == Application.organisation_id)
    if applicant_type:
        query = query.where(Organisation.applicant_type == applicant_type)
    if q:
        query = query.where(
            or_(
                starts_with(func.lower(Application.file_number), q),
                contains(Application.title_key, q),
                contains(Organisation.name_key, q),
            )
        )
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


async def payments(*, session: AsyncSession, application_id: str) -> list[PaymentRecord]:
    result = await session.scalars(
        select(PaymentRecord)
        .where(PaymentRecord.application_id == application_id)
        .order_by(PaymentRecord.requested_at)
    )
    return list(result)


async def revisions(*, session: AsyncSession, application_id: str) -> list[ApplicationRevision]:
    await get_application(session=session, application_id=application_id)
    result = await session.scalars(
        select(ApplicationRevision)
        .where(ApplicationRevision.application_id == application_id)
        .order_by(ApplicationRevision.number)
    )
    return list(result)


async def compare(
    *, session: AsyncSession, application_id: str, from_revision: int, to_revision: int
) -> RevisionDiff:
    """What changed between two revisions, field by field."""
    rows = await revisions(session=session, application_id=application_id)
    by_number = {r.number: content_out(r.content) for r in rows}  # "0" and "0.00" alike
    for number in (from_revision, to_revision):
        if number not in by_number:
            raise not_found(f"revision of application {application_id}", str(number))
    before, after = by_number[from_revision], by_number[to_revision]
    changes = [
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]
    return RevisionDiff(
        application_id=application_id,
        from_revision=from_revision,
        to_revision=to_revision,
        changes=changes,
    )
