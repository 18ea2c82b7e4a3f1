"""Read queries on cases: lists, one case's records, and the case's whole view.

Reads only: no use case is imported here (the event projection is in ``projection``).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases import access
from services.cases.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseEvent,
    CaseFollowUp,
    CasePlacement,
    CasePlan,
    CaseReferral,
    CaseShare,
    Person,
)
from services.cases.cases.responses import (
    AssessmentOut,
    CaseOut,
    CaseSummary,
    ClosureOut,
    ConsentOut,
    FollowUpOut,
    HistoryEntry,
    PersonOut,
    PlacementOut,
    PlanOut,
    ReferralOut,
    ReferralRow,
    ShareOut,
)
from services.cases.offers.models import Offer
from shared.auth import Actor
from shared.contracts import cases
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


async def get_case(*, session: AsyncSession, case_id: str) -> Case:
    case = await session.get(Case, case_id)
    if case is None:
        raise not_found("case", case_id)
    return case


async def case_exists(*, session: AsyncSession, case_id: str) -> bool:
    return await session.get(Case, case_id) is not None


async def case_by_idempotency_key(*, session: AsyncSession, key: str) -> Case | None:
    result: Case | None = await session.scalar(select(Case).where(Case.idempotency_key == key))
    return result


async def list_cases(
    *,
    session: AsyncSession,
    page: PageParams,
    visible: ColumnElement[bool],
    stage: str | None = None,
    case_manager: str | None = None,
) -> tuple[list[Case], int]:
    """The cases matching ``visible`` (who may see which: ``access.visible_cases``)."""
    query = select(Case).where(visible)
    if stage:
        query = query.where(Case.stage == stage)
    if case_manager:
        query = query.where(Case.case_manager == case_manager)
    return await fetch_page(session, query.order_by(Case.created_at.desc(), Case.id), page)


async def get_person(*, session: AsyncSession, person_id: str) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise not_found("person", person_id)
    return person


async def get_referral(*, session: AsyncSession, case_id: str, referral_id: str) -> CaseReferral:
    referral = await session.get(CaseReferral, referral_id)
    if referral is None or referral.case_id != case_id:
        raise not_found("referral", referral_id)
    return referral


async def referrals(*, session: AsyncSession, case_id: str) -> list[tuple[CaseReferral, str]]:
    """The case's referrals in the order they were sent, each with its offer's name."""
    result = await session.execute(
        select(CaseReferral, Offer.name)
        .join(Offer, Offer.id == CaseReferral.offer_id)
        .where(CaseReferral.case_id == case_id)
        .order_by(CaseReferral.sent_at, CaseReferral.id)
    )
    return [(referral, name) for referral, name in result]


async def provider_referrals(
    *, session: AsyncSession, page: PageParams, provider_id: str, status: str | None = None
) -> tuple[list[CaseReferral], int]:
    """The referrals to the offers of one provider, the newest first."""
    offers = select(Offer.id).where(Offer.provider_id == provider_id)
    query = select(CaseReferral).where(CaseReferral.offer_id.in_(offers))
    if status:
        query = query.where(CaseReferral.status == status)
    return await fetch_page(
        session, query.order_by(CaseReferral.sent_at.desc(), CaseReferral.id), page
    )


Record = TypeVar("Record", CaseAssessment, CasePlacement, CaseFollowUp, CaseClosure, CasePlan)


async def records(*, session: AsyncSession, model: type[Record], case_id: str) -> list[Record]:
    """A case's assessments, placements, follow-ups or closures, oldest first."""
    result = await session.scalars(
        select(model).where(model.case_id == case_id).order_by(model.created_at, model.id)
    )
    return list(result)


async def history(*, session: AsyncSession, case_id: str) -> list[CaseEvent]:
    result = await session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq, CaseEvent.time)
    )
    return list(result)


async def shares(*, session: AsyncSession, case_id: str) -> list[CaseShare]:
    result = await session.scalars(
        select(CaseShare)
        .where(CaseShare.case_id == case_id)
        .order_by(CaseShare.created_at, CaseShare.case_manager)
    )
    return list(result)


async def possible_duplicates(
    *, session: AsyncSession, case: Case, viewer: Actor
) -> tuple[list[str], int]:
    """Other cases whose person has the same normalised name and date of birth: the ids of
    those ``viewer`` may see, and how many more other case managers hold."""
    person = await session.get(Person, case.person_id) if case.person_id is not None else None
    if person is None or person.birth_date is None or not person.name_key:
        return [], 0
    result = await session.execute(
        select(Case.id, access.visible_cases(viewer))
        .join(Person, Person.id == Case.person_id)
        .where(
            Person.name_key == person.name_key,
            Person.birth_date == person.birth_date,
            Case.id != case.id,
        )
        .order_by(Case.created_at, Case.id)
    )
    rows = result.all()
    return [case_id for case_id, visible in rows if visible], sum(1 for _, v in rows if not v)


async def case_out(*, session: AsyncSession, case: Case, viewer: Actor) -> CaseOut:
    """The whole case as ``viewer`` (who may see it) sees it."""
    # None once erased, also when the erasure ran between reading the case and now
    person = await session.get(Person, case.person_id) if case.person_id is not None else None
    sent = await referrals(session=session, case_id=case.id)
    assessments = await records(session=session, model=CaseAssessment, case_id=case.id)
    placements = await records(session=session, model=CasePlacement, case_id=case.id)
    plans = [
        PlanOut.model_validate(p)
        for p in await records(session=session, model=CasePlan, case_id=case.id)
    ]
    follow_ups = await records(session=session, model=CaseFollowUp, case_id=case.id)
    closures = await records(session=session, model=CaseClosure, case_id=case.id)
    events = await history(session=session, case_id=case.id)
    visible, elsewhere = await possible_duplicates(session=session, case=case, viewer=viewer)
    colleagues = await shares(session=session, case_id=case.id)
    return CaseOut(
        **CaseSummary.model_validate(case).model_dump(),
        closure_reason=case.closure_reason,
        closed_at=case.closed_at,
        erased_at=case.erased_at,
        created_by=case.created_by,
        workflow_id=cases.workflow_id(case.id),
        person=PersonOut.model_validate(person) if person is not None else None,
        possible_duplicates=visible,
        possible_duplicates_elsewhere=elsewhere,
        shared_with=[ShareOut.model_validate(s) for s in colleagues],
        consent=ConsentOut(
            purposes=list(case.consent_purposes),
            given_at=case.consent_given_at,
            recorded_by=case.consent_recorded_by,
        ),
        assessments=[AssessmentOut.model_validate(a) for a in assessments],
        plan=max(plans, key=lambda p: p.version) if plans else None,
        plan_history=sorted(plans, key=lambda p: p.version),
        referrals=[
            ReferralOut(**ReferralRow.model_validate(referral).model_dump(), offer_name=name)
            for referral, name in sent
        ],
        placements=[PlacementOut.model_validate(p) for p in placements],
        follow_ups=[FollowUpOut.model_validate(f) for f in follow_ups],
        closures=[ClosureOut.model_validate(c) for c in closures],
        history=[HistoryEntry.model_validate(e) for e in events],
    )
