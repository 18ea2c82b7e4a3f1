"""Specialist days and information events in a case's history, learnt from the
coordination service's events (the cases service never imports that service).

A case manager registers their client for a Fachtag by case id; the day's workflow then
publishes ``wir.coordination.participant_*`` events carrying that ``case_id`` and the
case manager who registered it (``registered_by``); a cancelled day publishes one
``participant_fachtag_cancelled`` per registration, so the case's history shows the
cancellation as it shows the participation. Each such event becomes one entry of
the case's history (``case_events``; the event id is its key, so a redelivery adds
nothing), and only the case's holder and those it is shared with ever see it.

The coordination service cannot check whether the case manager may see the case; this is
where it is checked: an event whose ``registered_by`` neither holds the case nor has it
shared is left out, so a mistyped or foreign case id never reaches that case's history.
The entry takes the case's current sequence number and stage (history is ordered by
sequence number, then time), and the case's own read model (stage, ``seq``) stays as it is.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.models import Case, CaseEvent, CaseShare
from shared.contracts.envelope import CloudEvent, event_model
from shared.contracts.events.coordination_activities import ParticipantEvent

log = logging.getLogger("wir.cases.participations")


async def record_participation(*, session: AsyncSession, event: CloudEvent) -> bool:
    """Add the event to its case's history; False if it is not one, or not allowed, or
    recorded already."""
    try:
        payload = event_model(event.type).model_validate(event.data)
    except ValueError:
        return False
    if not isinstance(payload, ParticipantEvent) or payload.case_id is None:
        return False
    case = await session.get(Case, payload.case_id)
    if case is None or await session.get(CaseEvent, event.id) is not None:
        return False
    registrar = payload.registered_by
    if (
        case.case_manager != registrar
        and await session.get(CaseShare, (case.id, registrar)) is None
    ):
        log.warning(
            "participation %s left out of case %s: %s may not see the case",
            event.id,
            case.id,
            registrar,
        )
        return False
    session.add(
        CaseEvent(
            event_id=event.id,
            case_id=case.id,
            seq=case.seq,
            type=event.type,
            stage=case.stage,
            actor=payload.actor,
            time=event.time,
            data=event.data,
        )
    )
    try:
        await session.flush()
    except IntegrityError:  # a second delivery at the same moment
        await session.rollback()
        return False
    return True
