"""Use cases of the review: conflicts of interest, reviewer assignment, scoring, and the
decision (an approval reserves its amount from the round's budget first)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from services.applications.applications.commands import (
    ApplicationCommand,
    carry_out,
    done_before,
    release,
    send,
)
from services.applications.applications.models import Application
from services.applications.catalogue.queries import get_organisation, get_priority
from services.applications.review.models import ApplicationReview, ReviewerConflict
from services.applications.review.queries import conflict_with
from services.applications.review.schemas import ConflictIn, DecisionIn, ReviewIn
from services.applications.rounds import budget
from shared.contracts.grants import (
    ApplicationStage,
    AssignReviewerCommand,
    DecideCommand,
    Decision,
    GrantApplicationUpdates,
    ReviewCommand,
)
from shared.problems import ProblemError, stage_conflict


def _now() -> datetime:
    return datetime.now(UTC)


async def declare_conflict(
    *, session: AsyncSession, reviewer: str, data: ConflictIn, actor: str
) -> ReviewerConflict:
    await get_organisation(session=session, organisation_id=data.organisation_id)
    conflict = ReviewerConflict(
        reviewer=reviewer,
        organisation_id=data.organisation_id,
        reason=data.reason,
        declared_at=_now(),
        declared_by=actor,
    )
    session.add(conflict)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise ProblemError(
            409,
            "Conflict declared already",
            f"{reviewer} has declared a conflict with {data.organisation_id} already",
        ) from None
    return conflict


async def assign_reviewer(*, cmd: ApplicationCommand, reviewer: str) -> Application:
    """A reviewer with a declared conflict of interest with the applicant is refused (409),
    and so is the programme officer assigning themself."""
    conflict = await conflict_with(
        session=cmd.session, reviewer=reviewer, organisation_id=cmd.application.organisation_id
    )
    if conflict is not None:
        raise ProblemError(
            409,
            "Conflict of interest",
            f"{reviewer} cannot review this application: conflict of interest declared on "
            f"{conflict.declared_at:%Y-%m-%d}: {conflict.reason}",
        )
    command = AssignReviewerCommand(actor=cmd.user, reviewer=reviewer)
    return await send(cmd=cmd, update=GrantApplicationUpdates.assign_reviewer, command=command)


async def record_review(*, cmd: ApplicationCommand, data: ReviewIn) -> Application:
    """Scores per criterion of the priority; the workflow checks the actor is the assigned
    reviewer. The scores and comment stay in this service's tables, stored with the
    command's idempotency key: a repeated request stores nothing again."""
    application = cmd.application
    priority = await get_priority(session=cmd.session, code=application.priority_code)
    criteria = {c["code"]: int(c["max_points"]) for c in priority.criteria or []}
    unknown = sorted(set(data.scores) - set(criteria))
    missing = sorted(set(criteria) - set(data.scores))
    too_high = [
        f"{k} ({v} > {criteria[k]})" for k, v in data.scores.items() if v > criteria.get(k, v)
    ]
    if unknown or missing or too_high:
        problems = [f"unknown criteria: {', '.join(unknown)}"] if unknown else []
        problems += [f"missing criteria: {', '.join(missing)}"] if missing else []
        problems += [f"above the maximum: {', '.join(too_high)}"] if too_high else []
        raise ProblemError(422, "Invalid scores", "; ".join(problems))
    total, maximum = sum(data.scores.values()), sum(criteria.values())
    scores = ApplicationReview(
        application_id=application.id,
        revision=application.revision,
        reviewer=cmd.user,
        scores=dict(data.scores),
        total_score=total,
        max_score=maximum,
        comment=data.comment,
        recommendation=data.recommendation.value,
        created_at=_now(),
    )
    command = ReviewCommand(
        actor=cmd.user, total_score=total, max_score=maximum, recommendation=data.recommendation
    )
    return await send(
        cmd=cmd,
        update=GrantApplicationUpdates.record_review,
        command=command,
        record=lambda _: cmd.session.add(scores),
    )


async def decide(*, cmd: ApplicationCommand, data: DecisionIn) -> Application:
    """approve | reject | request_changes. An approval first reserves the granted amount
    from the round's priority budget (its own short commit, so concurrent approvals never
    take more than the budget); if the workflow refuses the decision, exactly that
    reservation is given back. Everything else (events, key, Bescheid) is one commit."""
    command = DecideCommand(actor=cmd.user, **data.model_dump())
    update = GrantApplicationUpdates.decide
    if command.decision is not Decision.approve:
        return await send(cmd=cmd, update=update, command=command)
    application = cmd.application
    if await done_before(cmd=cmd, update=update, command=command):
        return application
    assert command.granted_amount is not None
    session, application_id, amount = cmd.session, application.id, command.granted_amount
    try:
        # A taken-over claim's first request may have approved already (the read model
        # shows it): then the workflow answers this update id with that approval.
        if not cmd.claim.taken_over:
            if application.stage != ApplicationStage.in_review:
                raise stage_conflict(
                    f"cannot approve: the application is in stage {application.stage}"
                )
            refused = approval_refused(application=application, actor=cmd.user, amount=amount)
            if refused is not None:
                raise ProblemError(422, "Invalid command", refused)
        held_before = await budget.reserve(session=session, application=application, amount=amount)
    except ProblemError:  # refused before the workflow was asked: a retry acts anew
        await release(cmd=cmd, update=update)
        raise
    try:
        return await carry_out(cmd=cmd, update=update, command=command)
    except (WorkflowUpdateFailedError, RPCError, ProblemError):
        await session.rollback()
        await budget.undo_reserve(
            session=session, application_id=application_id, amount=amount, held_before=held_before
        )
        await session.commit()
        raise


def approval_refused(*, application: Application, actor: str, amount: Decimal) -> str | None:
    """Why the workflow would refuse this approval whatever the budget (four-eyes, the
    amount), in its words; None: ask the budget. Checked first, so a reviewer who also
    approves hears about four-eyes, not about money. The workflow's validator still
    decides; this only puts its refusals before the budget's."""
    if application.reviewer is None or application.recommendation is None:
        return "a decision needs the assigned reviewer's review first (four-eyes)"
    if actor == application.reviewer:
        return f"{actor} reviewed this application and may not also decide (four-eyes)"
    if amount > application.requested_amount:
        return (
            f"granted_amount {amount} exceeds the requested amount {application.requested_amount}"
        )
    return None
