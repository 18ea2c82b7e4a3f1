"""HTTP routes of the review: conflicts of interest, the reviewer, scores, the decision."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.applications.access import (
    ApproverCommandDep,
    AppStaff,
    ConflictDeclarer,
    OfficerCommandDep,
    ReviewerCommandDep,
    check_reviewer_self,
)
from services.applications.applications.schemas import ApplicationOut
from services.applications.applications.views import answer
from services.applications.review import queries, service
from services.applications.review.schemas import (
    ConflictIn,
    ConflictOut,
    DecisionIn,
    ReviewerIn,
    ReviewIn,
    ReviewOut,
)
from shared.deps import SessionDep

router = APIRouter()


@router.post(
    "/reviewers/{reviewer}/conflicts", status_code=status.HTTP_201_CREATED, tags=["review"]
)
async def declare_conflict(
    reviewer: str, body: ConflictIn, session: SessionDep, actor: ConflictDeclarer
) -> ConflictOut:
    """A reviewer's conflict of interest with an organisation: they cannot be assigned.
    Reviewers declare their own; programme officers record anyone's."""
    check_reviewer_self(actor, reviewer)
    conflict = await service.declare_conflict(
        session=session, reviewer=reviewer, data=body, actor=actor.user
    )
    return ConflictOut.model_validate(conflict)


@router.get("/reviewers/{reviewer}/conflicts", tags=["review"])
async def list_conflicts(
    reviewer: str, session: SessionDep, actor: ConflictDeclarer
) -> list[ConflictOut]:
    check_reviewer_self(actor, reviewer)
    rows = await queries.conflicts_of(session=session, reviewer=reviewer)
    return [ConflictOut.model_validate(c) for c in rows]


@router.post("/applications/{application_id}/reviewer", tags=["review"])
async def assign_reviewer(body: ReviewerIn, cmd: OfficerCommandDep) -> ApplicationOut:
    return await answer(cmd, await service.assign_reviewer(cmd=cmd, reviewer=body.reviewer))


@router.post("/applications/{application_id}/review", tags=["review"])
async def record_review(body: ReviewIn, cmd: ReviewerCommandDep) -> ApplicationOut:
    """The assigned reviewer's scores per criterion and recommendation."""
    return await answer(cmd, await service.record_review(cmd=cmd, data=body))


@router.get("/applications/{application_id}/reviews", tags=["review"])
async def list_reviews(application_id: str, session: SessionDep, _: AppStaff) -> list[ReviewOut]:
    rows = await queries.reviews(session=session, application_id=application_id)
    return [ReviewOut.model_validate(r) for r in rows]


@router.post("/applications/{application_id}/decision", tags=["applications"])
async def decide(body: DecisionIn, cmd: ApproverCommandDep) -> ApplicationOut:
    """approve (reserves the amount from the round's budget) | reject | request_changes.
    Four-eyes: the approver is never the reviewer."""
    return await answer(cmd, await service.decide(cmd=cmd, data=body))
