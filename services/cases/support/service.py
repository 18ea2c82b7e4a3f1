"""Volunteer pools, matching a volunteer to a case, and lay interpreters booked for the
person's appointments. Plain service features: the case's workflow is not involved.

The employment track has its own module beside this one (``employment``): it shares no
code with the volunteers, and both together would pass 300 lines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases import queries
from services.cases.cases.models import Case, CaseAssessment
from services.cases.support.models import CaseVolunteer, InterpreterBooking, Volunteer
from services.cases.support.schemas import (
    BookingIn,
    BookingOutcomeIn,
    BookingStatus,
    VolunteerIn,
    VolunteerMatch,
    VolunteerOut,
    VolunteerRole,
)
from shared.contracts.cases import CaseStage
from shared.pagination import PageParams, fetch_page
from shared.problems import ProblemError, not_found, stage_conflict

#: Appointments are days in the district's calendar.
BERLIN = ZoneInfo("Europe/Berlin")


def _now() -> datetime:
    return datetime.now(UTC)


async def create_volunteer(*, session: AsyncSession, data: VolunteerIn, actor: str) -> Volunteer:
    volunteer = Volunteer(
        id=str(uuid.uuid4()), created_at=_now(), created_by=actor, **data.model_dump(mode="json")
    )
    session.add(volunteer)
    await session.commit()
    return volunteer


async def get_volunteer(*, session: AsyncSession, volunteer_id: str) -> Volunteer:
    volunteer = await session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise not_found("volunteer", volunteer_id)
    return volunteer


async def update_volunteer(
    *, session: AsyncSession, volunteer_id: str, data: VolunteerIn
) -> Volunteer:
    volunteer = await get_volunteer(session=session, volunteer_id=volunteer_id)
    for field, value in data.model_dump(mode="json").items():
        setattr(volunteer, field, value)
    await session.commit()
    return volunteer


async def list_volunteers(
    *,
    session: AsyncSession,
    page: PageParams,
    role: VolunteerRole | None = None,
    language: str | None = None,
    place: str | None = None,
) -> tuple[list[Volunteer], int]:
    query = select(Volunteer).where(Volunteer.active.is_(True))
    if role:
        query = query.where(Volunteer.role == role.value)
    if language:
        query = query.where(cast(Volunteer.languages, String).contains(f'"{language}"'))
    if place:
        query = query.where(func.lower(Volunteer.place).contains(place.lower(), autoescape=True))
    return await fetch_page(session, query.order_by(Volunteer.name, Volunteer.id), page)


async def _open_case(session: AsyncSession, case_id: str) -> Case:
    case = await queries.get_case(session=session, case_id=case_id)
    if case.stage == CaseStage.closed.value or case.erased_at is not None:
        raise stage_conflict(f"the case is in stage {case.stage}")
    return case


async def _case_languages(session: AsyncSession, case: Case) -> list[str]:
    """The person's languages and those of the assessments, in that order."""
    languages: list[str] = []
    if case.person_id is not None:
        person = await queries.get_person(session=session, person_id=case.person_id)
        languages += person.languages
    for assessment in await queries.records(session=session, model=CaseAssessment, case_id=case.id):
        languages += assessment.languages
    return list(dict.fromkeys(languages))


async def match(
    *,
    session: AsyncSession,
    case_id: str,
    role: VolunteerRole,
    place: str | None,
    limit: int = 20,
) -> list[VolunteerMatch]:
    """Active volunteers of ``role`` who share a language with the person, best first:
    more shared languages, then the same place; the ``limit`` best."""
    case = await _open_case(session, case_id)
    wanted = await _case_languages(session, case)
    candidates = await session.scalars(
        select(Volunteer).where(Volunteer.active.is_(True), Volunteer.role == role.value)
    )
    matches = []
    for volunteer in candidates:
        shared = [code for code in wanted if code in volunteer.languages]
        if not shared:
            continue
        same_place = place is not None and volunteer.place.casefold() == place.casefold()
        matches.append(
            VolunteerMatch(
                volunteer=VolunteerOut.model_validate(volunteer),
                shared_languages=shared,
                same_place=same_place,
            )
        )
    matches.sort(key=lambda m: (-len(m.shared_languages), not m.same_place, m.volunteer.name))
    return matches[:limit]


