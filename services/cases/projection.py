"""The read model's projection of the case workflow's events.

Both the API (with an update's result) and the event consumer apply events here; whichever
comes second finds the event recorded and changes nothing. Events raised by the workflow's
own deadlines (reminders, follow-ups, erasure) arrive through the consumer alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases import erasure, tasks
from services.cases.models import Case, CaseEvent, CaseReferral
from shared.contracts.cases import ReferralStatus
from shared.contracts.envelope import CloudEvent


async def apply_event(*, session: AsyncSession, event: CloudEvent) -> bool:
    """Project one workflow event onto the read model, at most once per event id.

    Returns whether it applied.
    """
    if await session.get(CaseEvent, event.id) is not None:
        return False
    data = event.data
    case = await session.get(Case, data["case_id"])
    if case is None:
        return False  # not ours (e.g. another installation sharing the stream)
    seq = int(data["seq"])
    name = event.type.rsplit(".", 1)[-1]
    try:
        session.add(
            CaseEvent(
                event_id=event.id,
                case_id=case.id,
                seq=seq,
                type=event.type,
                stage=data["stage"],
                actor=data.get("actor"),
                time=event.time,
                data=data,
            )
        )
        await session.flush()
        if name.startswith("referral_"):
            # referrals keep their own order: a referral's event may arrive after a newer
            # event of the case (two commands at once), and must still be applied
            await _project_referral(session, case.id, name, data, event.time)
            await session.flush()
        # tasks and erasure do not depend on the order of events: each acts once
        await tasks.on_event(session=session, case=case, name=name, event=event)
        if name == "erasure_due":
            await erasure.erase_person(session=session, case=case, at=event.time)
        await session.flush()
    except IntegrityError:  # the other path recorded it a moment ago
        await session.rollback()
        return False
    if seq > case.seq:
        _project(case, name, data, event.time)
        case.seq = seq
    return True


def _project(case: Case, name: str, data: dict[str, Any], at: datetime) -> None:
    case.stage = str(data["stage"])
    case.case_manager = str(data["case_manager"])
    case.updated_at = at
    if name == "assessed":
        case.need_count = int(data["need_count"])
    elif name == "placed":
        case.placement_type = str(data["placement_type"])
        case.follow_up_due_at = datetime.fromisoformat(str(data["follow_up_due_at"]))
    elif name == "follow_up_due":
        upcoming = data.get("next_follow_up_due_at", data["follow_up_due_at"])
        case.follow_up_due_at = datetime.fromisoformat(str(upcoming)) if upcoming else None
    elif name == "closed":
        case.closure_reason = str(data["reason"])
        case.closed_at = at
    elif name == "reopened":
        case.closure_reason = None
        case.closed_at = None


_REFERRAL_STATUS = {
    "referral_sent": ReferralStatus.sent,
    "referral_accepted": ReferralStatus.accepted,
    "referral_declined": ReferralStatus.declined,
    "referral_completed": ReferralStatus.completed,
}


async def _project_referral(
    session: AsyncSession, case_id: str, name: str, data: dict[str, Any], at: datetime
) -> None:
    if name not in _REFERRAL_STATUS:
        return  # reminders and escalations leave the referral as it is (they raise tasks)
    referral = await session.get(CaseReferral, data["referral_id"])
    actor = str(data.get("actor") or "workflow")
    if referral is None:
        referral = CaseReferral(
            id=data["referral_id"],
            case_id=case_id,
            offer_id=data["offer_id"],
            status=ReferralStatus.sent.value,
            seq=0,
            sent_at=at,
            created_by=actor,
        )
        session.add(referral)
    # each event fills its own columns, whatever the order they arrive in
    if name == "referral_sent":
        referral.sent_at = at
        referral.created_by = actor
    elif name == "referral_accepted":
        referral.answered_at = at
    elif name == "referral_declined":
        referral.answered_at = at
        referral.decline_reason = str(data["reason"])
    elif name == "referral_completed":
        referral.completed_at = at
        referral.outcome = str(data["outcome"])
    seq = int(data["seq"])
    if seq > referral.seq:
        referral.status = _REFERRAL_STATUS[name].value
        referral.seq = seq
