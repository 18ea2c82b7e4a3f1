"""HTTP routes of refugee cases and their referrals: thin, each calls one use case.

Case managers work on the cases they hold or that are shared with them; providers see and
answer the referrals to their offers (``access``). Answers that carry the person's data
are audited as reads (``PersonalDataRead``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from services.cases import access
from services.cases.access import (
    CaseCommandDep,
    CaseManager,
    HolderCommandDep,
    ProviderAccount,
    ReferralCommandDep,
    VisibleCase,
)
from services.cases.cases import commands, intake, queries, search
from services.cases.cases.models import Case
from services.cases.cases.queries import case_out
from services.cases.cases.responses import (
    CaseOut,
    CaseSummary,
    NoCaseOut,
    ProviderReferralOut,
)
from services.cases.cases.schemas import (
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
from services.cases.cases.service import CaseCommand
from shared.audit import PersonalDataRead, mark_created
from shared.contracts.cases import CaseStage, ReferralStatus
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.pagination import Page, PageDep
from shared.problems import ProblemError

router = APIRouter(tags=["cases"])

SearchQuery = Annotated[
    str | None,
    Query(
        min_length=2,
        max_length=100,
        description="A file number (FM-2026-00117) or part of the person's name",
    ),
]


async def _send(use_case: Callable[..., Awaitable[Case]], cmd: CaseCommand, **data: Any) -> CaseOut:
    """Carry out one command on the case and answer with the case."""
    case = await use_case(cmd=cmd, **data)
    return await case_out(session=cmd.session, case=case, viewer=cmd.actor)


@router.post(
    "/cases",
    status_code=status.HTTP_201_CREATED,
    response_model=CaseOut,
    responses={
        200: {"model": NoCaseOut, "description": "Without consent: no case, nothing stored"},
        201: {"description": "The case opened, or with the same Idempotency-Key the first"},
    },
)
async def open_case(
    body: IntakeIn,
    request: Request,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: CaseManager,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut | JSONResponse:
    """Intake: record the person and their consent and open the case (stage ``intake``),
    held by the acting case manager unless ``case_manager`` names a colleague (201).
    ``possible_duplicates`` lists cases of a person with the same name and date of birth.
    Repeated with the same Idempotency-Key it answers as the first time: 201 and the case
    opened then.

    Without consent (``consent.given: false``) no case is opened and nothing about the
    person is stored: the answer is 200 with ``kind: no_case`` (an anonymous counselling
    contact is counted for the statistics)."""
    if not body.consent.given:
        contact = await intake.record_counselling_contact(
            session=session, data=body, actor=actor.user, idempotency_key=idempotency_key
        )
        mark_created(request, "counselling_contact", contact.id)
        return JSONResponse(NoCaseOut.model_validate(contact).model_dump(mode="json"))
    case, created = await intake.open_case(
        session=session,
        client=client,
        settings=settings,
        data=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    if not created and not await access.may_see(session=session, actor=actor, case=case):
        detail = "This Idempotency-Key opened a case you no longer hold."
        raise ProblemError(409, "Conflict", detail)
    return await case_out(session=session, case=case, viewer=actor)


@router.get("/cases")
async def list_cases(
    session: SessionDep,
    page: PageDep,
    actor: CaseManager,
    stage: CaseStage | None = None,
    case_manager: Annotated[str | None, Query(max_length=64)] = None,
    q: SearchQuery = None,
    names: Annotated[
        bool,
        Query(
            description="Also the person's name on each case you hold (not on cases shared "
            "with you); audited as a read of those cases' personal data"
        ),
    ] = False,
) -> Page[CaseSummary]:
    """The cases you hold and those shared with you (file numbers, codes and dates, no
    personal data), the newest first. ``q`` finds among them a file number, or the person
    by name: each word the beginning of a word of their names, case and accents aside
    (``haddadi`` finds Haddádi and HADDADI). A name search is audited as a read of personal
    data (the cases it answered, not the words)."""
    if q is not None:
        rows, total = await search.find_cases(
            session=session, page=page, actor=actor, q=q, stage=stage, case_manager=case_manager
        )
    else:
        rows, total = await queries.list_cases(
            session=session,
            page=page,
            visible=access.visible_cases(actor),
            stage=stage,
            case_manager=case_manager,
        )
    items = [CaseSummary.model_validate(r) for r in rows]
    if names:
        found = await search.held_names(
            session=session, actor=actor, case_ids=[i.id for i in items]
        )
        await session.commit()  # audited before the names go out
        items = [i.model_copy(update={"person_name": found.get(i.id)}) for i in items]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/cases/{case_id}", dependencies=[PersonalDataRead])
async def get_case(case: VisibleCase, session: SessionDep, actor: CaseManager) -> CaseOut:
    return await case_out(session=session, case=case, viewer=actor)


@router.post("/cases/{case_id}/assessment")
async def assess(body: AssessmentIn, cmd: CaseCommandDep) -> CaseOut:
    """Needs, languages and qualifications; the workflow learns only the number of needs."""
    return await _send(commands.assess, cmd, data=body)


@router.post("/cases/{case_id}/plan")
async def revise_plan(body: PlanIn, cmd: CaseCommandDep) -> CaseOut:
    """Set the plan's goals (need area, goal, target date, status) as they stand now; the
    previous version stays in ``plan_history``."""
    return await _send(commands.revise_plan, cmd, data=body)


@router.post("/cases/{case_id}/referrals")
async def refer(body: ReferralIn, cmd: CaseCommandDep) -> CaseOut:
    """Refer into an offer; a second open referral to the same offer is refused (409)."""
    return await _send(commands.refer, cmd, data=body)


@router.get("/referrals", tags=["referrals"])
async def list_referrals(
    session: SessionDep,
    page: PageDep,
    provider_id: ProviderAccount,
    status: ReferralStatus | None = None,
) -> Page[ProviderReferralOut]:
    """For a provider account: the referrals to its offers, the newest first."""
    rows, total = await queries.provider_referrals(
        session=session, page=page, provider_id=provider_id, status=status
    )
    items = [ProviderReferralOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def _referral_answer(
    use_case: Callable[..., Awaitable[Case]], cmd: CaseCommand, referral_id: str, data: Any
) -> CaseOut | ProviderReferralOut:
    """A case manager gets the case back; the provider only the referral."""
    case = await use_case(cmd=cmd, referral_id=referral_id, data=data)
    if await access.may_see(session=cmd.session, actor=cmd.actor, case=case):
        return await case_out(session=cmd.session, case=case, viewer=cmd.actor)
    referral = await queries.get_referral(
        session=cmd.session, case_id=case.id, referral_id=referral_id
    )
    return ProviderReferralOut.model_validate(referral)


@router.post("/cases/{case_id}/referrals/{referral_id}/response")
async def respond_to_referral(
    referral_id: str, body: ReferralResponseIn, cmd: ReferralCommandDep
) -> CaseOut | ProviderReferralOut:
    """The provider accepts or declines; a case manager may record its answer for it."""
    return await _referral_answer(commands.respond_to_referral, cmd, referral_id, body)


@router.post("/cases/{case_id}/referrals/{referral_id}/completion")
async def complete_referral(
    referral_id: str, body: ReferralCompletionIn, cmd: ReferralCommandDep
) -> CaseOut | ProviderReferralOut:
    return await _referral_answer(commands.complete_referral, cmd, referral_id, body)


@router.post("/cases/{case_id}/placement")
async def place(body: PlacementIn, cmd: CaseCommandDep) -> CaseOut:
    return await _send(commands.place, cmd, data=body)


@router.post("/cases/{case_id}/follow-ups")
async def record_follow_up(body: FollowUpIn, cmd: CaseCommandDep) -> CaseOut:
    return await _send(commands.record_follow_up, cmd, data=body)


@router.post("/cases/{case_id}/closure")
async def close(body: ClosureIn, cmd: CaseCommandDep) -> CaseOut:
    return await _send(commands.close, cmd, data=body)


@router.post("/cases/{case_id}/reopen")
async def reopen(cmd: CaseCommandDep) -> CaseOut:
    return await _send(commands.reopen, cmd)


@router.post("/cases/{case_id}/transfer")
async def transfer(body: TransferIn, cmd: HolderCommandDep) -> CaseOut:
    """Hand the open case and its open tasks to another case manager (its holder only);
    the previous case manager keeps no access unless the case is shared with them."""
    return await _send(commands.transfer, cmd, data=body)
