"""Rows of the applications service written straight into its database, and the events a
workflow would publish about them: for tests that feed the read model or the letters
without running a workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.applications.models import Application
from services.applications.catalogue.models import Organisation
from services.applications.rounds.models import FundingRound, RoundPriority
from shared.contracts.envelope import CloudEvent, build_event, derive_event_id
from shared.contracts.events.application import ApplicationEvent
from shared.contracts.grants import Deadlines

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PRIORITY = "coordination"


async def application_in_round(
    sessions: async_sessionmaker[AsyncSession],
    *,
    stage: str = "in_review",
    organisation: dict[str, Any] | None = None,
    budget: Decimal | None = None,
    **values: Any,
) -> Application:
    """An application of a new organisation (``organisation``: its fields beyond name
    and type) in a closed round of its own (``budget``: what the round has for the
    priority, none by default), 60,000 EUR requested for 2027/28."""
    org_id, round_id = str(uuid.uuid4()), f"r-{uuid.uuid4().hex[:12]}"
    named = {"name": "Landkreis Kassel", "applicant_type": "district"} | (organisation or {})
    async with sessions() as session:
        session.add(
            Organisation(
                id=org_id,
                **named,
                created_at=NOW,
                created_by="test",
            )
        )
        session.add(
            FundingRound(
                id=round_id,
                title="Förderrunde 2027",
                status="closed",
                submission_opens_at=NOW,
                submission_closes_at=NOW,
                period_earliest_start=date(2027, 1, 1),
                period_latest_end=date(2029, 12, 31),
                deadlines=Deadlines().model_dump(),
                created_at=NOW,
                created_by="test",
            )
        )
        await session.flush()
        if budget is not None:
            session.add(RoundPriority(round_id=round_id, priority_code=PRIORITY, budget=budget))
        app_id = str(uuid.uuid4())
        fields: dict[str, Any] = {
            "file_number": f"WIR-TEST-{app_id[:8]}",
            "title": "Koordination",
            "funding_period_start": date(2027, 4, 1),
            "funding_period_end": date(2028, 3, 31),
            "cost_lines": [{"category": "personnel", "description": "Stelle", "amount": "60000"}],
            "requested_amount": Decimal("60000"),
            "seq": 3,
        }
        application = Application(
            id=app_id,
            organisation_id=org_id,
            priority_code=PRIORITY,
            round_id=round_id,
            stage=stage,
            created_at=NOW,
            created_by="test",
            updated_at=NOW,
            **(fields | values),
        )
        session.add(application)
        await session.commit()
    return application


def application_event(
    application: Application, model: type[ApplicationEvent], seq: int, **fields: object
) -> CloudEvent:
    """The event the application's workflow publishes as its ``seq``-th, at NOW + seq min."""
    data = model(
        application_id=application.id,
        organisation_id=application.organisation_id,
        priority_code=application.priority_code,
        round_id=application.round_id,
        seq=seq,
        **fields,
    )
    return build_event(
        event_id=derive_event_id(f"grant-application-{application.id}", seq),
        data=data,
        time=NOW + timedelta(minutes=seq),
    )
