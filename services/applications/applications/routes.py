"""HTTP routes of applications: drafts, the list, one application, its submission, the
applicant's commands and the revisions. Thin: each route calls one use case or query."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from services.applications.access import (
    OFFICE,
    ApplicantCommandDep,
    AppReader,
    Reader,
    check_organisation,
    sees_review,
)
from services.applications.applications import queries, service
from services.applications.applications.schemas import (
    ApplicationContent,
    ApplicationIn,
    ApplicationOut,
    ApplicationSummary,
    RevisionDiff,
    RevisionOut,
    WithdrawIn,
)
from services.applications.applications.views import answer, application_view
from shared.auth import Actor, Role, allow
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import ApplicationStage
from shared.deps import IdempotencyKey, SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(prefix="/applications", tags=["applications"])

#: Far more revisions than an application gets; a bound the databases' integers hold.
MAX_REVISION = 1_000_000


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_application(
    body: ApplicationIn,
    session: SessionDep,
    actor: Annotated[Actor, Depends(allow(Role.applicant, Role.programme_officer))],
    idempotency_key: IdempotencyKey = None,
) -> ApplicationOut:
    """Create a draft in a round. Eligibility is checked when it is submitted. Applicants
    create drafts for their own organisation, programme officers for any. Repeated with
    the same Idempotency-Key and body it returns the draft created first."""
    check_organisation(actor, body.organisation_id)
    application = await service.create_application(
        session=session, data=body, actor=actor.user, idempotency_key=idempotency_key
    )
    return await application_view(session=session, application=application, viewer=actor)


@router.get("")
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
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Search: the start of a file number (WIR-2027-00042), or part of the "
            "title or of the organisation's name; case and accents do not matter",
        ),
    ] = None,
) -> Page[ApplicationSummary]:
    """Office staff see every application, a reviewer those assigned to them, an applicant
    their organisation's (also when searching)."""
    reviewer = None
    if not actor.has(*OFFICE):
        if actor.has(Role.reviewer):
            reviewer = actor.user
        else:
            organisation_id = actor.organisation_id or "-"
    rows, total = await queries.list_applications(
        reviewer=reviewer,
        session=session,
        page=page,
        stage=stage,
        round_id=round,
        priority_code=priority,
        organisation_id=organisation_id,
        applicant_type=applicant_type,
        report_overdue=report_overdue,
        q=q,
    )
    items = [ApplicationSummary.model_validate(r) for r in rows]
    if not sees_review(actor):
        items = [item.model_copy(update={"reviewer": None}) for item in items]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{application_id}")
async def get_application(
    application_id: str, session: SessionDep, actor: AppReader
) -> ApplicationOut:
    application = await queries.get_application(session=session, application_id=application_id)
    return await application_view(session=session, application=application, viewer=actor)


@router.post("/{application_id}/submit", status_code=status.HTTP_202_ACCEPTED)
async def submit_application(cmd: ApplicantCommandDep) -> ApplicationOut:
    """Submit the draft inside its round's window: its workflow starts and checks
    eligibility at once (202: ``in_review`` or ``ineligible`` follows moments later)."""
    return await answer(cmd, await service.submit(cmd=cmd))


@router.post("/{application_id}/resubmit")
async def resubmit(body: ApplicationContent, cmd: ApplicantCommandDep) -> ApplicationOut:
    """The revised application after changes were requested (a new revision).

    The body is the whole content again, not the draft: `title`, `description`,
    `target_group`, `place`, `funding_period_start`, `funding_period_end`, `cost_lines`,
    `own_contribution`, `third_party_contribution`, `requested_amount` and
    `migrant_org_partner`. `organisation_id`, `round_id` and `priority_code` stay as
    they were and are refused here (422 `extra_forbidden`)."""
    return await answer(cmd, await service.resubmit(cmd=cmd, content=body))


@router.post("/{application_id}/withdraw")
async def withdraw(body: WithdrawIn, cmd: ApplicantCommandDep) -> ApplicationOut:
    return await answer(cmd, await service.withdraw(cmd=cmd, reason=body.reason))


@router.post("/{application_id}/appeal")
async def appeal(cmd: ApplicantCommandDep) -> ApplicationOut:
    """Widerspruch within the appeal window: the review reopens."""
    return await answer(cmd, await service.appeal(cmd=cmd))


@router.post("/{application_id}/appeal-waiver")
async def waive_appeal(cmd: ApplicantCommandDep) -> ApplicationOut:
    """Rechtsbehelfsverzicht: the decision becomes final at once."""
    return await answer(cmd, await service.waive_appeal(cmd=cmd))


@router.get("/{application_id}/revisions")
async def list_revisions(
    application_id: str, session: SessionDep, _: AppReader
) -> list[RevisionOut]:
    rows = await queries.revisions(session=session, application_id=application_id)
    return [RevisionOut.model_validate(r) for r in rows]


@router.get("/{application_id}/revisions/compare")
async def compare_revisions(
    application_id: str,
    session: SessionDep,
    _: AppReader,
    from_revision: Annotated[int, Query(alias="from", ge=1, le=MAX_REVISION)],
    to_revision: Annotated[int, Query(alias="to", ge=1, le=MAX_REVISION)],
) -> RevisionDiff:
    return await queries.compare(
        session=session,
        application_id=application_id,
        from_revision=from_revision,
        to_revision=to_revision,
    )
