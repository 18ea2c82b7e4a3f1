"""The applications read model over a real database, fed events directly: what the
projection does once per event (the Bescheid of an approval, the budget's part), whichever
path (the decision's answer or the event consumer) brings the event first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.applications.models import Application, ApplicationDocument
from services.applications.projection import ApplicationProjection
from services.applications.rounds import budget
from services.applications.rounds.models import RoundPriority
from shared.contracts.envelope import CloudEvent
from shared.contracts.events.application import (
    ApplicationApproved,
    ApplicationRejected,
    PaymentApproved,
    PaymentRequested,
)
from shared.db import create_engine, session_factory
from shared.migrations import upgrade
from tests.application_rows import PRIORITY, application_event, application_in_round

MIGRATIONS = Path("services/applications/migrations")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url.replace("{service}", "applications_projection"))
    await upgrade(engine, MIGRATIONS)
    yield session_factory(engine)
    await engine.dispose()


async def _apply_twice(sessions: async_sessionmaker[AsyncSession], event: CloudEvent) -> list[bool]:
    """As the decision's answer and then the consumer would: each in its own transaction."""
    applied = []
    for _ in range(2):
        async with sessions() as session:
            applied.append(await ApplicationProjection(session).apply(event))
            await session.commit()
    return applied


async def _committed(
    sessions: async_sessionmaker[AsyncSession], application: Application
) -> RoundPriority:
    async with sessions() as session:
        row = await session.get(RoundPriority, (application.round_id, PRIORITY))
        assert row is not None
        return row


async def test_an_approval_issues_one_bescheid_signed_by_the_event_actor(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await application_in_round(sessions, budget=Decimal("100000"))
    approved = application_event(
        application,
        ApplicationApproved,
        4,
        stage="approved",
        actor="anna.approver",
        requested_amount=Decimal("60000"),
        granted_amount=Decimal("55000"),
        final_report_due_at=datetime(2028, 9, 30, tzinfo=UTC),
    )
    assert await _apply_twice(sessions, approved) == [True, False]
    async with sessions() as session:
        row = await session.get(Application, application.id)
        documents = list(
            await session.scalars(
                select(ApplicationDocument).where(
                    ApplicationDocument.application_id == application.id,
                    ApplicationDocument.kind == "bescheid",
                )
            )
        )
    assert row is not None and row.stage == "approved" and row.decided_by == "anna.approver"
    assert len(documents) == 1 and documents[0].created_by == "anna.approver"
    html = documents[0].body["html"]
    assert "55.000,00 EUR" in html and "anna.approver" in html and "01.03.2027" in html


async def test_the_budget_lifecycle_follows_the_events(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    application = await application_in_round(sessions, budget=Decimal("100000"))
    async with sessions() as session:
        held = await budget.reserve(
            session=session, application=application, amount=Decimal("40000")
        )
    assert held is None
    assert (await _committed(sessions, application)).committed == Decimal("40000.00")
    rejected = application_event(
        application, ApplicationRejected, 4, stage="rejected", reason="nein"
    )
    assert await _apply_twice(sessions, rejected) == [True, False]
    assert (await _committed(sessions, application)).committed == Decimal("0.00")

    funded = await application_in_round(sessions, budget=Decimal("100000"))
    requested = application_event(
        funded, PaymentRequested, 4, stage="active", payment_id="p-1", amount=Decimal("1000")
    )
    paid = application_event(
        funded,
        PaymentApproved,
        5,
        stage="active",
        payment_id="p-1",
        amount=Decimal("1000"),
        paid_total=Decimal("1000"),
    )
    await _apply_twice(sessions, requested)
    assert await _apply_twice(sessions, paid) == [True, False]
    row = await _committed(sessions, funded)
    assert row.paid == Decimal("1000.00")
