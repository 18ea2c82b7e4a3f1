"""The publishing part every WIR workflow shares: one ``_emit`` and its lock.

Each event takes the next sequence number of the workflow's state. Its id derives from the
workflow id and that number (``derive_event_id``), so a replay or a retried activity
reuses it and JetStream stores it once. One event at a time: commands running
concurrently publish in sequence order, so the stream holds an entity's events in order.
"""

from __future__ import annotations

import asyncio
from typing import Generic, Protocol, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.envelope import CloudEvent, EventData, build_event, derive_event_id
    from workflows.events import (
        PUBLISH_RETRY,
        PUBLISH_TIMEOUT,
        EventActivities,
        PublishEventInput,
    )


class Sequenced(Protocol):
    """A workflow state that numbers its events."""

    seq: int


StateT = TypeVar("StateT", bound=Sequenced)
EventT = TypeVar("EventT", bound=EventData)


class EmittingWorkflow(Generic[StateT, EventT]):
    """Base of a workflow whose state is ``StateT`` and whose events are ``EventT``s."""

    _state: StateT

    def __init__(self) -> None:
        self._publishing = asyncio.Lock()

    def _event_fields(self) -> dict[str, object]:
        """What every event of this workflow carries besides ``seq``: the entity's ids and
        its stage at the time of the event."""
        raise NotImplementedError

    async def _emit(self, model: type[EventT], **fields: object) -> CloudEvent:
        """Publish the next event of this workflow and return it."""
        async with self._publishing:
            self._state.seq += 1
            data = model(**self._event_fields(), seq=self._state.seq, **fields)
            event_id = derive_event_id(workflow.info().workflow_id, self._state.seq)
            event = build_event(event_id=event_id, data=data, time=workflow.now())
            await workflow.execute_activity_method(
                EventActivities.publish_event,
                PublishEventInput(event=event),
                start_to_close_timeout=PUBLISH_TIMEOUT,
                retry_policy=PUBLISH_RETRY,
            )
            return event
