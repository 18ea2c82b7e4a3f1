"""HTTP routes of the applications service: thin, each calls one use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.applications import repository, service
from services.applications.models import Application
from services.applications.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationSummary,
    DecisionIn,
    FinalReportIn,
    HistoryEntry,
    OrganisationIn,
    OrganisationOut,
    PriorityOut,
    PriorityRuleIn,
    ResubmitIn,
    WithdrawIn,
)
from shared import grants
from shared.actors import ActorDep
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.eligibility import ApplicantType
from shared.grants import (
    AcceptReportCommand,
    ApplicationStage,
    DecideCommand,
    ResubmitCommand,
    SubmitReportCommand,
    WithdrawCommand,
)
from shared.pagination import Page, PageDep

router = APIRouter()


# -- organisations ------------------------------------------------------------------------


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def create_organisation(
    body: OrganisationIn, session: SessionDep, actor: ActorDep
) -> OrganisationOut:
    organisation = await service.create_organisation(session=session, data=body, actor=actor.user)
    return OrganisationOut.model_validate(organisation)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    session: SessionDep, page: PageDep, applicant_type: ApplicantType | None = None
) -> Page[OrganisationOut]:
    rows, total = await repository.list_organisations(
        session=session, page=page, applicant_type=applicant_type
    )
    items = [OrganisationOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/organisations/{organisation_id}", tags=["organisations"])
async def get_organisation(organisation_id: str, session: SessionDep) -> OrganisationOut:
    organisation = await repository.get_organisation(
        session=session, organisation_id=organisation_id
    )
    return OrganisationOut.model_validate(organisation)


# -- funding priorities -------------------------------------------------------------------


@router.get("/priorities", tags=["priorities"])
async def list_priorities(session: SessionDep) -> list[PriorityOut]:
    return [
        PriorityOut.model_validate(p) for p in await repository.list_priorities(session=session)
    ]


@router.get("/priorities/{code}", tags=["priorities"])
async def get_priority(code: str, session: SessionDep) -> PriorityOut:
    return PriorityOut.model_validate(await repository.get_priority(session=session, code=code))


@router.put("/priorities/{code}/rule", tags=["priorities"])
async def update_priority_rule(
    code: str, body: PriorityRuleIn, session: SessionDep, actor: ActorDep
) -> PriorityOut:
    priority = await service.update_priority_rule(
        session=session, code=code, rule=body.rule, actor=actor.user
    )
    return PriorityOut.model_validate(priority)


# -- applications -------------------------------------------------------------------------


async def _out(session: SessionDep, application: Application) -> ApplicationOut:
    entries = await repository.history(session=session, application_id=application.id)
    summary = ApplicationSummary.model_validate(application)
    return ApplicationOut(
        **summary.model_dump(),
        description=application.description,
        migrant_org_partner=application.migrant_org_partner,
        spent_amount=application.spent_amount,
        ineligible_reasons=list(application.ineligible_reasons),
        created_by=application.created_by,
        workflow_id=None
        if application.stage == ApplicationStage.draft
        else grants.workflow_id(application.id),
        history=[HistoryEntry.model_validate(e) for e in entries],
    )


@router.post("/applications", status_code=status.HTTP_201_CREATED, tags=["applications"])
async def create_application(
    body: ApplicationIn, session: SessionDep, actor: ActorDep
) -> ApplicationOut:
    """Create a draft. Nothing is checked against the programme until it is submitted."""
    application = await service.create_application(session=session, data=body, actor=actor.user)
    return await _out(session, application)


@router.get("/applications", tags=["applications"])
async def list_applications(
    session: SessionDep,
    page: PageDep,
    stage: ApplicationStage | None = None,
    priority: Annotated[str | None, Query(max_length=64)] = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    applicant_type: ApplicantType | None = None,
    report_overdue: bool | None = None,
) -> Page[ApplicationSummary]:
    rows, total = await repository.list_applications(
        session=session,
        page=page,
        stage=stage,
        priority_code=priority,
        organisation_id=organisation_id,
        applicant_type=applicant_type,
        report_overdue=report_overdue,
    )
    items = [ApplicationSummary.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/applications/{application_id}", tags=["applications"])
async def get_application(application_id: str, session: SessionDep) -> ApplicationOut:
    application = await repository.get_application(session=session, application_id=application_id)
    return await _out(session, application)


@router.post(
    "/applications/{application_id}/submit",
    status_code=status.HTTP_202_ACCEPTED,
    tags=["applications"],
)
async def submit_application(
    application_id: str,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: ActorDep,
) -> ApplicationOut:
    """Submit the draft: its workflow starts and checks eligibility at once (202: the result
    shows up as ``in_review`` or ``ineligible`` moments later)."""
    application = await service.submit_application(
        session=session,
        client=client,
        settings=settings,
        application_id=application_id,
        actor=actor.user,
    )
    return await _out(session, application)


@router.post("/applications/{application_id}/decision", tags=["applications"])
async def decide(
    application_id: str,
    body: DecisionIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    command = DecideCommand(actor=actor.user, **body.model_dump())
    return await _command(session, client, application_id, "decide", command, idempotency_key)


@router.post("/applications/{application_id}/resubmit", tags=["applications"])
async def resubmit(
    application_id: str,
    body: ResubmitIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    application = await repository.get_application(session=session, application_id=application_id)
    command = ResubmitCommand(
        actor=actor.user, requested_amount=body.requested_amount or application.requested_amount
    )
    return await _command(session, client, application_id, "resubmit", command, idempotency_key)


@router.post("/applications/{application_id}/withdraw", tags=["applications"])
async def withdraw(
    application_id: str,
    body: WithdrawIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    command = WithdrawCommand(actor=actor.user, reason=body.reason)
    return await _command(session, client, application_id, "withdraw", command, idempotency_key)


@router.post("/applications/{application_id}/final-report", tags=["applications"])
async def submit_final_report(
    application_id: str,
    body: FinalReportIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """Submit the Verwendungsnachweis (amount spent)."""
    command = SubmitReportCommand(actor=actor.user, spent_amount=body.spent_amount)
    return await _command(
        session, client, application_id, "submit_report", command, idempotency_key
    )


@router.post("/applications/{application_id}/final-report/acceptance", tags=["applications"])
async def accept_final_report(
    application_id: str,
    session: SessionDep,
    client: TemporalDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """Accept the Verwendungsnachweis; the application is closed."""
    command = AcceptReportCommand(actor=actor.user)
    return await _command(
        session, client, application_id, "accept_report", command, idempotency_key
    )


async def _command(
    session: SessionDep,
    client: TemporalDep,
    application_id: str,
    update: str,
    command: DecideCommand
    | ResubmitCommand
    | WithdrawCommand
    | SubmitReportCommand
    | AcceptReportCommand,
    idempotency_key: str | None,
) -> ApplicationOut:
    application = await service.send_command(
        session=session,
        client=client,
        application_id=application_id,
        update=update,
        command=command,
        idempotency_key=idempotency_key,
    )
    return await _out(session, application)
