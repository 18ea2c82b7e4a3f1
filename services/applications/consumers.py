"""NATS subjects the applications service listens to."""

from __future__ import annotations

from services.applications import repository
from shared.events import CloudEvent
from shared.runtime import ServiceRuntime

READ_MODEL_DURABLE = "applications-read-model"
READ_MODEL_SUBJECT = "wir.application.>"


def start(runtime: ServiceRuntime) -> None:
    async def project(event: CloudEvent) -> None:
        async with runtime.sessions() as session:
            await repository.apply_event(session=session, event=event)
            await session.commit()

    runtime.start_consumer(durable=READ_MODEL_DURABLE, subject=READ_MODEL_SUBJECT, handler=project)
