"""HTTP routes of funding rounds: create, list, open, close (with their budgets)."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.applications.access import Officer, SignedIn
from services.applications.rounds import queries, service
from services.applications.rounds.models import FundingRound
from services.applications.rounds.schemas import RoundIn, RoundOut, RoundPriorityOut
from shared.deps import SessionDep

router = APIRouter(tags=["rounds"])


async def _round_view(session: SessionDep, funding_round: FundingRound) -> RoundOut:
    rows = await queries.budgets(session=session, round_id=funding_round.id)
    view = RoundOut.model_validate(funding_round)
    view.budgets = [RoundPriorityOut.model_validate(r) for r in rows]
    return view


@router.post("/rounds", status_code=status.HTTP_201_CREATED)
async def create_round(body: RoundIn, session: SessionDep, actor: Officer) -> RoundOut:
    """A funding round (draft): its submission window, funding periods, deadlines and a
    budget per priority. Open it to take submissions."""
    funding_round = await service.create_round(session=session, data=body, actor=actor.user)
    return await _round_view(session, funding_round)


@router.get("/rounds")
async def list_rounds(session: SessionDep, _: SignedIn) -> list[RoundOut]:
    return [await _round_view(session, r) for r in await queries.list_rounds(session=session)]


@router.get("/rounds/{round_id}")
async def get_round(round_id: str, session: SessionDep, _: SignedIn) -> RoundOut:
    return await _round_view(session, await queries.get_round(session=session, round_id=round_id))


@router.post("/rounds/{round_id}/open")
async def open_round(round_id: str, session: SessionDep, actor: Officer) -> RoundOut:
    funding_round = await service.set_status(session=session, round_id=round_id, status="open")
    return await _round_view(session, funding_round)


@router.post("/rounds/{round_id}/close")
async def close_round(round_id: str, session: SessionDep, actor: Officer) -> RoundOut:
    funding_round = await service.set_status(session=session, round_id=round_id, status="closed")
    return await _round_view(session, funding_round)
