"""Who may do what in the cases service.

Roles (from the bearer token, shared/auth.py):

- ``case_manager``: opens cases and works on the cases they hold (they are the case's
  current case manager) and on those shared with them; only the holder transfers a case or
  changes whom it is shared with. Their own tasks and caseload only. Keeps the service
  catalogue, the volunteer pools and the employer contacts; reads the anonymous statistics.
- ``provider``: the account of one provider of the catalogue (the token's ``wir_provider``
  is the offers' ``provider_id``): lists the referrals to its offers (ids, codes and dates,
  nothing about the person) and answers and completes those; no case data at all.
- ``admin``: the anonymous statistics, every case manager's caseload (counts), the service
  catalogue and the audit log; no case data.
- Every other role gets 403. The catalogue's reads (``GET /offers``) are public.

A case, or what hangs off it (referrals, bookings, employment steps, tasks), that the user
may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.cases.cases.models import Case, CaseReferral, CaseShare
from services.cases.cases.service import CaseCommand
from services.cases.offers.models import Offer
from services.cases.support.models import InterpreterBooking
from shared.auth import Actor, Role, allow
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.problems import ProblemError, not_found
from shared.settings import WirSettings

CaseManager = Annotated[Actor, Depends(allow(Role.case_manager))]
#: The service catalogue is kept by the district's case managers and its admins.
CatalogueKeeper = Annotated[Actor, Depends(allow(Role.case_manager, Role.admin))]
#: The anonymous statistics and caseload counts.
FiguresReader = Annotated[Actor, Depends(allow(Role.case_manager, Role.admin))]
ReferralParty = Annotated[Actor, Depends(allow(Role.case_manager, Role.provider))]


def _denied(detail: str) -> ProblemError:
    return ProblemError(403, "Not allowed", detail)


def visible_cases(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ``Case``: the cases ``actor`` holds or that are shared with them."""
    shared = select(CaseShare.case_id).where(CaseShare.case_manager == actor.user)
    return or_(Case.case_manager == actor.user, Case.id.in_(shared))


async def may_see(*, session: AsyncSession, actor: Actor, case: Case) -> bool:
    if not actor.has(Role.case_manager):
        return False
    if case.case_manager == actor.user:
        return True
    return await session.get(CaseShare, (case.id, actor.user)) is not None


async def _visible(session: AsyncSession, actor: Actor, case_id: str) -> Case:
    case = await session.get(Case, case_id)
    if case is None or not await may_see(session=session, actor=actor, case=case):
        raise not_found("case", case_id)
    return case


async def visible_case(case_id: str, session: SessionDep, actor: CaseManager) -> Case:
    """The case of the path, if the case manager holds it or it is shared with them."""
    return await _visible(session, actor, case_id)


VisibleCase = Annotated[Case, Depends(visible_case)]


async def held_case(case: VisibleCase, actor: CaseManager) -> Case:
    """The case of the path, if the case manager holds it (a share is not enough)."""
    if case.case_manager != actor.user:
        raise _denied("Only the case's own case manager can hand it over or share it.")
    return case


HeldCase = Annotated[Case, Depends(held_case)]


async def _referral_party(
    session: AsyncSession, actor: Actor, case_id: str, referral_id: str
) -> None:
    """The provider the referral is addressed to, or a case manager who may see the case
    (recording the provider's answer on its behalf)."""
    referral = await session.get(CaseReferral, referral_id)
    if referral is not None and referral.case_id == case_id:
        if actor.has(Role.provider) and actor.provider_id:
            offer = await session.get(Offer, referral.offer_id)
            if offer is not None and offer.provider_id == actor.provider_id:
                return
        case = await session.get(Case, case_id)
        if case is not None and await may_see(session=session, actor=actor, case=case):
            return
    raise not_found("referral", referral_id)


def _command(
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    actor: Actor,
    idempotency_key: str | None,
) -> CaseCommand:
    return CaseCommand(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        actor=actor,
        idempotency_key=idempotency_key,
    )


async def case_command(
    case: VisibleCase,
    actor: CaseManager,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseCommand:
    return _command(session, client, settings, case.id, actor, idempotency_key)


async def holder_command(
    case: HeldCase,
    actor: CaseManager,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseCommand:
    return _command(session, client, settings, case.id, actor, idempotency_key)


async def referral_command(
    case_id: str,
    referral_id: str,
    actor: ReferralParty,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseCommand:
    await _referral_party(session, actor, case_id, referral_id)
    return _command(session, client, settings, case_id, actor, idempotency_key)


#: A command on a case the case manager holds or that is shared with them.
CaseCommandDep = Annotated[CaseCommand, Depends(case_command)]
#: A command only the case's own case manager may send (transfer).
HolderCommandDep = Annotated[CaseCommand, Depends(holder_command)]
#: An answer to or the completion of a referral, by its provider or a case manager.
ReferralCommandDep = Annotated[CaseCommand, Depends(referral_command)]


async def provider_account(actor: Annotated[Actor, Depends(allow(Role.provider))]) -> str:
    """The provider id a provider account acts for."""
    if not actor.provider_id:
        raise _denied("The token names no provider (claim wir_provider).")
    return actor.provider_id


ProviderAccount = Annotated[str, Depends(provider_account)]


async def visible_booking(
    booking_id: str, session: SessionDep, actor: CaseManager
) -> InterpreterBooking:
    booking = await session.get(InterpreterBooking, booking_id)
    case = await session.get(Case, booking.case_id) if booking is not None else None
    if (
        booking is None
        or case is None
        or not await may_see(session=session, actor=actor, case=case)
    ):
        raise not_found("interpreter booking", booking_id)
    return booking


VisibleBooking = Annotated[InterpreterBooking, Depends(visible_booking)]


def check_own(actor: Actor, case_manager: str | None, what: str) -> None:
    """Case managers see their own tasks and caseload; admins every caseload (counts)."""
    if case_manager is None or case_manager == actor.user:
        return
    if what == "caseload" and actor.has(Role.admin):
        return
    raise _denied(f"You can only see your own {what}.")
