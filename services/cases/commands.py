"""The commands on an open case, one use case each.

Each sends the workflow only codes, ids and counts (see ``shared.cases``); what else the
request carried (notes, qualifications, employer, dates) is stored here once the workflow
has confirmed the command, keyed by the id of the event that confirmed it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.cases import repository
from services.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseFollowUp,
    CasePlacement,
)
from services.cases.schemas import (
    AssessmentIn,
    ClosureIn,
    FollowUpIn,
    PlacementIn,
    ReferralCompletionIn,
    ReferralIn,
    ReferralResponseIn,
)
from services.cases.service import send_command
from shared.cases import (
    AssessCommand,
    CloseCommand,
    ClosureReason,
    CompleteReferralCommand,
    FollowUpCommand,
    PlaceCommand,
    ReferCommand,
    ReferralResponseCommand,
    ReopenCommand,
)
from shared.events import CloudEvent
from shared.settings import WirSettings


async def assess(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: AssessmentIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """Record the needs assessment; the first one moves the case to ``in_progress``."""

    async def record(event: CloudEvent) -> None:
        if await session.get(CaseAssessment, event.id) is None:
            session.add(
                CaseAssessment(
                    id=event.id,
                    case_id=case_id,
                    created_at=event.time,
                    created_by=actor,
                    **data.model_dump(mode="json"),
                )
            )

    command = AssessCommand(actor=actor, need_count=len(data.needs))
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="assess",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )


async def refer(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: ReferralIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """Refer the person into an offer of the catalogue. The referral row appears only once
    the workflow accepted the command (the projection of ``referral_sent`` creates it)."""
    await repository.get_offer(session=session, offer_id=data.offer_id)

    async def record(event: CloudEvent) -> None:
        # a repeated request gets the first request's event, with the first referral id
        referral = await repository.get_referral(
            session=session, case_id=case_id, referral_id=str(event.data["referral_id"])
        )
        referral.note = data.note

    command = ReferCommand(actor=actor, referral_id=str(uuid.uuid4()), offer_id=data.offer_id)
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="refer",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )


async def respond_to_referral(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    referral_id: str,
    data: ReferralResponseIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """The provider accepts or declines (with a reason) a referral that was sent."""
    await repository.get_referral(session=session, case_id=case_id, referral_id=referral_id)

    async def record(_: CloudEvent) -> None:
        if data.note is not None:
            referral = await repository.get_referral(
                session=session, case_id=case_id, referral_id=referral_id
            )
            referral.response_note = data.note

    command = ReferralResponseCommand(
        actor=actor,
        referral_id=referral_id,
        accepted=data.accepted,
        decline_reason=data.decline_reason,
    )
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="respond_to_referral",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )


async def complete_referral(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    referral_id: str,
    data: ReferralCompletionIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    await repository.get_referral(session=session, case_id=case_id, referral_id=referral_id)
    command = CompleteReferralCommand(actor=actor, referral_id=referral_id, outcome=data.outcome)
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="complete_referral",
        command=command,
        idempotency_key=idempotency_key,
    )


async def place(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: PlacementIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """Record the placement; the workflow's follow-up period starts."""
    if data.offer_id is not None:
        await repository.get_offer(session=session, offer_id=data.offer_id)

    async def record(event: CloudEvent) -> None:
        if await session.get(CasePlacement, event.id) is None:
            session.add(
                CasePlacement(
                    id=event.id,
                    case_id=case_id,
                    placement_type=data.placement_type.value,
                    employer_or_provider=data.employer_or_provider,
                    start_date=data.start_date,
                    offer_id=data.offer_id,
                    created_at=event.time,
                    created_by=actor,
                )
            )

    command = PlaceCommand(actor=actor, placement_type=data.placement_type, offer_id=data.offer_id)
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="place",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )


async def record_follow_up(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: FollowUpIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    async def record(event: CloudEvent) -> None:
        if await session.get(CaseFollowUp, event.id) is None:
            session.add(
                CaseFollowUp(
                    id=event.id,
                    case_id=case_id,
                    still_placed=data.still_placed,
                    note=data.note,
                    created_at=event.time,
                    created_by=actor,
                )
            )

    command = FollowUpCommand(actor=actor, still_placed=data.still_placed)
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="record_follow_up",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )


async def close(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: ClosureIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    async def record(event: CloudEvent) -> None:
        if await session.get(CaseClosure, event.id) is None:
            session.add(
                CaseClosure(
                    id=event.id,
                    case_id=case_id,
                    reason=data.reason.value,
                    # consent withdrawn: the erasure follows at once and may already have
                    # run (consumer), so nothing more about the person is written
                    note=None if data.reason is ClosureReason.consent_withdrawn else data.note,
                    created_at=event.time,
                    created_by=actor,
                )
            )

    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="close",
        command=CloseCommand(actor=actor, reason=data.reason),
        idempotency_key=idempotency_key,
        record=record,
    )


async def reopen(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """Reopen a closed case within the reopen window; it goes back to ``in_progress``."""
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="reopen",
        command=ReopenCommand(actor=actor),
        idempotency_key=idempotency_key,
    )
