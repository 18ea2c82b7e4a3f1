"""The commands on an open case, one use case each.

Each sends the workflow only codes, ids and counts (see ``shared.contracts.cases``); what else the
request carried (notes, qualifications, employer, dates) is stored here once the workflow
has confirmed the command, keyed by the id of the event that confirmed it. Who may send a
command was checked before (``access``); ``cmd`` names the case, the sender and the clients.
"""

from __future__ import annotations

import uuid

from services.cases import repository
from services.cases.models import Case, CaseAssessment, CaseClosure, CaseFollowUp, CasePlacement
from services.cases.schemas import (
    AssessmentIn,
    ClosureIn,
    FollowUpIn,
    PlacementIn,
    ReferralCompletionIn,
    ReferralIn,
    ReferralResponseIn,
)
from services.cases.service import CaseCommand, send_command
from shared.contracts.cases import (
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
from shared.contracts.envelope import CloudEvent


async def assess(*, cmd: CaseCommand, data: AssessmentIn) -> Case:
    """Record the needs assessment; the first one moves the case to ``in_progress``."""

    async def record(event: CloudEvent) -> None:
        if await cmd.session.get(CaseAssessment, event.id) is None:
            cmd.session.add(
                CaseAssessment(
                    id=event.id,
                    case_id=cmd.case_id,
                    created_at=event.time,
                    created_by=cmd.user,
                    **data.model_dump(mode="json"),
                )
            )

    command = AssessCommand(actor=cmd.user, need_count=len(data.needs))
    return await send_command(cmd=cmd, update="assess", command=command, record=record)


async def refer(*, cmd: CaseCommand, data: ReferralIn) -> Case:
    """Refer the person into an offer of the catalogue. The referral row appears only once
    the workflow accepted the command (the projection of ``referral_sent`` creates it)."""
    await repository.get_offer(session=cmd.session, offer_id=data.offer_id)

    async def record(event: CloudEvent) -> None:
        # a repeated request gets the first request's event, with the first referral id
        referral = await repository.get_referral(
            session=cmd.session, case_id=cmd.case_id, referral_id=str(event.data["referral_id"])
        )
        referral.note = data.note

    command = ReferCommand(actor=cmd.user, referral_id=str(uuid.uuid4()), offer_id=data.offer_id)
    return await send_command(cmd=cmd, update="refer", command=command, record=record)


async def respond_to_referral(
    *, cmd: CaseCommand, referral_id: str, data: ReferralResponseIn
) -> Case:
    """The provider accepts or declines (with a reason) a referral that was sent."""
    await repository.get_referral(session=cmd.session, case_id=cmd.case_id, referral_id=referral_id)

    async def record(_: CloudEvent) -> None:
        if data.note is not None:
            referral = await repository.get_referral(
                session=cmd.session, case_id=cmd.case_id, referral_id=referral_id
            )
            referral.response_note = data.note

    command = ReferralResponseCommand(
        actor=cmd.user,
        referral_id=referral_id,
        accepted=data.accepted,
        decline_reason=data.decline_reason,
    )
    return await send_command(cmd=cmd, update="respond_to_referral", command=command, record=record)


async def complete_referral(
    *, cmd: CaseCommand, referral_id: str, data: ReferralCompletionIn
) -> Case:
    await repository.get_referral(session=cmd.session, case_id=cmd.case_id, referral_id=referral_id)
    command = CompleteReferralCommand(actor=cmd.user, referral_id=referral_id, outcome=data.outcome)
    return await send_command(cmd=cmd, update="complete_referral", command=command)


async def place(*, cmd: CaseCommand, data: PlacementIn) -> Case:
    """Record the placement; the workflow's follow-up period starts."""
    if data.offer_id is not None:
        await repository.get_offer(session=cmd.session, offer_id=data.offer_id)

    async def record(event: CloudEvent) -> None:
        if await cmd.session.get(CasePlacement, event.id) is None:
            cmd.session.add(
                CasePlacement(
                    id=event.id,
                    case_id=cmd.case_id,
                    placement_type=data.placement_type.value,
                    employer_or_provider=data.employer_or_provider,
                    start_date=data.start_date,
                    offer_id=data.offer_id,
                    created_at=event.time,
                    created_by=cmd.user,
                )
            )

    command = PlaceCommand(
        actor=cmd.user, placement_type=data.placement_type, offer_id=data.offer_id
    )
    return await send_command(cmd=cmd, update="place", command=command, record=record)


async def record_follow_up(*, cmd: CaseCommand, data: FollowUpIn) -> Case:
    async def record(event: CloudEvent) -> None:
        if await cmd.session.get(CaseFollowUp, event.id) is None:
            cmd.session.add(
                CaseFollowUp(
                    id=event.id,
                    case_id=cmd.case_id,
                    still_placed=data.still_placed,
                    note=data.note,
                    created_at=event.time,
                    created_by=cmd.user,
                )
            )

    command = FollowUpCommand(actor=cmd.user, still_placed=data.still_placed)
    return await send_command(cmd=cmd, update="record_follow_up", command=command, record=record)


async def close(*, cmd: CaseCommand, data: ClosureIn) -> Case:
    async def record(event: CloudEvent) -> None:
        if await cmd.session.get(CaseClosure, event.id) is None:
            cmd.session.add(
                CaseClosure(
                    id=event.id,
                    case_id=cmd.case_id,
                    reason=data.reason.value,
                    # consent withdrawn: the erasure follows at once and may already have
                    # run (consumer), so nothing more about the person is written
                    note=None if data.reason is ClosureReason.consent_withdrawn else data.note,
                    created_at=event.time,
                    created_by=cmd.user,
                )
            )

    command = CloseCommand(actor=cmd.user, reason=data.reason)
    return await send_command(cmd=cmd, update="close", command=command, record=record)


async def reopen(*, cmd: CaseCommand) -> Case:
    """Reopen a closed case within the reopen window; it goes back to ``in_progress``."""
    return await send_command(cmd=cmd, update="reopen", command=ReopenCommand(actor=cmd.user))
