"""The commands on an open case, one use case each.

Each sends the workflow only codes, ids and counts (see ``shared.contracts.cases``); what else the
request carried (notes, qualifications, employer, dates) is stored here once the workflow
has confirmed the command, keyed by the id of the event that confirmed it. Who may send a
command was checked before (``access``); ``cmd`` names the case, the sender and the clients.
"""

from __future__ import annotations

import uuid

from services.cases.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseFollowUp,
    CasePlacement,
    CasePlan,
)
from services.cases.cases.queries import get_referral
from services.cases.cases.schemas import (
    AssessmentIn,
    ClosureIn,
    FollowUpIn,
    GoalStatus,
    PlacementIn,
    PlanIn,
    ReferralCompletionIn,
    ReferralIn,
    ReferralResponseIn,
    TransferIn,
)
from services.cases.cases.service import CaseCommand, send_command
from services.cases.offers.service import get_offer
from shared.contracts.cases import (
    AssessCommand,
    CloseCommand,
    ClosureReason,
    CompleteReferralCommand,
    FollowUpCommand,
    PlaceCommand,
    ReferCommand,
    ReferralResponseCommand,
    RefugeeCaseUpdates,
    ReopenCommand,
    RevisePlanCommand,
    TransferCommand,
)
from shared.contracts.envelope import CloudEvent
from shared.contracts.events import case as events


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
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.assess, command=command, record=record
    )


async def refer(*, cmd: CaseCommand, data: ReferralIn) -> Case:
    """Refer the person into an offer of the catalogue. The referral row appears only once
    the workflow accepted the command (the projection of ``referral_sent`` creates it)."""
    await get_offer(session=cmd.session, offer_id=data.offer_id)

    async def record(event: CloudEvent) -> None:
        # a repeated request gets the first request's event, with the first referral id
        if event.type == events.ReferralSent.event_type:
            sent = events.ReferralSent.model_validate(event.data)
            referral = await get_referral(
                session=cmd.session, case_id=cmd.case_id, referral_id=sent.referral_id
            )
            referral.note = data.note

    command = ReferCommand(actor=cmd.user, referral_id=str(uuid.uuid4()), offer_id=data.offer_id)
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.refer, command=command, record=record
    )


async def respond_to_referral(
    *, cmd: CaseCommand, referral_id: str, data: ReferralResponseIn
) -> Case:
    """The provider accepts or declines (with a reason) a referral that was sent."""
    await get_referral(session=cmd.session, case_id=cmd.case_id, referral_id=referral_id)

    async def record(_: CloudEvent) -> None:
        if data.note is not None:
            referral = await get_referral(
                session=cmd.session, case_id=cmd.case_id, referral_id=referral_id
            )
            referral.response_note = data.note

    command = ReferralResponseCommand(
        actor=cmd.user,
        referral_id=referral_id,
        accepted=data.accepted,
        decline_reason=data.decline_reason,
    )
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.respond_to_referral, command=command, record=record
    )


async def complete_referral(
    *, cmd: CaseCommand, referral_id: str, data: ReferralCompletionIn
) -> Case:
    await get_referral(session=cmd.session, case_id=cmd.case_id, referral_id=referral_id)
    command = CompleteReferralCommand(actor=cmd.user, referral_id=referral_id, outcome=data.outcome)
    return await send_command(cmd=cmd, update=RefugeeCaseUpdates.complete_referral, command=command)


async def place(*, cmd: CaseCommand, data: PlacementIn) -> Case:
    """Record the placement; the workflow counts its check-ins from ``start_date``."""
    if data.offer_id is not None:
        await get_offer(session=cmd.session, offer_id=data.offer_id)

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
        actor=cmd.user,
        placement_type=data.placement_type,
        offer_id=data.offer_id,
        start_date=data.start_date,
    )
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.place, command=command, record=record
    )


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
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.record_follow_up, command=command, record=record
    )


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
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.close, command=command, record=record
    )


async def reopen(*, cmd: CaseCommand) -> Case:
    """Reopen a closed case within the reopen window; it goes back to ``in_progress``."""
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.reopen, command=ReopenCommand(actor=cmd.user)
    )


async def revise_plan(*, cmd: CaseCommand, data: PlanIn) -> Case:
    """A new version of the plan, its goals as they stand now; every version is kept. The
    workflow learns the goals' areas and the next target date only."""

    async def record(event: CloudEvent) -> None:
        if event.type != events.PlanRevised.event_type:
            return
        if await cmd.session.get(CasePlan, event.id) is None:
            cmd.session.add(
                CasePlan(
                    id=event.id,
                    case_id=cmd.case_id,
                    version=events.PlanRevised.model_validate(event.data).plan_version,
                    goals=[goal.model_dump(mode="json") for goal in data.goals],
                    note=data.note,
                    created_at=event.time,
                    created_by=cmd.user,
                )
            )

    open_dates = [
        g.target_date for g in data.goals if g.status is GoalStatus.open and g.target_date
    ]
    command = RevisePlanCommand(
        actor=cmd.user,
        goal_areas=[goal.area.value for goal in data.goals],
        next_target_date=min(open_dates) if open_dates else None,
    )
    return await send_command(
        cmd=cmd, update=RefugeeCaseUpdates.revise_plan, command=command, record=record
    )


async def transfer(*, cmd: CaseCommand, data: TransferIn) -> Case:
    """Hand an open case to another case manager; its open tasks go with it. The event
    names both case managers (staff ids) and nothing about the person. The previous case
    manager keeps no access unless the case is shared with them."""
    command = TransferCommand(actor=cmd.user, case_manager=data.case_manager)
    return await send_command(cmd=cmd, update=RefugeeCaseUpdates.transfer, command=command)
