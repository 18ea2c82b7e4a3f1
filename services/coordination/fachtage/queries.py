"""Read queries of the Fachtage: lists and the day with the participants the viewer may see."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.access import may_see_participant
from services.coordination.actors.models import ContactPerson
from services.coordination.fachtage.models import Fachtag, FachtagHistory, FachtagParticipant
from services.coordination.fachtage.schemas import (
    FachtagLevel,
    FachtagOut,
    FachtagSummary,
    ParticipantOut,
    history_entries,
)
from shared.auth import Actor, Role
from shared.contracts import coordination_activities as contract
from shared.contracts.coordination_activities import (
    FachtagStage,
    ParticipantKind,
    ParticipantStatus,
)
from shared.pagination import PageParams, fetch_page


async def _counts(session: AsyncSession, ids: list[str]) -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(FachtagParticipant.fachtag_id, FachtagParticipant.status, func.count())
        .where(FachtagParticipant.fachtag_id.in_(ids))
        .group_by(FachtagParticipant.fachtag_id, FachtagParticipant.status)
    )
    return {(f, s): int(n) for f, s, n in rows}


def _summary(day: Fachtag, counts: dict[tuple[str, str], int]) -> dict[str, object]:
    return {
        "id": day.id,
        "title": day.title,
        "audience": day.audience,
        "level": day.level,
        "venue": day.venue,
        "capacity": day.capacity,
        "starts_at": day.starts_at,
        "registration_closes_at": day.registration_closes_at,
        "stage": day.stage,
        "organiser": day.organiser,
        "registered": counts.get((day.id, ParticipantStatus.registered.value), 0),
        "waitlisted": counts.get((day.id, ParticipantStatus.waitlisted.value), 0),
    }


async def fachtage_page(
    *,
    session: AsyncSession,
    page: PageParams,
    stage: FachtagStage | None = None,
    level: FachtagLevel | None = None,
) -> tuple[list[FachtagSummary], int]:
    query = select(Fachtag).order_by(Fachtag.starts_at.desc(), Fachtag.id)
    if stage is not None:
        query = query.where(Fachtag.stage == stage.value)
    if level is not None:
        query = query.where(Fachtag.level == level.value)
    days, total = await fetch_page(session, query, page)
    counts = await _counts(session, [d.id for d in days])
    return [FachtagSummary.model_validate(_summary(d, counts)) for d in days], total


async def contact_institutions(
    session: AsyncSession, rows: list[FachtagParticipant]
) -> dict[str, str]:
    """Contact id -> actor id for the contact persons among ``rows`` (one query; an
    erased contact keeps its row and so its institution)."""
    ids = {r.ref for r in rows if r.kind == ParticipantKind.contact.value}
    if not ids:
        return {}
    found = await session.execute(
        select(ContactPerson.id, ContactPerson.actor_id).where(ContactPerson.id.in_(ids))
    )
    return {contact_id: actor_id for contact_id, actor_id in found}


def participant_out(
    row: FachtagParticipant, viewer: Actor, institutions: dict[str, str]
) -> ParticipantOut:
    """``institutions``: contact id -> actor id (:func:`contact_institutions`)."""
    kind = ParticipantKind(row.kind)
    own = row.registered_by == viewer.user
    contact = kind is ParticipantKind.contact
    return ParticipantOut(
        participant_id=row.id,
        kind=kind,
        status=ParticipantStatus(row.status),
        attended=row.attended,
        registered_by=row.registered_by,
        registered_at=row.registered_at,
        contact_id=row.ref if contact else None,
        actor_id=institutions.get(row.ref) if contact else None,
        user_id=row.ref if kind is ParticipantKind.staff else None,
        case_id=row.ref if kind is ParticipantKind.refugee and own else None,
    )


async def fachtag_out(*, session: AsyncSession, day: Fachtag, viewer: Actor) -> FachtagOut:
    rows = await session.scalars(
        select(FachtagParticipant)
        .where(FachtagParticipant.fachtag_id == day.id)
        .order_by(FachtagParticipant.registered_at, FachtagParticipant.id)
    )
    participants = [r for r in rows if may_see_participant(viewer, r)]
    institutions = await contact_institutions(session, participants)
    history = None
    if viewer.has(Role.coordinator):
        entries = await session.scalars(
            select(FachtagHistory)
            .where(FachtagHistory.fachtag_id == day.id)
            .order_by(FachtagHistory.seq)
        )
        history = history_entries(list(entries))
    return FachtagOut.model_validate(
        {
            **_summary(day, await _counts(session, [day.id])),
            "held_at": day.held_at,
            "documentation_due_at": day.documentation_due_at,
            "reminders_sent": day.reminders_sent,
            "documented_at": day.documented_at,
            "documentation": day.documentation if viewer.has(Role.coordinator) else None,
            "cancelled_at": day.cancelled_at,
            "cancellation_reason": day.cancellation_reason,
            "workflow_id": contract.workflow_id(day.id),
            "participants": [participant_out(r, viewer, institutions) for r in participants],
            "history": history,
        }
    )
