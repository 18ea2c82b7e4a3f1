"""NATS subjects the notifications service listens to."""

from __future__ import annotations

from services.notifications import repository, rules
from shared.events import CloudEvent
from shared.runtime import ServiceRuntime

DURABLE = "notifications"
SUBJECT = "wir.>"


def start(runtime: ServiceRuntime) -> None:
    async def notify(event: CloudEvent) -> None:
        notices = rules.notices_for(event)  # PermanentError terminates the message
        if not notices:
            return
        async with runtime.sessions() as session:
            await repository.store(session=session, event=event, notices=notices)
            await session.commit()

    runtime.start_consumer(durable=DURABLE, subject=SUBJECT, handler=notify)
