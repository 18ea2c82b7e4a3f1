"""HTTP routes of volunteers, interpreter bookings, the employment track and employer
contacts. Case managers only; what hangs off a case follows the case's rule (``access``).
Thin, each calls one use case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.cases import access
from services.cases.access import CaseManager, VisibleBooking, VisibleCase
from services.cases.support import employment, service
from services.cases.support.schemas import (
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
from shared.audit import PersonalDataRead
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["support"])

Language = Annotated[str | None, Query(pattern=r"^[a-z]{2}$")]
Place = Annotated[str | None, Query(min_length=1, max_length=100)]


@router.post("/volunteers", status_code=status.HTTP_201_CREATED)
async def create_volunteer(
    body: VolunteerIn, session: SessionDep, actor: CaseManager
) -> VolunteerOut:
    volunteer = await service.create_volunteer(session=session, data=body, actor=actor.user)
    return VolunteerOut.model_validate(volunteer)


@router.put("/volunteers/{volunteer_id}")
async def update_volunteer(
    volunteer_id: str, body: VolunteerIn, session: SessionDep, _: CaseManager
) -> VolunteerOut:
    volunteer = await service.update_volunteer(
        session=session, volunteer_id=volunteer_id, data=body
    )
    return VolunteerOut.model_validate(volunteer)


@router.get("/volunteers")
async def list_volunteers(
    session: SessionDep,
    page: PageDep,
    _: CaseManager,
    role: VolunteerRole | None = None,
    language: Language = None,
    place: Place = None,
) -> Page[VolunteerOut]:
    """The active volunteers of the pools, by role, language and place."""
    rows, total = await service.list_volunteers(
        session=session, page=page, role=role, language=language, place=place
    )
    items = [VolunteerOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/volunteers/{volunteer_id}/bookings", dependencies=[PersonalDataRead])
async def volunteer_bookings(
    volunteer_id: str,
    session: SessionDep,
    actor: CaseManager,
    since: Annotated[datetime | None, Query(description="Appointments from then on")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[BookingOut]:
    """The volunteer's bookings for the cases you may see, earliest appointment first."""
    await service.get_volunteer(session=session, volunteer_id=volunteer_id)
    rows = await service.bookings(
        session=session,
        volunteer_id=volunteer_id,
        visible=access.visible_cases(actor),
        since=_aware(since),
        limit=limit,
    )
    return [BookingOut.model_validate(r) for r in rows]


@router.get(
    "/cases/{case_id}/volunteer-matches",
    dependencies=[PersonalDataRead],
    responses={409: {"description": "The case is closed: no volunteers are matched to it"}},
)
async def match_volunteers(
    case: VisibleCase,
    session: SessionDep,
    role: VolunteerRole,
    place: Place = None,
    limit: Annotated[int, Query(ge=1, le=100, description="The best this many")] = 20,
) -> list[VolunteerMatch]:
    """Volunteers of ``role`` who speak one of the person's languages; those in ``place``
    first among equals."""
    return await service.match(
        session=session, case_id=case.id, role=role, place=place, limit=limit
    )


@router.post("/cases/{case_id}/volunteers", status_code=status.HTTP_201_CREATED)
async def assign_volunteer(
    case: VisibleCase, body: AssignVolunteerIn, session: SessionDep, actor: CaseManager
) -> CaseVolunteerOut:
    row = await service.assign(
        session=session, case_id=case.id, volunteer_id=body.volunteer_id, actor=actor.user
    )
    return CaseVolunteerOut.model_validate(row)


@router.get("/cases/{case_id}/volunteers")
async def list_case_volunteers(case: VisibleCase, session: SessionDep) -> list[CaseVolunteerOut]:
    rows = await service.case_volunteers(session=session, case_id=case.id)
    return [CaseVolunteerOut.model_validate(r) for r in rows]


@router.post("/cases/{case_id}/interpreter-bookings", status_code=status.HTTP_201_CREATED)
async def book_interpreter(
    case: VisibleCase, body: BookingIn, session: SessionDep, actor: CaseManager
) -> BookingOut:
    """Book a lay interpreter for an appointment (date, place, language)."""
    booking = await service.book_interpreter(
        session=session, case_id=case.id, data=body, actor=actor.user
    )
    return BookingOut.model_validate(booking)


@router.get("/cases/{case_id}/interpreter-bookings", dependencies=[PersonalDataRead])
async def case_bookings(
    case: VisibleCase,
    session: SessionDep,
    since: Annotated[datetime | None, Query(description="Appointments from then on")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[BookingOut]:
    rows = await service.bookings(
        session=session, case_id=case.id, since=_aware(since), limit=limit
    )
    return [BookingOut.model_validate(r) for r in rows]


@router.post("/interpreter-bookings/{booking_id}/outcome")
async def record_booking_outcome(
    booking: VisibleBooking, body: BookingOutcomeIn, session: SessionDep, actor: CaseManager
) -> BookingOut:
    """Record whether the interpreted appointment took place: from the appointment's day
    (in Berlin) on; before it 422 and the booking stays as it is."""
    booking = await service.record_booking_outcome(
        session=session, booking_id=booking.id, data=body, actor=actor.user
    )
    return BookingOut.model_validate(booking)


@router.post("/cases/{case_id}/employment", status_code=status.HTTP_201_CREATED)
async def add_employment_step(
    case: VisibleCase, body: StepIn, session: SessionDep, actor: CaseManager
) -> StepOut:
    """An application sent, an interview, an internship, Ausbildung or employment."""
    step = await employment.add_step(session=session, case_id=case.id, data=body, actor=actor.user)
    return StepOut.model_validate(step)


@router.patch("/cases/{case_id}/employment/{step_id}")
async def update_employment_step(
    case: VisibleCase, step_id: str, body: StepUpdateIn, session: SessionDep, actor: CaseManager
) -> StepOut:
    step = await employment.update_step(
        session=session, case_id=case.id, step_id=step_id, data=body, actor=actor.user
    )
    return StepOut.model_validate(step)


@router.get("/cases/{case_id}/employment", dependencies=[PersonalDataRead])
async def list_employment_steps(case: VisibleCase, session: SessionDep) -> list[StepOut]:
    return [
        StepOut.model_validate(s) for s in await employment.steps(session=session, case_id=case.id)
    ]


@router.post("/employer-contacts", status_code=status.HTTP_201_CREATED)
async def add_employer_contact(
    body: EmployerContactIn, session: SessionDep, actor: CaseManager
) -> EmployerContactOut:
    contact = await employment.add_employer_contact(session=session, data=body, actor=actor.user)
    return EmployerContactOut.model_validate(contact)


@router.get("/employer-contacts")
async def list_employer_contacts(
    session: SessionDep,
    page: PageDep,
    _: CaseManager,
    employer: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> Page[EmployerContactOut]:
    rows, total = await employment.employer_contacts(session=session, page=page, employer=employer)
    items = [EmployerContactOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)
