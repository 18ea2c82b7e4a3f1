"""A year of the coordination office on the time-skipping server, and the activity report
(Sachbericht) of that year: its figures, its CSV and its PDF read back.

The Fachtage run through their real workflow (planning, registration with a waiting list,
the day, documentation or its reminders) across the months; their events go through the
service's projection into a real database, beside the year's working-group meetings and
measures, and the report counts what happened in the year and nothing else."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest_asyncio
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHandle

from services.coordination.actors.models import ContactPerson, NetworkActor
from services.coordination.fachtage.models import Fachtag, FachtagParticipant
from services.coordination.fachtage.projection import FachtagProjection
from services.coordination.groups.models import Attendance, Meeting, WorkingGroup
from services.coordination.measures.models import Measure
from services.coordination.report.export import report_csv
from services.coordination.report.figures import ReportPriority, activity_report
from services.coordination.report.pdf import report_pdf
from services.coordination.report.service import year_facts
from shared.contracts.coordination_activities import (
    AttendanceCommand,
    CancelCommand,
    DocumentCommand,
    FachtagInput,
    FachtagUpdates,
    InviteCommand,
    ParticipantKind,
    RegisterCommand,
    StageCommand,
)
from shared.contracts.coordination_activities import ParticipantKind as K
from shared.csv_export import CsvFormat
from shared.db import create_engine, session_factory
from shared.migrations import upgrade
from tests.workflows.conftest import Harness
from tests.workflows.fachtag_steps import COORDINATOR, DAY, own_harness, start
from tests.workflows.handles import update

MIGRATIONS = Path("services/coordination/migrations")
Sessions = async_sessionmaker[AsyncSession]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def harness() -> AsyncIterator[Harness]:
    """A server of this module's own: a year skipped on the shared one would move its clock
    far from the real date that other tests' inputs start at."""
    async with own_harness("report-year") as own:
        yield own


@pytest_asyncio.fixture(loop_scope="session")
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url.replace("{service}", f"report_{uuid.uuid4().hex[:8]}"))
    await upgrade(engine, MIGRATIONS)
    yield session_factory(engine)
    await engine.dispose()


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=UTC)


async def _network(sessions: Sessions, year: int) -> None:
    """Five institutions, two contact persons, a working group with its meetings, three
    measures (one of them ended the year before)."""
    then = _at(year - 1, 6, 1)
    stamp = {"created_at": then, "created_by": COORDINATOR, "updated_at": then}
    async with sessions() as session:
        for actor_id, actor_type in (
            ("a1", "club"),
            ("a2", "club"),
            ("a3", "municipal_office"),
            ("a4", "employer"),
            ("a5", "church"),
        ):
            session.add(
                NetworkActor(
                    id=actor_id,
                    name=actor_id,
                    type=actor_type,
                    place="Korbach",
                    search_text=actor_id,
                    updated_by=COORDINATOR,
                    **stamp,
                )
            )
        await session.flush()
        for contact_id, actor_id in (("c1", "a1"), ("c2", "a2")):
            session.add(ContactPerson(id=contact_id, actor_id=actor_id, language="de", **stamp))
        session.add(
            WorkingGroup(
                id="g1",
                name="AG Arbeit",
                topic="Arbeitsmarkt",
                search_text="ag arbeit",
                coordinator=COORDINATOR,
                stage="active",
                invitation_lead_days=14,
                item_reminder_days=3,
                created_at=then,
                updated_at=then,
            )
        )
        await session.flush()
        for meeting_id, at, status in (
            ("m0", _at(year - 1, 11, 3), "held"),
            ("m1", _at(year, 2, 7), "held"),
            ("m2", _at(year, 9, 12), "held"),
            ("m3", _at(year, 12, 1), "scheduled"),
        ):
            session.add(Meeting(id=meeting_id, group_id="g1", starts_at=at, status=status))
        await session.flush()
        session.add_all(
            Attendance(meeting_id=m, kind="actor", member_id="a4") for m in ("m1", "m2")
        )
        session.add(Attendance(meeting_id="m0", kind="actor", member_id="a5"))
        for measure_id, institution, status, started, ended in (
            ("x1", "a2", "completed", date(year, 3, 1), date(year, 10, 1)),
            ("x2", "a3", "in_progress", date(year, 5, 1), None),
            ("x3", "a5", "completed", date(year - 1, 2, 1), date(year - 1, 9, 1)),
        ):
            session.add(
                Measure(
                    id=measure_id,
                    institution_id=institution,
                    kind="staff_training",
                    title="Schulung",
                    goal="Mitarbeitende geschult",
                    status=status,
                    started_on=started,
                    completed_on=ended,
                    updated_by=COORDINATOR,
                    **stamp,
                )
            )
        await session.commit()


