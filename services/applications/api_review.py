"""HTTP routes of funding rounds and of the review (conflicts, reviewer, scores)."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.applications import review, rounds
from services.applications.access import (
    AssignedReviewer,
    ConflictDeclarer,
    Officer,
    SignedIn,
    check_reviewer_self,
)
from services.applications.api import ApplicationView, application_view
from services.applications.models import FundingRound
from services.applications.schemas import (
    ConflictIn,
    ConflictOut,
    ReviewerIn,
    ReviewIn,
    RoundIn,
    RoundOut,
    RoundPriorityOut,
)
from shared.deps import IdempotencyKey, SessionDep, TemporalDep

router = APIRouter()


async def _round_view(session: SessionDep, funding_round: FundingRound) -> RoundOut:
    rows = await rounds.budgets(session=session, round_id=funding_round.id)
    view = RoundOut.model_validate(funding_round)
    view.budgets = [RoundPriorityOut.model_validate(r) for r in rows]
    return view


@router.post("/rounds", status_code=status.HTTP_201_CREATED, tags=["rounds"])
async def create_round(body: RoundIn, session: SessionDep, actor: Officer) -> RoundOut:
    """A funding round (draft): its submission window, funding periods, deadlines and a
    budget per priority. Open it to take submissions."""
    funding_round = await rounds.create_round(session=session, data=body, actor=actor.user)
    return await _round_view(session, funding_round)


@router.get("/rounds", tags=["rounds"])
async def list_rounds(session: SessionDep, _: SignedIn) -> list[RoundOut]:
    return [await _round_view(session, r) for r in await rounds.list_rounds(session=session)]


@router.get("/rounds/{round_id}", tags=["rounds"])
async def get_round(round_id: str, session: SessionDep, _: SignedIn) -> RoundOut:
    return await _round_view(session, await rounds.get_round(session=session, round_id=round_id))


@router.post("/rounds/{round_id}/open", tags=["rounds"])
async def open_round(round_id: str, session: SessionDep, actor: Officer) -> RoundOut:
    funding_round = await rounds.set_status(session=session, round_id=round_id, status="open")
    return await _round_view(session, funding_round)


@router.post("/rounds/{round_id}/close", tags=["rounds"])
async def close_round(round_id: str, session: SessionDep, actor: Officer) -> RoundOut:
    funding_round = await rounds.set_status(session=session, round_id=round_id, status="closed")
    return await _round_view(session, funding_round)


@router.post(
    "/reviewers/{reviewer}/conflicts", status_code=status.HTTP_201_CREATED, tags=["review"]
)
async def declare_conflict(
    reviewer: str, body: ConflictIn, session: SessionDep, actor: ConflictDeclarer
) -> ConflictOut:
    """A reviewer's conflict of interest with an organisation: they cannot be assigned.
    Reviewers declare their own; programme officers record anyone's."""
    check_reviewer_self(actor, reviewer)
    conflict = await review.declare_conflict(
        session=session, reviewer=reviewer, data=body, actor=actor.user
    )
    return ConflictOut.model_validate(conflict)


@router.get("/reviewers/{reviewer}/conflicts", tags=["review"])
async def list_conflicts(
    reviewer: str, session: SessionDep, actor: ConflictDeclarer
) -> list[ConflictOut]:
    check_reviewer_self(actor, reviewer)
    rows = await review.conflicts_of(session=session, reviewer=reviewer)
    return [ConflictOut.model_validate(c) for c in rows]


@router.post("/applications/{application_id}/reviewer", tags=["review"])
async def assign_reviewer(
    application_id: str,
    body: ReviewerIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Officer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    application = await review.assign_reviewer(
        session=session,
        client=client,
        application_id=application_id,
        reviewer=body.reviewer,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await application_view(session, application, actor)


@router.post("/applications/{application_id}/review", tags=["review"])
async def record_review(
    application_id: str,
    body: ReviewIn,
    session: SessionDep,
    client: TemporalDep,
    actor: AssignedReviewer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationView:
    """The assigned reviewer's scores per criterion and recommendation."""
    application = await review.record_review(
        session=session,
        client=client,
        application_id=application_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await application_view(session, application, actor)
