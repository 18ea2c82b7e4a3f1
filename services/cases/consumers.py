"""NATS subjects the cases service listens to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.cases.attachments.store import case_files
from services.cases.cases.participations import record_participation
from services.cases.cases.projection import CaseProjection
from services.cases.cases.queries import case_exists
from shared.contracts.consumers import (
    CASES_PARTICIPATIONS,
    CASES_PARTICIPATIONS_SUBJECT,
    CASES_READ_MODEL,
    CASES_READ_MODEL_SUBJECT,
)
from shared.contracts.envelope import CloudEvent
from shared.runtime import ServiceRuntime

# ``wir.case.opened`` can overtake the commit of the intake that started the workflow. An
# event this young about an unknown case is redelivered (the bus naks failed handlers with
# a growing delay) instead of dropped; older ones belong to no case of ours.
UNKNOWN_CASE_GRACE = timedelta(minutes=2)


class CaseNotStoredYet(Exception):
    """The event's case is not (yet) in the database."""


def start(runtime: ServiceRuntime) -> None:
    async def project(event: CloudEvent) -> None:
        async with runtime.sessions() as session:
            projection = CaseProjection(session, files=case_files(runtime.settings))
            applied = await projection.apply(event)
            await session.commit()
            if applied or datetime.now(UTC) - event.time > UNKNOWN_CASE_GRACE:
                return
            case_id = str(event.data.get("case_id"))
            if await case_exists(session=session, case_id=case_id):
                return  # applied already, by the API with the command's result
        raise CaseNotStoredYet(f"case {case_id} of event {event.id} is not stored yet")

    runtime.start_consumer(
        durable=CASES_READ_MODEL, subject=CASES_READ_MODEL_SUBJECT, handler=project
    )

    async def participation(event: CloudEvent) -> None:
        async with runtime.sessions() as session:
            await record_participation(session=session, event=event)
            await session.commit()

    runtime.start_consumer(
        durable=CASES_PARTICIPATIONS, subject=CASES_PARTICIPATIONS_SUBJECT, handler=participation
    )