class Day:
    """One Fachtag: its workflow and its row in the service's database."""

    def __init__(self, harness: Harness, sessions: Sessions, title: str) -> None:
        self.harness, self.sessions, self.title = harness, sessions, title
        self.id = str(uuid.uuid4())
        self.refs: dict[str, str] = {}
        self.handle: WorkflowHandle[Any, Any]

    async def plan(self, capacity: int, in_days: int) -> None:
        now = await self.harness.env.get_current_time()
        starts = now + in_days * DAY
        data = FachtagInput(
            fachtag_id=self.id,
            organiser=COORDINATOR,
            capacity=capacity,
            starts_at=starts,
            registration_closes_at=starts - 2 * DAY,
            documentation_days=14,
            reminder_interval_days=7,
        )
        async with self.sessions() as session:
            session.add(
                Fachtag(
                    id=self.id,
                    title=self.title,
                    audience="alle",
                    capacity=capacity,
                    starts_at=starts,
                    registration_closes_at=data.registration_closes_at,
                    organiser=COORDINATOR,
                    stage="planned",
                    created_at=now,
                    updated_at=now,
                )
            )
            await session.commit()
        self.handle = await start(self.harness.env.client, self.harness.task_queue, data)
        await update(self.handle, FachtagUpdates.open_registration, StageCommand(actor=COORDINATOR))

    async def invite(self, *actor_ids: str) -> None:
        command = InviteCommand(actor=COORDINATOR, actor_ids=list(actor_ids))
        await update(self.handle, FachtagUpdates.send_invitations, command)

    async def register(self, pid: str, kind: ParticipantKind, ref: str) -> None:
        self.refs[pid] = ref
        by = "anna.cm" if kind is K.refugee else COORDINATOR
        command = RegisterCommand(actor=by, participant_id=pid, kind=kind, ref=ref)
        await update(self.handle, FachtagUpdates.register, command)

    async def hold(self, *attended: str) -> None:
        command = AttendanceCommand(actor=COORDINATOR, attended=list(attended))
        await update(self.handle, FachtagUpdates.record_attendance, command)

    async def project(self) -> None:
        """The day's events into the read model, as the consumer would; then the refs that
        the registering commands stored beside them."""
        async with self.sessions() as session:
            for event in [e for e in self.harness.published.events if e.subject == self.id]:
                await FachtagProjection(session).apply(event)
            for pid, ref in self.refs.items():
                row = await session.get(FachtagParticipant, pid)
                assert row is not None
                row.ref = ref
            await session.commit()


async def test_a_year_of_the_office_in_its_report(harness: Harness, sessions: Sessions) -> None:
    env = harness.env
    now = await env.get_current_time()
    year = now.year + 1
    await env.sleep(datetime(year, 1, 20, tzinfo=UTC) - now)  # late January of next year
    await _network(sessions, year)

    jobs = Day(harness, sessions, "Bewerben in Deutschland")
    await jobs.plan(capacity=3, in_days=30)
    await jobs.register("j-c1", K.contact, "c1")
    for n in (1, 2, 3):
        await jobs.register(f"j-r{n}", K.refugee, f"case-{n}")
    await update(
        jobs.handle, FachtagUpdates.cancel, CancelCommand(actor="anna.cm", participant_id="j-r2")
    )
    await env.sleep(31 * DAY)  # the registration closed by itself, the day has come
    await jobs.hold("j-c1", "j-r1", "j-r3")
    await env.sleep(20 * DAY)  # reminded once, then documented
    await update(jobs.handle, FachtagUpdates.document, DocumentCommand(actor=COORDINATOR))

    sport = Day(harness, sessions, "Interkulturelle Öffnung im Sportverein")
    await env.sleep(120 * DAY)
    await sport.plan(capacity=5, in_days=20)
    await sport.invite("a2", "a3")
    await sport.register("s-s1", K.staff, "sven.staff")
    await sport.register("s-c2", K.contact, "c2")
    await env.sleep(21 * DAY)
    await sport.hold("s-s1", "s-c2")
    await env.sleep(30 * DAY)  # never documented: reminders only

    never = Day(harness, sessions, "Sprachcafé")  # planned, not held in the year
    await never.plan(capacity=10, in_days=200)
    await never.register("n-c1", K.contact, "c1")
    for day in (jobs, sport, never):
        await day.project()

    async with sessions() as session:
        facts = await year_facts(session=session, year=year)
    report = activity_report(facts, priority=ReportPriority.coordination, generated_at=now)
    assert report.meetings_held == 2
    assert [(g.working_group, g.meetings) for g in report.meetings_by_working_group] == [
        ("AG Arbeit", 2)
    ]
    assert report.actors_reached == 4
    assert report.actors_reached_by_type == {"club": 2, "employer": 1, "municipal_office": 1}
    assert (report.events_held, report.events_documented) == (2, 1)
    assert report.participants == 5
    assert report.participants_by_kind == {K.contact: 2, K.staff: 1, K.refugee: 2}
    assert [(e.title, e.participants) for e in report.events] == [
        ("Bewerben in Deutschland", 3),
        ("Interkulturelle Öffnung im Sportverein", 2),
    ]
    assert (report.measures, report.institutions_accompanied) == (2, 2)
    assert report.measures_by_status == {"completed": 1, "in_progress": 1}

    async with sessions() as session:
        stored = await session.get(Fachtag, sport.id)
        assert stored is not None and stored.reminders_sent >= 2 and stored.documented_at is None

    csv = report_csv(report, csv_format=CsvFormat.plain).splitlines()
    assert "meetings,held,,2" in csv and "participants_by_kind,refugee,,2" in csv
    text = " ".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(report_pdf(report, office="Landkreis Waldeck-Frankenberg"))
        ).pages
    )
    for expected in (
        f"Sachbericht {year}",
        "Sitzungen insgesamt 2",
        "Akteure insgesamt 4",
        "Veranstaltungen durchgeführt 2",
        "davon dokumentiert 1",
        "Teilnahmen insgesamt 5",
        "Begleitete Institutionen 2",
    ):
        assert expected in text, expected
