"""The year's facts for the activity report, gathered from the service's tables (the
counting itself is ``figures``). The year runs in Europe/Berlin time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.actors.models import ContactPerson, NetworkActor
from services.coordination.fachtage.models import Fachtag, FachtagHistory, FachtagParticipant
from services.coordination.fachtage.schemas import FachtagLevel
from services.coordination.groups.models import Attendance, Meeting, WorkingGroup
from services.coordination.measures.models import Measure
from services.coordination.measures.service import active_in
from services.coordination.report.figures import (
    FachtagFact,
    MeasureFact,
    MeetingFact,
    YearFacts,
)
from shared.contracts.coordination import MemberKind
from shared.contracts.coordination_activities import ParticipantKind

BERLIN = ZoneInfo("Europe/Berlin")
INVITED = "wir.coordination.fachtag_invitations_sent"


def _bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=BERLIN).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=BERLIN).astimezone(UTC)


def _day(moment: datetime) -> date:
    return moment.astimezone(BERLIN).date()


async def year_facts(*, session: AsyncSession, year: int) -> YearFacts:
    start, end = _bounds(year)
    reached_actors: set[str] = set()
    reached_contacts: set[str] = set()

    meetings = list(
        (
            await session.execute(
                select(Meeting.id, Meeting.starts_at, WorkingGroup.name)
                .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
                .where(
                    Meeting.status == "held", Meeting.starts_at >= start, Meeting.starts_at < end
                )
            )
        ).all()
    )
    attendance = await session.scalars(
        select(Attendance).where(Attendance.meeting_id.in_([m.id for m in meetings]))
    )
    for a in attendance:
        if a.kind == MemberKind.actor.value:
            reached_actors.add(a.member_id)
        elif a.kind == MemberKind.contact.value:
            reached_contacts.add(a.member_id)

    days = list(
        await session.scalars(
            select(Fachtag).where(Fachtag.held_at >= start, Fachtag.held_at < end)
        )
    )
    day_ids = [d.id for d in days]
    came = list(
        await session.scalars(
            select(FachtagParticipant).where(
                FachtagParticipant.fachtag_id.in_(day_ids), FachtagParticipant.attended.is_(True)
            )
        )
    )
    for p in came:
        if p.kind == ParticipantKind.contact.value:
            reached_contacts.add(p.ref)
    for invitation in await session.scalars(
        select(FachtagHistory).where(
            FachtagHistory.fachtag_id.in_(day_ids), FachtagHistory.type == INVITED
        )
    ):
        reached_actors.update(invitation.data.get("invited_actor_ids", []))

    measures = [m for m in await session.scalars(select(Measure)) if active_in(year, m)]
    reached_actors.update(m.institution_id for m in measures)
    if reached_contacts:
        reached_actors.update(
            await session.scalars(
                select(ContactPerson.actor_id).where(ContactPerson.id.in_(reached_contacts))
            )
        )
    types = (
        await session.execute(
            select(NetworkActor.id, NetworkActor.type).where(NetworkActor.id.in_(reached_actors))
        )
    ).all()

    return YearFacts(
        year=year,
        meetings=[MeetingFact(working_group=m.name, held_on=_day(m.starts_at)) for m in meetings],
        fachtage=[
            FachtagFact(
                fachtag_id=d.id,
                title=d.title,
                level=FachtagLevel(d.level),
                held_on=_day(d.held_at or d.starts_at),
                documented=d.documented_at is not None,
                attended={
                    kind: sum(1 for p in came if p.fachtag_id == d.id and p.kind == kind.value)
                    for kind in ParticipantKind
                },
            )
            for d in days
        ],
        measures=[MeasureFact(institution_id=m.institution_id, status=m.status) for m in measures],
        actors_reached={actor_id: actor_type for actor_id, actor_type in types},
    )
