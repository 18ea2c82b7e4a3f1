"""The read model of the Fachtag workflow's events, on the shared skeleton
(shared/projection.py): the API applies a command's events, the consumer those of the
workflow's own deadlines (automatic closing, documentation reminders)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.fachtage.models import Fachtag, FachtagHistory, FachtagParticipant
from shared.contracts.coordination_activities import ParticipantStatus
from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.events import coordination_activities as events
from shared.projection import Projection

#: The event types this projection keeps (consumers.PROJECTIONS).
PREFIXES = ("wir.coordination.fachtag_", "wir.coordination.participant_")


class FachtagProjection(Projection[Fachtag]):
    entity = Fachtag
    history = FachtagHistory
    entity_key = "fachtag_id"

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)

    async def once(self, entity: Fachtag, payload: EventData, event: CloudEvent) -> None:
        if isinstance(payload, events.ParticipantEvent):
            await self._participant(entity, payload, event)

    async def _participant(
        self, day: Fachtag, payload: events.ParticipantEvent, event: CloudEvent
    ) -> None:
        """Each participant follows its own newest event, whatever order they arrive in."""
        row = await self.session.get(FachtagParticipant, payload.participant_id)
        if row is None:
            row = FachtagParticipant(
                id=payload.participant_id,
                fachtag_id=day.id,
                kind=payload.participant_kind.value,
                ref=payload.case_id or "",
                registered_by=payload.registered_by,
                status=ParticipantStatus.registered.value,
                registered_at=event.time,
                seq=0,
            )
            self.session.add(row)
        if isinstance(payload, events.ParticipantAttended):
            row.attended = True
            return
        if payload.seq <= row.seq:
            return
        row.seq = payload.seq
        match payload:
            case events.ParticipantRegistered() | events.ParticipantMovedUp():
                row.status = ParticipantStatus.registered.value
            case events.ParticipantWaitlisted():
                row.status = ParticipantStatus.waitlisted.value
            case events.ParticipantCancelled() | events.ParticipantFachtagCancelled():
                row.status = ParticipantStatus.cancelled.value

    def newest(self, entity: Fachtag, payload: EventData, event: CloudEvent) -> None:
        if not isinstance(payload, events.FachtagEvent):
            return
        entity.stage = payload.stage
        entity.updated_at = event.time
        match payload:
            case events.FachtagRegistrationClosed():
                entity.registered_count = payload.registered_count
                entity.waitlisted_count = payload.waitlisted_count
            case events.FachtagHeld():
                entity.held_at = event.time
                entity.documentation_due_at = payload.documentation_due_at
            case events.FachtagDocumentationDue():
                entity.reminders_sent = payload.reminder
            case events.FachtagDocumented():
                entity.documented_at = event.time
            case events.FachtagCancelled():
                entity.cancelled_at = event.time
