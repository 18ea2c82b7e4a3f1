"""HTTP routes of volunteers, interpreter bookings, the employment track and employer
contacts. Staff only; thin, each calls one use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from services.cases import employment, volunteers
from services.cases.schemas_support import (
    AssignVolunteerIn,
    BookingIn,
    BookingOut,
    BookingOutcomeIn,
    CaseVolunteerOut,
    EmployerContactIn,
    EmployerContactOut,
    StepIn,
    StepOut,
    StepUpdateIn,
    VolunteerIn,
    VolunteerMatch,
    VolunteerOut,
    VolunteerRole,
)
from shared.auth import ActorDep, current_actor
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["support"], dependencies=[Depends(current_actor)])

Language = Annotated[str | None, Query(pattern=r"^[a-z]{2}$")]
Place = Annotated[str | None, Query(min_length=1, max_length=100)]


@router.post("/volunteers", status_code=status.HTTP_201_CREATED)
async def create_volunteer(body: VolunteerIn, session: SessionDep, actor: ActorDep) -> VolunteerOut:
    volunteer = await volunteers.create_volunteer(session=session, data=body, actor=actor.user)
    return VolunteerOut.model_validate(volunteer)


@router.put("/volunteers/{volunteer_id}")
async def update_volunteer(
    volunteer_id: str, body: VolunteerIn, session: SessionDep
) -> VolunteerOut:
    volunteer = await volunteers.update_volunteer(
        session=session, volunteer_id=volunteer_id, data=body
    )
    return VolunteerOut.model_validate(volunteer)


@router.get("/volunteers")
async def list_volunteers(
    session: SessionDep,
    page: PageDep,
    role: VolunteerRole | None = None,
    language: Language = None,
    place: Place = None,
) -> Page[VolunteerOut]:
    """The active volunteers of the pools, by role, language and place."""
    rows, total = await volunteers.list_volunteers(
        session=session, page=page, role=role, language=language, place=place
    )
    items = [VolunteerOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/volunteers/{volunteer_id}/bookings")
async def volunteer_bookings(volunteer_id: str, session: SessionDep) -> list[BookingOut]:
    await volunteers.get_volunteer(session=session, volunteer_id=volunteer_id)
    rows = await volunteers.bookings(session=session, volunteer_id=volunteer_id)
    return [BookingOut.model_validate(r) for r in rows]


@router.get("/cases/{case_id}/volunteer-matches")
async def match_volunteers(
    case_id: str, session: SessionDep, role: VolunteerRole, place: Place = None
) -> list[VolunteerMatch]:
    """Volunteers of ``role`` who speak one of the person's languages; those in ``place``
    first among equals."""
    return await volunteers.match(session=session, case_id=case_id, role=role, place=place)


@router.post("/cases/{case_id}/volunteers", status_code=status.HTTP_201_CREATED)
async def assign_volunteer(
    case_id: str, body: AssignVolunteerIn, session: SessionDep, actor: ActorDep
) -> CaseVolunteerOut:
    row = await volunteers.assign(
        session=session, case_id=case_id, volunteer_id=body.volunteer_id, actor=actor.user
    )
    return CaseVolunteerOut.model_validate(row)


@router.get("/cases/{case_id}/volunteers")
async def list_case_volunteers(case_id: str, session: SessionDep) -> list[CaseVolunteerOut]:
    rows = await volunteers.case_volunteers(session=session, case_id=case_id)
    return [CaseVolunteerOut.model_validate(r) for r in rows]


@router.post("/cases/{case_id}/interpreter-bookings", status_code=status.HTTP_201_CREATED)
async def book_interpreter(
    case_id: str, body: BookingIn, session: SessionDep, actor: ActorDep
) -> BookingOut:
    """Book a lay interpreter for an appointment (date, place, language)."""
    booking = await volunteers.book_interpreter(
        session=session, case_id=case_id, data=body, actor=actor.user
    )
    return BookingOut.model_validate(booking)


@router.get("/cases/{case_id}/interpreter-bookings")
async def case_bookings(case_id: str, session: SessionDep) -> list[BookingOut]:
    rows = await volunteers.bookings(session=session, case_id=case_id)
    return [BookingOut.model_validate(r) for r in rows]


@router.post("/interpreter-bookings/{booking_id}/outcome")
async def record_booking_outcome(
    booking_id: str, body: BookingOutcomeIn, session: SessionDep, actor: ActorDep
) -> BookingOut:
    """Record whether the interpreted appointment took place."""
    booking = await volunteers.record_booking_outcome(
        session=session, booking_id=booking_id, data=body, actor=actor.user
    )
    return BookingOut.model_validate(booking)


@router.post("/cases/{case_id}/employment", status_code=status.HTTP_201_CREATED)
async def add_employment_step(
    case_id: str, body: StepIn, session: SessionDep, actor: ActorDep
) -> StepOut:
    """An application sent, an interview, an internship, Ausbildung or employment."""
    step = await employment.add_step(session=session, case_id=case_id, data=body, actor=actor.user)
    return StepOut.model_validate(step)


@router.patch("/cases/{case_id}/employment/{step_id}")
async def update_employment_step(
    case_id: str, step_id: str, body: StepUpdateIn, session: SessionDep, actor: ActorDep
) -> StepOut:
    step = await employment.update_step(
        session=session, case_id=case_id, step_id=step_id, data=body, actor=actor.user
    )
    return StepOut.model_validate(step)


@router.get("/cases/{case_id}/employment")
async def list_employment_steps(case_id: str, session: SessionDep) -> list[StepOut]:
    return [
        StepOut.model_validate(s) for s in await employment.steps(session=session, case_id=case_id)
    ]


@router.post("/employer-contacts", status_code=status.HTTP_201_CREATED)
async def add_employer_contact(
    body: EmployerContactIn, session: SessionDep, actor: ActorDep
) -> EmployerContactOut:
    contact = await employment.add_employer_contact(session=session, data=body, actor=actor.user)
    return EmployerContactOut.model_validate(contact)


@router.get("/employer-contacts")
async def list_employer_contacts(
    session: SessionDep,
    page: PageDep,
    employer: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> Page[EmployerContactOut]:
    rows, total = await employment.employer_contacts(session=session, page=page, employer=employer)
    items = [EmployerContactOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
