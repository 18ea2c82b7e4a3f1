"""HTTP routes of the applications service: organisations, priorities, applications.

Thin: each route calls one use case. Rounds and review live in api_review.py, the
funding period in api_funding.py, office views in api_office.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status

from services.applications import catalogue, repository, review, service
from services.applications.access import (
    OFFICE,
    ApplicantSide,
    AppReader,
    Approver,
    AppStaff,
    Configurer,
    Reader,
    SignedIn,
    check_organisation,
)
from services.applications.models import Application
from services.applications.schemas import (
    ApplicationContent,
    ApplicationIn,
    ApplicationOut,
    ApplicationSummary,
    CriteriaIn,
    DecisionIn,
    HistoryEntry,
    OrganisationIn,
    OrganisationOut,
    PaymentOut,
    PriorityOut,
    PriorityRuleIn,
    ReviewOut,
    RevisionDiff,
    RevisionOut,
    WithdrawIn,
)
from shared.auth import Actor, Role, allow
from shared.contracts import grants
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import AppealCommand, ApplicationStage, DecideCommand, WithdrawCommand
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.pagination import Page, PageDep
from shared.problems import not_found

router = APIRouter()
ApplicationView = ApplicationOut


#: What the authority keeps to itself: who reviews an application and how it was scored.
INTERNAL_EVENTS = frozenset({"wir.application.reviewer_assigned", "wir.application.reviewed"})


def sees_review(viewer: Actor) -> bool:
    return viewer.has(*OFFICE, Role.reviewer)


async def application_view(
    session: SessionDep, application: Application, viewer: Actor
) -> ApplicationOut:
    """The application as ``viewer`` may see it: applicants without the review."""
    entries = await repository.history(session=session, application_id=application.id)
    ledger = await repository.payments(session=session, application_id=application.id)
    summary = ApplicationSummary.model_validate(application)
    extra = {
        name: getattr(application, name)
        for name in ApplicationOut.model_fields
        if name not in ApplicationSummary.model_fields
        and name not in ("workflow_id", "payments", "history")
    }
    view = ApplicationOut(
        **summary.model_dump(),
        **extra,
        workflow_id=None
        if application.stage == ApplicationStage.draft
        else grants.workflow_id(application.id),
        payments=[PaymentOut.model_validate(p) for p in ledger],
        history=[HistoryEntry.model_validate(e) for e in entries],
    )
    if sees_review(viewer):
        return view
    return view.model_copy(
        update={
            "reviewer": None,
            "review_score": None,
            "review_max_score": None,
            "recommendation": None,
            "history": [h for h in view.history if h.type not in INTERNAL_EVENTS],
        }
    )


async def _send(*, session: SessionDep, viewer: Actor, **command: Any) -> ApplicationOut:
    """Send one command to the application's workflow and answer with the application."""
    application = await service.send_command(session=session, **command)
    return await application_view(session, application, viewer)


# -- organisations ------------------------------------------------------------------------


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def create_organisation(
    body: OrganisationIn, session: SessionDep, actor: Configurer
) -> OrganisationOut:
    organisation = await catalogue.create_organisation(session=session, data=body, actor=actor.user)
    return OrganisationOut.model_validate(organisation)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    session: SessionDep,
    page: PageDep,
    actor: SignedIn,
    applicant_type: ApplicantType | None = None,
) -> Page[OrganisationOut]:
    """Staff see every organisation; an applicant only their own."""
    only = None if actor.has(*OFFICE, Role.reviewer) else actor.organisation_id or "-"
    rows, total = await repository.list_organisations(
        session=session, page=page, applicant_type=applicant_type, only_id=only
    )
    items = [OrganisationOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/organisations/{organisation_id}", tags=["organisations"])
async def get_organisation(
    organisation_id: str, session: SessionDep, actor: SignedIn
) -> OrganisationOut:
    if not actor.has(*OFFICE, Role.reviewer) and actor.organisation_id != organisation_id:
        raise not_found("organisation", organisation_id)
    organisation = await repository.get_organisation(
        session=session, organisation_id=organisation_id
    )
    return OrganisationOut.model_validate(organisation)


# -- funding priorities -------------------------------------------------------------------


@router.get("/priorities", tags=["priorities"])
async def list_priorities(session: SessionDep, _: SignedIn) -> list[PriorityOut]:
    priorities = await repository.list_priorities(session=session)
    return [PriorityOut.model_validate(p) for p in priorities]


@router.get("/priorities/{code}", tags=["priorities"])
async def get_priority(code: str, session: SessionDep, _: SignedIn) -> PriorityOut:
    return PriorityOut.model_validate(await repository.get_priority(session=session, code=code))


@router.put("/priorities/{code}/rule", tags=["priorities"])
async def update_priority_rule(
    code: str, body: PriorityRuleIn, session: SessionDep, actor: Configurer
) -> PriorityOut:
    priority = await catalogue.update_priority_rule(
        session=session, code=code, rule=body.rule, actor=actor.user
    )
    return PriorityOut.model_validate(priority)


@router.put("/priorities/{code}/criteria", tags=["priorities"])
async def update_priority_criteria(
    code: str, body: CriteriaIn, session: SessionDep, actor: Configurer
) -> PriorityOut:
    """The criteria reviewers score applications of this priority against."""
    priority = await catalogue.update_priority_criteria(
        session=session,
        code=code,
        criteria=[c.model_dump() for c in body.criteria],
        actor=actor.user,
    )
    return PriorityOut.model_validate(priority)


# -- applications -------------------------------------------------------------------------


@router.post("/applications", status_code=status.HTTP_201_CREATED, tags=["applications"])
async def create_application(
    body: ApplicationIn,
    session: SessionDep,
    actor: Annotated[Actor, Depends(allow(Role.applicant, Role.programme_officer))],
) -> ApplicationOut:
    """Create a draft in a round. Eligibility is checked when it is submitted. Applicants
    create drafts for their own organisation, programme officers for any."""
    check_organisation(actor, body.organisation_id)
    application = await service.create_application(session=session, data=body, actor=actor.user)
    return await application_view(session, application, actor)


@router.get("/applications", tags=["applications"])
async def list_applications(
    session: SessionDep,
    page: PageDep,
    actor: Reader,
    stage: ApplicationStage | None = None,
    round: Annotated[str | None, Query(max_length=64)] = None,
    priority: Annotated[str | None, Query(max_length=64)] = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    applicant_type: ApplicantType | None = None,
    report_overdue: bool | None = None,
) -> Page[ApplicationSummary]:
    """Office staff see every application, a reviewer those assigned to them, an applicant
    their organisation's."""
    reviewer = None
    if not actor.has(*OFFICE):
        if actor.has(Role.reviewer):
            reviewer = actor.user
        else:
            organisation_id = actor.organisation_id or "-"
    rows, total = await repository.list_applications(
        reviewer=reviewer,
        session=session,
        page=page,
        stage=stage,
        round_id=round,
        priority_code=priority,
        organisation_id=organisation_id,
        applicant_type=applicant_type,
        report_overdue=report_overdue,
    )
    items = [ApplicationSummary.model_validate(r) for r in rows]
    if not sees_review(actor):
        items = [item.model_copy(update={"reviewer": None}) for item in items]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/applications/{application_id}", tags=["applications"])
async def get_application(
    application_id: str, session: SessionDep, actor: AppReader
) -> ApplicationOut:
    application = await repository.get_application(session=session, application_id=application_id)
    return await application_view(session, application, actor)


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
    actor: ApplicantSide,
) -> ApplicationOut:
    """Submit the draft inside its round's window: its workflow starts and checks
    eligibility at once (202: ``in_review`` or ``ineligible`` follows moments later)."""
    application = await service.submit_application(
        session=session,
        client=client,
        settings=settings,
        application_id=application_id,
        actor=actor.user,
    )
    return await application_view(session, application, actor)


