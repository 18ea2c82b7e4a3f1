"""The employment track of a case (applications, interviews, internships, Ausbildung,
employment) and the district's contacts with employers. Plain service features."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases import queries
from services.cases.support.models import EmployerContact, EmploymentStep
from services.cases.support.schemas import EmployerContactIn, StepIn, StepUpdateIn
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found, stage_conflict


def _now() -> datetime:
    return datetime.now(UTC)


async def add_step(
    *, session: AsyncSession, case_id: str, data: StepIn, actor: str
) -> EmploymentStep:
    case = await queries.get_case(session=session, case_id=case_id)
    if case.erased_at is not None:
        raise stage_conflict("the person's data of this case was erased")
    now = _now()
    step = EmploymentStep(
        id=str(uuid.uuid4()),
        case_id=case_id,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **data.model_dump(),
    )
    session.add(step)
    await session.commit()
    return step


async def update_step(
    *, session: AsyncSession, case_id: str, step_id: str, data: StepUpdateIn, actor: str
) -> EmploymentStep:
    step = await session.get(EmploymentStep, step_id)
    if step is None or step.case_id != case_id:
        raise not_found("employment step", step_id)
    step.status = data.status.value
    if data.end_date is not None:
        step.end_date = data.end_date
    if data.note is not None:
        step.note = data.note
    step.updated_at = _now()
    step.updated_by = actor
    await session.commit()
    return step


async def steps(*, session: AsyncSession, case_id: str) -> list[EmploymentStep]:
    result = await session.scalars(
        select(EmploymentStep)
        .where(EmploymentStep.case_id == case_id)
        .order_by(EmploymentStep.created_at, EmploymentStep.id)
    )
    return list(result)


async def add_employer_contact(
    *, session: AsyncSession, data: EmployerContactIn, actor: str
) -> EmployerContact:
    contact = EmployerContact(
        id=str(uuid.uuid4()), created_at=_now(), created_by=actor, **data.model_dump()
    )
    session.add(contact)
    await session.commit()
    return contact


async def employer_contacts(
    *, session: AsyncSession, page: PageParams, employer: str | None = None
) -> tuple[list[EmployerContact], int]:
    query = select(EmployerContact)
    if employer:
        query = query.where(EmployerContact.employer.icontains(employer, autoescape=True))
    return await fetch_page(
        session,
        query.order_by(EmployerContact.contact_date.desc(), EmployerContact.id),
        page,
    )
