"""HTTP routes of refugee cases: thin, each calls one use case. Staff only.

Every route needs the acting user, reads included: a case shows the person's data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.cases import caseload, commands, intake, plans, repository
from services.cases.models import Case
from services.cases.schemas import (
    AssessmentIn,
    ClosureIn,
    FollowUpIn,
    IntakeIn,
    PlacementIn,
    PlanIn,
    ReferralCompletionIn,
    ReferralIn,
    ReferralResponseIn,
    TransferIn,
)
from services.cases.views import CaseOut, CaseSummary, CounsellingContactOut, case_out
from shared.auth import ActorDep, current_actor
from shared.cases import CaseStage
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["cases"], dependencies=[Depends(current_actor)])


async def _out(session: SessionDep, case: Case) -> CaseOut:
    return await case_out(session=session, case=case)


@router.post("/cases", status_code=status.HTTP_201_CREATED)
async def open_case(
    body: IntakeIn,
    response: Response,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut | CounsellingContactOut:
    """Intake: record the person and their consent and open the case (stage ``intake``);
    ``possible_duplicates`` lists cases of a person with the same name and date of birth.

    Without consent (``consent.given: false``) no case is opened and nothing about the
    person is stored: the answer is an anonymous counselling contact.
    Repeated with the same Idempotency-Key it returns the case opened first (200)."""
    if not body.consent.given:
        contact = await intake.record_counselling_contact(
            session=session, data=body, actor=actor.user
        )
        return CounsellingContactOut.model_validate(contact)
    case, created = await intake.open_case(
        session=session,
        client=client,
        settings=settings,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return await _out(session, case)


@router.get("/cases")
async def list_cases(
    session: SessionDep,
    page: PageDep,
    stage: CaseStage | None = None,
    case_manager: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[CaseSummary]:
    rows, total = await repository.list_cases(
        session=session, page=page, stage=stage, case_manager=case_manager
    )
    items = [CaseSummary.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/cases/{case_id}")
async def get_case(case_id: str, session: SessionDep) -> CaseOut:
    return await _out(session, await repository.get_case(session=session, case_id=case_id))


@router.post("/cases/{case_id}/assessment")
async def assess(
    case_id: str,
    body: AssessmentIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """Needs, languages and qualifications; the workflow learns only the number of needs."""
    case = await commands.assess(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/plan")
async def revise_plan(
    case_id: str,
    body: PlanIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """Set the plan's goals (need area, goal, target date, status) as they stand now; the
    previous version stays in ``plan_history``."""
    case = await plans.revise_plan(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/referrals")
async def refer(
    case_id: str,
    body: ReferralIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """Refer into an offer; a second open referral to the same offer is refused (409)."""
    case = await commands.refer(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/referrals/{referral_id}/response")
async def respond_to_referral(
    case_id: str,
    referral_id: str,
    body: ReferralResponseIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.respond_to_referral(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        referral_id=referral_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/referrals/{referral_id}/completion")
async def complete_referral(
    case_id: str,
    referral_id: str,
    body: ReferralCompletionIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.complete_referral(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        referral_id=referral_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/placement")
async def place(
    case_id: str,
    body: PlacementIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.place(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/follow-ups")
async def record_follow_up(
    case_id: str,
    body: FollowUpIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.record_follow_up(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/closure")
async def close(
    case_id: str,
    body: ClosureIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.close(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/reopen")
async def reopen(
    case_id: str,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    case = await commands.reopen(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)


@router.post("/cases/{case_id}/transfer")
async def transfer(
    case_id: str,
    body: TransferIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """Hand the open case and its open tasks to another case manager."""
    case = await caseload.transfer(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await _out(session, case)