async def assign(
    *, session: AsyncSession, case_id: str, volunteer_id: str, actor: str
) -> CaseVolunteer:
    await _open_case(session, case_id)
    volunteer = await get_volunteer(session=session, volunteer_id=volunteer_id)
    if not volunteer.active:
        raise stage_conflict(f"volunteer {volunteer_id} is not active")
    row = CaseVolunteer(
        id=str(uuid.uuid4()),
        case_id=case_id,
        volunteer_id=volunteer_id,
        role=volunteer.role,
        created_at=_now(),
        created_by=actor,
    )
    session.add(row)
    await session.commit()
    return row


async def case_volunteers(*, session: AsyncSession, case_id: str) -> list[CaseVolunteer]:
    result = await session.scalars(
        select(CaseVolunteer)
        .where(CaseVolunteer.case_id == case_id)
        .order_by(CaseVolunteer.created_at, CaseVolunteer.id)
    )
    return list(result)


async def book_interpreter(
    *, session: AsyncSession, case_id: str, data: BookingIn, actor: str
) -> InterpreterBooking:
    """Book a lay interpreter who speaks the appointment's language."""
    await _open_case(session, case_id)
    volunteer = await get_volunteer(session=session, volunteer_id=data.volunteer_id)
    if volunteer.role != VolunteerRole.lay_interpreter.value or not volunteer.active:
        raise ProblemError(
            422, "Invalid command", f"volunteer {volunteer.id} is no active lay interpreter"
        )
    if data.language not in volunteer.languages:
        raise ProblemError(
            422, "Invalid command", f"volunteer {volunteer.id} does not speak {data.language}"
        )
    booking = InterpreterBooking(
        id=str(uuid.uuid4()),
        case_id=case_id,
        status=BookingStatus.booked.value,
        created_at=_now(),
        created_by=actor,
        **data.model_dump(),
    )
    session.add(booking)
    await session.commit()
    return booking


async def record_booking_outcome(
    *, session: AsyncSession, booking_id: str, data: BookingOutcomeIn, actor: str
) -> InterpreterBooking:
    booking = await session.get(InterpreterBooking, booking_id)
    if booking is None:
        raise not_found("interpreter booking", booking_id)
    if booking.status != BookingStatus.booked.value:
        raise stage_conflict(f"interpreter booking {booking_id} is {booking.status} already")
    day = booking.appointment_at.astimezone(BERLIN).date()
    if _now().astimezone(BERLIN).date() < day:
        raise ProblemError(
            422,
            "Appointment still ahead",
            f"the appointment of interpreter booking {booking_id} is on {day:%d.%m.%Y}: "
            "whether it took place can be recorded from that day on",
        )
    booking.status = (
        BookingStatus.took_place if data.took_place else BookingStatus.did_not_take_place
    ).value
    booking.outcome_note = data.note
    booking.recorded_at = _now()
    booking.recorded_by = actor
    await session.commit()
    return booking


async def bookings(
    *,
    session: AsyncSession,
    case_id: str | None = None,
    volunteer_id: str | None = None,
    visible: ColumnElement[bool] | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> list[InterpreterBooking]:
    """A case's or a volunteer's bookings (appointments from ``since`` on, the first
    ``limit``); ``visible``: only those of the cases it matches."""
    query = select(InterpreterBooking)
    if visible is not None:
        query = query.join(Case, Case.id == InterpreterBooking.case_id).where(visible)
    if case_id:
        query = query.where(InterpreterBooking.case_id == case_id)
    if volunteer_id:
        query = query.where(InterpreterBooking.volunteer_id == volunteer_id)
    if since is not None:
        query = query.where(InterpreterBooking.appointment_at >= since)
    result = await session.scalars(
        query.order_by(InterpreterBooking.appointment_at, InterpreterBooking.id).limit(limit)
    )
    return list(result)
