"""The skeleton every read model projects its workflow's events on.

Each event is applied at most once (its id is the primary key of the entity's history
table) and in two parts:

- :meth:`Projection.once` — effects that do not depend on the order events arrive in
  (a payment row, a budget release, a task, an erasure): applied once per event;
- :meth:`Projection.newest` — the entity's fields that the newest event decides: applied
  only when the event's sequence number is above the one the row holds.

Both the API (with an update's result) and the durable consumer call :meth:`apply`;
whichever comes second finds the event recorded and changes nothing. Subclasses ``match``
on the typed payload (``shared.contracts.events``), never on raw ``data["…"]``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BeforeValidator
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import CloudEvent, EventData, event_model

log = logging.getLogger("wir.projection")

#: Who a history entry names when no person caused its event (a deadline passed, a
#: check ran): the history keeps no actor (None), answers say ``system``.
SYSTEM_ACTOR = "system"


def actor_or_system(actor: str | None) -> str:
    return SYSTEM_ACTOR if actor is None else actor


#: The ``actor`` of a history entry in an answer.
HistoryActor = Annotated[str, BeforeValidator(actor_or_system)]


class Projected(Protocol):
    """An entity a projection keeps: its id and the sequence number of its newest event."""

    id: Any
    seq: Any


EntityT = TypeVar("EntityT", bound=Projected)


class Projection(Generic[EntityT]):
    """Subclasses name the entity, its history table and the payload field with its id."""

    entity: ClassVar[type[Any]]
    history: ClassVar[type[Any]]
    #: the payload field holding the entity's id, also the history table's foreign key
    entity_key: ClassVar[str]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def apply(self, event: CloudEvent) -> bool:
        """Project one event; returns whether it applied (False: seen before, or not ours)."""
        session = self.session
        if await session.get(self.history, event.id) is not None:
            return False
        try:
            payload = event_model(event.type).model_validate(event.data)
        except ValueError:
            log.warning("event %s of unknown type %s left unprojected", event.id, event.type)
            return False
        entity = await session.get(
            self.entity, event.data.get(self.entity_key), populate_existing=True
        )
        if entity is None:
            return False  # not ours (e.g. another installation sharing the stream)
        try:
            session.add(
                self.history(
                    event_id=event.id,
                    seq=payload.seq,
                    type=event.type,
                    stage=payload.stage,
                    actor=payload.actor,
                    time=event.time,
                    data=event.data,
                    **{self.entity_key: entity.id},
                )
            )
            await session.flush()
            await self.once(entity, payload, event)
            await session.flush()
        except IntegrityError:  # the other path recorded it a moment ago
            await session.rollback()
            return False
        if payload.seq > entity.seq:
            self.newest(entity, payload, event)
            entity.seq = payload.seq
        return True

    async def once(self, entity: EntityT, payload: EventData, event: CloudEvent) -> None:
        """Effects applied once per event, whatever order events arrive in."""

    def newest(self, entity: EntityT, payload: EventData, event: CloudEvent) -> None:
        """The entity's fields that the newest event decides."""
