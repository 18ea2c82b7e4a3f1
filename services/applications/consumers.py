"""NATS subjects the applications service listens to."""

from __future__ import annotations

from services.applications.projection import ApplicationProjection
from shared.contracts.consumers import APPLICATIONS_READ_MODEL, APPLICATIONS_READ_MODEL_SUBJECT
from shared.contracts.envelope import CloudEvent
from shared.runtime import ServiceRuntime


def start(runtime: ServiceRuntime) -> None:
    async def project(event: CloudEvent) -> None:
        async with runtime.sessions() as session:
            projection = ApplicationProjection(
                session, staff_directory=runtime.settings.staff_directory
            )
            await projection.apply(event)
            await session.commit()

    runtime.start_consumer(
        durable=APPLICATIONS_READ_MODEL, subject=APPLICATIONS_READ_MODEL_SUBJECT, handler=project
    )
