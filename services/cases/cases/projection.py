"""The read model's projection of the case workflow's events, on the shared skeleton.

Both the API (with an update's result) and the event consumer apply events here; whichever
comes second finds the event recorded and changes nothing. Events raised by the workflow's
own deadlines (reminders, follow-ups, erasure) arrive through the consumer alone.

Referrals keep their own order: a referral's event may arrive after a newer event of the
case (two commands at once) and must still be applied, so referrals are projected in
:meth:`CaseProjection.once` against the referral's own sequence number. Tasks and the
erasure do not depend on the order of events either: each acts once per event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.erasure import erase_person
from services.cases.cases.models import Case, CaseEvent, CaseReferral
from services.cases.work import tasks
from shared.contracts.cases import ReferralStatus
from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.events import case as events
from shared.files.store import FileStore
from shared.projection import Projection


class CaseProjection(Projection[Case]):
    entity = Case
    history = CaseEvent
    entity_key = "case_id"

    def __init__(self, session: AsyncSession, *, files: FileStore) -> None:
        super().__init__(session)
        #: where the case's attachments are, for the erasure
        self.files = files

    async def once(self, entity: Case, payload: EventData, event: CloudEvent) -> None:
        if isinstance(payload, events.ReferralEvent):
            await self._referral(entity, payload, event.time)
            await self.session.flush()
        await tasks.on_event(session=self.session, case=entity, payload=payload, event=event)
        if isinstance(payload, events.ErasureDue):
            await erase_person(session=self.session, case=entity, at=event.time, files=self.files)

    def newest(self, entity: Case, payload: EventData, event: CloudEvent) -> None:
        if not isinstance(payload, events.CaseEvent):
            return
        entity.stage = payload.stage
        entity.case_manager = payload.case_manager
        entity.updated_at = event.time
        match payload:
            case events.CaseAssessed():
                entity.need_count = payload.need_count
            case events.CasePlaced():
                entity.placement_type = payload.placement_type.value
                entity.follow_up_due_at = payload.follow_up_due_at
            case events.FollowUpDue():
                # events recorded before the field existed name only the check-in now due
                if "next_follow_up_due_at" in payload.model_fields_set:
                    entity.follow_up_due_at = payload.next_follow_up_due_at
                else:
                    entity.follow_up_due_at = payload.follow_up_due_at
            case events.CaseClosed():
                entity.closure_reason = payload.reason.value
                entity.closed_at = event.time
            case events.CaseReopened():
                entity.closure_reason = None
                entity.closed_at = None

    async def _referral(self, case: Case, payload: events.ReferralEvent, at: datetime) -> None:
        """Each referral event fills its own columns, whatever order they arrive in; the
        status follows the newest of the referral's events."""
        match payload:
            case events.ReferralSent():
                status = ReferralStatus.sent
            case events.ReferralAccepted():
                status = ReferralStatus.accepted
            case events.ReferralDeclined():
                status = ReferralStatus.declined
            case events.ReferralCompleted():
                status = ReferralStatus.completed
            case _:
                return  # reminders and escalations leave the referral as it is (tasks)
        referral = await self.session.get(CaseReferral, payload.referral_id)
        actor = payload.actor or "workflow"
        if referral is None:
            referral = CaseReferral(
                id=payload.referral_id,
                case_id=case.id,
                offer_id=payload.offer_id,
                status=ReferralStatus.sent.value,
                seq=0,
                sent_at=at,
                created_by=actor,
            )
            self.session.add(referral)
        match payload:
            case events.ReferralSent():
                referral.sent_at = at
                referral.created_by = actor
            case events.ReferralAccepted():
                referral.answered_at = at
            case events.ReferralDeclined():
                referral.answered_at = at
                referral.decline_reason = payload.reason.value
            case events.ReferralCompleted():
                referral.completed_at = at
                referral.outcome = payload.outcome.value
        if payload.seq > referral.seq:
            referral.status = status.value
            referral.seq = payload.seq
