"""NATS subjects the notifications service listens to, and its delivery dispatcher."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from services.notifications.deliveries import service as deliveries
from services.notifications.deliveries.channels import Channels, webhook_client
from services.notifications.deliveries.dispatch import Dispatcher
from services.notifications.inbox import service as repository
from services.notifications.notices import rules
from services.notifications.settings import notification_settings
from shared.contracts.consumers import NOTIFICATIONS_SUBJECT
from shared.contracts.envelope import CloudEvent
from shared.runtime import ServiceRuntime

SUBJECT = NOTIFICATIONS_SUBJECT


def start(runtime: ServiceRuntime) -> None:
    settings = notification_settings(runtime.settings)
    http = webhook_client()
    dispatcher = Dispatcher(
        sessions=runtime.sessions,
        settings=settings,
        channels=Channels(settings, http),
        bus=runtime.bus,
    )

    async def notify(event: CloudEvent) -> None:
        notices = rules.notices_for(event)  # PermanentError dead-letters the message
        async with runtime.sessions() as session:
            languages, planned = await deliveries.plan(
                session=session,
                event=event,
                notices=notices,
                settings=settings,
                now=datetime.now(UTC),
            )
            if not notices and not planned:
                return
            stored = await repository.store(
                session=session,
                event=event,
                notices=notices,
                languages=languages,
                deliveries=planned,
            )
            await session.commit()
        deliveries.count_stored(inbox=stored, planned=planned)
        if planned:
            dispatcher.wake.set()

    async def dispatch(stop: asyncio.Event) -> None:
        try:
            await dispatcher.run(stop)
        finally:
            await http.aclose()

    runtime.start_consumer(durable=settings.notifications_durable, subject=SUBJECT, handler=notify)
    runtime.start_task("dispatcher", dispatch)
