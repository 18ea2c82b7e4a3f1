"""The activity that publishes CloudEvents to JetStream, shared by both workflows."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from temporalio import activity
from temporalio.common import RetryPolicy

from shared.bus import EventBus
from shared.contracts.envelope import CloudEvent


class PublishEventInput(BaseModel):
    event: CloudEvent


class EventActivities:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    @activity.defn(name="publish_event")
    async def publish_event(self, input: PublishEventInput) -> bool:
        """Publish once: the event id is fixed in workflow history before the first attempt,
        and JetStream drops a second copy with the same ``Nats-Msg-Id``."""
        stored = await self._bus.publish(input.event)
        if not stored:
            activity.logger.info("event %s was already stored", input.event.id)
        return stored


# NATS outages are waited out: the event id stays the same across attempts, so a late
# success is still stored once.
PUBLISH_TIMEOUT = timedelta(seconds=10)
PUBLISH_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=0,
)