@router.post("/applications/{application_id}/decision", tags=["applications"])
async def decide(
    application_id: str,
    body: DecisionIn,
    session: SessionDep,
    client: TemporalDep,
    actor: Approver,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """approve (reserves the amount from the round's budget) | reject | request_changes.
    Four-eyes: the approver is never the reviewer."""
    application = await service.decide(
        session=session,
        client=client,
        application_id=application_id,
        command=DecideCommand(actor=actor.user, **body.model_dump()),
        idempotency_key=idempotency_key,
    )
    return await application_view(session, application, actor)


@router.post("/applications/{application_id}/resubmit", tags=["applications"])
async def resubmit(
    application_id: str,
    body: ApplicationContent,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """The revised application after changes were requested (a new revision)."""
    application = await service.resubmit(
        session=session,
        client=client,
        application_id=application_id,
        content=body,
        actor=actor.user,
        idempotency_key=idempotency_key,
    )
    return await application_view(session, application, actor)


@router.post("/applications/{application_id}/withdraw", tags=["applications"])
async def withdraw(
    application_id: str,
    body: WithdrawIn,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    return await _send(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="withdraw",
        command=WithdrawCommand(actor=actor.user, reason=body.reason),
        idempotency_key=idempotency_key,
    )


@router.post("/applications/{application_id}/appeal", tags=["applications"])
async def appeal(
    application_id: str,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """Widerspruch within the appeal window: the review reopens."""
    return await _send(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="appeal",
        command=AppealCommand(actor=actor.user),
        idempotency_key=idempotency_key,
    )


@router.post("/applications/{application_id}/appeal-waiver", tags=["applications"])
async def waive_appeal(
    application_id: str,
    session: SessionDep,
    client: TemporalDep,
    actor: ApplicantSide,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """Rechtsbehelfsverzicht: the decision becomes final at once."""
    return await _send(
        session=session,
        viewer=actor,
        client=client,
        application_id=application_id,
        update="waive_appeal",
        command=AppealCommand(actor=actor.user),
        idempotency_key=idempotency_key,
    )


@router.get("/applications/{application_id}/revisions", tags=["applications"])
async def list_revisions(
    application_id: str, session: SessionDep, _: AppReader
) -> list[RevisionOut]:
    rows = await review.revisions(session=session, application_id=application_id)
    return [RevisionOut.model_validate(r) for r in rows]


@router.get("/applications/{application_id}/revisions/compare", tags=["applications"])
async def compare_revisions(
    application_id: str,
    session: SessionDep,
    _: AppReader,
    from_revision: Annotated[int, Query(alias="from", ge=1)],
    to_revision: Annotated[int, Query(alias="to", ge=1)],
) -> RevisionDiff:
    return await review.compare(
        session=session,
        application_id=application_id,
        from_revision=from_revision,
        to_revision=to_revision,
    )


@router.get("/applications/{application_id}/reviews", tags=["review"])
async def list_reviews(application_id: str, session: SessionDep, _: AppStaff) -> list[ReviewOut]:
    rows = await review.reviews(session=session, application_id=application_id)
    return [ReviewOut.model_validate(r) for r in rows]
