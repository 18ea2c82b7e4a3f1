"""Letters issued from events on a real database: the Zuwendungsbescheid of ``approved``
and the Rückforderungsbescheid of ``reclaim_set``, each once, signed with the officer's
display name from the remembered ``name`` claim, else the staff directory, else the id."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.applications.models import Application, ApplicationDocument
from services.applications.catalogue.models import Organisation
from services.applications.office import letters, reclaim_letters, staff
from services.applications.office.letter_pdf import render_pdf
from services.applications.office.models import StaffMember
from services.applications.projection import ApplicationProjection
from shared.auth import Actor, Role
from shared.contracts.envelope import CloudEvent
from shared.contracts.events.application import ApplicationApproved, ReclaimSet
from shared.db import create_engine, session_factory
from shared.migrations import upgrade
from shared.problems import ProblemError
from tests.application_rows import NOW, application_event, application_in_round

MIGRATIONS = Path("services/applications/migrations")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url.replace("{service}", "applications_letters"))
    await upgrade(engine, MIGRATIONS)
    yield session_factory(engine)
    await engine.dispose()


ADDRESSED = {
    "name": "Landkreis Waldeck-Frankenberg",
    "applicant_type": "district",
    "addressee": "Fachdienst Integration",
    "street": "Südring 2",
    "postal_code": "34497",
    "city": "Korbach",
}


async def _application(
    sessions: async_sessionmaker[AsyncSession], *, stage: str = "in_review", **values: Any
) -> Application:
    """One of a district with a postal address, the file number as a letter shows it."""
    values = {"file_number": f"WIR-2027-{uuid.uuid4().int % 10**9:09d}", **values}
    return await application_in_round(sessions, stage=stage, organisation=ADDRESSED, **values)


def _approved(application: Application, actor: str) -> CloudEvent:
    return application_event(
        application,
        ApplicationApproved,
        4,
        stage="approved",
        actor=actor,
        requested_amount=Decimal("60000"),
        granted_amount=Decimal("55000"),
        final_report_due_at=datetime(2028, 9, 30, tzinfo=UTC),
    )


async def _project(
    sessions: async_sessionmaker[AsyncSession],
    event: CloudEvent,
    directory: dict[str, str] | None = None,
) -> bool:
    async with sessions() as session:
        applied = await ApplicationProjection(session, staff_directory=directory).apply(event)
        await session.commit()
    return applied


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


async def test_the_name_claim_remembered_from_a_command_signs_the_bescheid(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user = f"approver-{uuid.uuid4().hex[:6]}"
    async with sessions() as session:
        actor = Actor(user=user, roles=frozenset({Role.approver}), display_name="Jonas Becker")
        await staff.remember(session=session, actor=actor)
    application = await _application(sessions)
    # the directory names the user too: the claim wins
    assert await _project(sessions, _approved(application, user), {user: "J. Becker (alt)"})
    async with sessions() as session:
        letter = await letters.bescheid_letter(session=session, application_id=application.id)
        html = await letters.bescheid(session=session, application_id=application.id)
    assert letter.signer == "Jonas Becker" and "Jonas Becker" in html
    text = _text(render_pdf(letter))
    assert "Jonas Becker" in text and user not in text
    assert "55.000,00 EUR" in text and "Südring 2" in text and "34497 Korbach" in text


async def test_without_a_claim_the_directory_then_the_user_id_signs(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    named, unnamed = await _application(sessions), await _application(sessions)
    directory = {"petra.officer": "Petra Schneider"}
    assert await _project(sessions, _approved(named, "petra.officer"), directory)
    assert await _project(sessions, _approved(unnamed, "nobody.known"), directory)
    async with sessions() as session:
        first = await letters.bescheid_letter(session=session, application_id=named.id)
        second = await letters.bescheid_letter(session=session, application_id=unnamed.id)
    assert first.signer == "Petra Schneider"
    assert second.signer == "nobody.known"


async def test_only_staff_names_are_remembered_and_only_when_they_change(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user, applicant = f"officer-{uuid.uuid4().hex[:6]}", f"verein-{uuid.uuid4().hex[:6]}"
    async with sessions() as session:
        for name in ("Petra Schneider", "Petra Schneider", "Dr. Petra Schneider"):
            officer = Actor(user=user, roles=frozenset({Role.programme_officer}), display_name=name)
            await staff.remember(session=session, actor=officer)
        contact = Actor(user=applicant, roles=frozenset({Role.applicant}), display_name="Eva M.")
        await staff.remember(session=session, actor=contact)
    async with sessions() as session:
        row = await session.get(StaffMember, user)
        assert row is not None and row.display_name == "Dr. Petra Schneider"
        assert await session.get(StaffMember, applicant) is None


async def test_a_reclaim_issues_one_rueckforderungsbescheid_with_the_review_reason(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await _application(
        sessions,
        stage="report_submitted",
        granted_amount=Decimal("55000"),
        paid_amount=Decimal("50000"),
        spent_amount=Decimal("42000"),
        decided_by="jonas",
        decided_at=datetime(2027, 3, 15, 10, tzinfo=UTC),
    )
    reclaim = application_event(
        application,
        ReclaimSet,
        9,
        stage="reclaim",
        actor="petra.officer",
        reclaim_amount=Decimal("8000"),
    )
    directory = {"petra.officer": "Petra Schneider"}
    assert [await _project(sessions, reclaim, directory) for _ in range(2)] == [True, False]
    async with sessions() as session:
        # the review's document, as the command's commit stores it after the projection
        session.add(
            ApplicationDocument(
                application_id=application.id,
                kind="report_review",
                ref="0",
                body={
                    "outcome": "reclaim",
                    "reclaim_amount": "8000.00",
                    "reason": "Stelle unbesetzt",
                },
                created_at=NOW,
                created_by="petra.officer",
            )
        )
        await session.commit()
        issued = await session.scalar(
            select(func.count())
            .select_from(ApplicationDocument)
            .where(
                ApplicationDocument.application_id == application.id,
                ApplicationDocument.kind == "reclaim_notice",
            )
        )
        letter = await reclaim_letters.reclaim_notice(
            session=session, application_id=application.id
        )
    assert issued == 1
    assert letter.title == "Rückforderungsbescheid" and letter.signer == "Petra Schneider"
    text = _text(render_pdf(letter))
    for expected in (
        "8.000,00 EUR",
        "50.000,00 EUR",
        "42.000,00 EUR",
        "Stelle unbesetzt",
        "Zuwendungsbescheid vom 15.03.2027",
        f"Aktenzeichen {application.file_number}",
        "Fachdienst Integration",
        "34497 Korbach",
        "Petra Schneider",
        "Seite 1 von",
    ):
        assert expected in text, expected


async def test_no_rueckforderungsbescheid_without_a_reclaim(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await _application(sessions, stage="active", granted_amount=Decimal("1"))
    async with sessions() as session:
        with pytest.raises(ProblemError) as raised:
            await reclaim_letters.reclaim_notice(session=session, application_id=application.id)
        assert raised.value.status == 409
        with pytest.raises(ProblemError) as missing:
            await reclaim_letters.reclaim_notice(session=session, application_id="nope")
        assert missing.value.status == 404


async def test_the_bescheid_keeps_the_address_it_was_issued_with(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await _application(sessions)
    assert await _project(sessions, _approved(application, "jonas"))
    async with sessions() as session:
        organisation = await session.get(Organisation, application.organisation_id)
        assert organisation is not None
        organisation.street, organisation.postal_code = "Neue Straße 9", "34508"
        await session.commit()
        letter = await letters.bescheid_letter(session=session, application_id=application.id)
    assert "Südring 2" in letter.address and "34497 Korbach" in letter.address
    assert "Neue Straße 9" not in letter.address


async def test_a_bescheid_issued_before_pdf_letters_gets_its_pdf_from_the_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await _application(
        sessions,
        stage="active",
        granted_amount=Decimal("55000"),
        decided_by="jonas",
        decided_at=NOW,
    )
    async with sessions() as session:
        session.add(
            ApplicationDocument(
                application_id=application.id,
                kind="bescheid",
                ref=None,
                body={"html": "<p>Bescheid wie erlassen</p>"},
                created_at=NOW,
                created_by="jonas",
            )
        )
        await session.commit()
        html = await letters.bescheid(session=session, application_id=application.id)
        letter = await letters.bescheid_letter(session=session, application_id=application.id)
    assert html == "<p>Bescheid wie erlassen</p>"
    assert letter.file_number == application.file_number and letter.signer == "jonas"
    assert "55.000,00 EUR" in _text(render_pdf(letter))
