"""Use cases of the review: conflicts of interest, reviewer assignment, scoring, revisions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.applications import repository, service
from services.applications.models import (
    Application,
    ApplicationReview,
    ApplicationRevision,
    ReviewerConflict,
)
from services.applications.schemas import (
    ConflictIn,
    FieldChange,
    ReviewIn,
    RevisionDiff,
)
from shared.contracts.grants import AssignReviewerCommand, ReviewCommand
from shared.problems import ProblemError, not_found


def _now() -> datetime:
    return datetime.now(UTC)


async def declare_conflict(
    *, session: AsyncSession, reviewer: str, data: ConflictIn, actor: str
) -> ReviewerConflict:
    await repository.get_organisation(session=session, organisation_id=data.organisation_id)
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


async def conflicts_of(*, session: AsyncSession, reviewer: str) -> list[ReviewerConflict]:
    result = await session.scalars(
        select(ReviewerConflict)
        .where(ReviewerConflict.reviewer == reviewer)
        .order_by(ReviewerConflict.declared_at)
    )
    return list(result)


async def assign_reviewer(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    reviewer: str,
    actor: str,
    idempotency_key: str | None,
) -> Application:
    """A reviewer with a declared conflict of interest with the applicant is refused (409),
    and so is the programme officer assigning themself."""
    application = await repository.get_application(session=session, application_id=application_id)
    conflict = await session.scalar(
        select(ReviewerConflict).where(
            ReviewerConflict.reviewer == reviewer,
            ReviewerConflict.organisation_id == application.organisation_id,
        )
    )
    if conflict is not None:
        raise ProblemError(
            409,
            "Conflict of interest",
            f"{reviewer} cannot review this application: conflict of interest declared on "
            f"{conflict.declared_at:%Y-%m-%d}: {conflict.reason}",
        )
    return await service.send_command(
        session=session,
        client=client,
        application_id=application_id,
        update="assign_reviewer",
        command=AssignReviewerCommand(actor=actor, reviewer=reviewer),
        idempotency_key=idempotency_key,
    )


async def record_review(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    data: ReviewIn,
    actor: str,
    idempotency_key: str | None,
) -> Application:
    """Scores per criterion of the priority; the workflow checks the actor is the assigned
    reviewer. The scores and comment stay in this service's tables."""
    application = await repository.get_application(session=session, application_id=application_id)
    priority = await repository.get_priority(session=session, code=application.priority_code)
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
        application_id=application_id,
        revision=application.revision,
        reviewer=actor,
        scores=dict(data.scores),
        total_score=total,
        max_score=maximum,
        comment=data.comment,
        recommendation=data.recommendation.value,
        created_at=_now(),
    )
    # The scores are stored with the command's idempotency key: a repeated request
    # returns the first result and stores nothing again.
    return await service.send_command(
        session=session,
        client=client,
        application_id=application_id,
        update="record_review",
        command=ReviewCommand(
            actor=actor, total_score=total, max_score=maximum, recommendation=data.recommendation
        ),
        idempotency_key=idempotency_key,
        records=[scores],
    )


async def reviews(*, session: AsyncSession, application_id: str) -> list[ApplicationReview]:
    result = await session.scalars(
        select(ApplicationReview)
        .where(ApplicationReview.application_id == application_id)
        .order_by(ApplicationReview.created_at)
    )
    return list(result)


async def revisions(*, session: AsyncSession, application_id: str) -> list[ApplicationRevision]:
    await repository.get_application(session=session, application_id=application_id)
    result = await session.scalars(
        select(ApplicationRevision)
        .where(ApplicationRevision.application_id == application_id)
        .order_by(ApplicationRevision.number)
    )
    return list(result)


async def compare(
    *, session: AsyncSession, application_id: str, from_revision: int, to_revision: int
) -> RevisionDiff:
    """What changed between two revisions, field by field."""
    by_number = {
        r.number: r.content for r in await revisions(session=session, application_id=application_id)
    }
    for number in (from_revision, to_revision):
        if number not in by_number:
            raise not_found(f"revision of application {application_id}", str(number))
    before, after = by_number[from_revision], by_number[to_revision]
    changes = [
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]
    return RevisionDiff(
        application_id=application_id,
        from_revision=from_revision,
        to_revision=to_revision,
        changes=changes,
    )
