"""Use cases of applications: the draft, its submission, and the applicant's commands on
it (resubmit, withdraw, appeal, waive the appeal)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from services.applications.applications.commands import (
    ApplicationCommand,
    carry_out,
    done_before,
    refuse_unless_running,
    release,
    send,
)
from services.applications.applications.file_numbers import APPLICATION_KIND, next_file_number
from services.applications.applications.models import (
    Application,
    ApplicationRevision,
    CreationKey,
)
from services.applications.applications.queries import get_application
from services.applications.applications.schemas import ApplicationContent, ApplicationIn
from services.applications.catalogue.queries import get_organisation, get_priority
from services.applications.rounds.queries import get_round, round_priority
from shared.contracts import grants
from shared.contracts.eligibility import ApplicantFacts, EligibilityRule
from shared.contracts.grants import (
    AppealCommand,
    ApplicationStage,
    Deadlines,
    GrantApplicationInput,
    GrantApplicationUpdates,
    ResubmitCommand,
    WithdrawCommand,
)
from shared.creation import create_once
from shared.problems import ProblemError, stage_conflict
from shared.search import search_key
from shared.temporal import FILE_NUMBER, KIND, PRIORITY, ROUND, STAGE

CONTENT_FIELDS = tuple(ApplicationContent.model_fields)


def _now() -> datetime:
    return datetime.now(UTC)


def content_of(application: Application) -> dict[str, Any]:
    """The applicant's content as one JSON document (a revision)."""
    fields = {name: getattr(application, name) for name in CONTENT_FIELDS}
    return ApplicationContent.model_validate(fields).model_dump(mode="json")


async def _check_period(
    *, session: AsyncSession, round_id: str, content: ApplicationContent
) -> None:
    funding_round = await get_round(session=session, round_id=round_id)
    if (
        content.funding_period_start < funding_round.period_earliest_start
        or content.funding_period_end > funding_round.period_latest_end
    ):
        raise ProblemError(
            422,
            "Funding period outside the round",
            f"round {round_id} funds periods from {funding_round.period_earliest_start} "
            f"to {funding_round.period_latest_end}",
        )


async def create_application(
    *, session: AsyncSession, data: ApplicationIn, actor: str, idempotency_key: str | None = None
) -> Application:
    """A draft with the next file number; with an ``Idempotency-Key`` a repeat returns the
    draft created first (and its number)."""

    async def load(application_id: str) -> Application:
        return await get_application(session=session, application_id=application_id)

    return await create_once(
        table=CreationKey,
        session=session,
        kind="application",
        actor=actor,
        idempotency_key=idempotency_key,
        body=data,
        create=lambda: _new_application(session=session, data=data, actor=actor),
        object_id=lambda application: application.id,
        load=load,
    )


async def _new_application(
    *, session: AsyncSession, data: ApplicationIn, actor: str
) -> Application:
    await get_organisation(session=session, organisation_id=data.organisation_id)
    await get_priority(session=session, code=data.priority_code)
    await round_priority(session=session, round_id=data.round_id, priority_code=data.priority_code)
    await _check_period(session=session, round_id=data.round_id, content=data)
    now = _now()
    # Last, after every check: the counter is held from here to the commit.
    number = await next_file_number(session=session, kind=APPLICATION_KIND, at=now)
    application = Application(
        id=str(uuid.uuid4()),
        file_number=number,
        title_key=search_key(data.title),
        stage=ApplicationStage.draft.value,
        seq=0,
        revision=1,
        ineligible_reasons=[],
        created_at=now,
        updated_at=now,
        created_by=actor,
        **data.model_dump(exclude={"cost_lines"}),
        cost_lines=[line.model_dump(mode="json") for line in data.cost_lines],
    )
    session.add(application)
    return application


async def submit(*, cmd: ApplicationCommand) -> Application:
    """Start the application's workflow, inside an open round's window. A second submit
    finds the workflow id taken and gets 409: there is never a second workflow."""
    session, application, actor = cmd.session, cmd.application, cmd.user
    if application.stage != ApplicationStage.draft:
        raise stage_conflict(
            f"cannot submit: the application is in stage {application.stage}, not draft"
        )
    assert application.round_id is not None
    funding_round = await get_round(session=session, round_id=application.round_id)
    now = _now()
    if funding_round.status != "open" or not (
        funding_round.submission_opens_at <= now < funding_round.submission_closes_at
    ):
        raise ProblemError(
            409,
            "Round not open for submissions",
            f"round {funding_round.id} is {funding_round.status} and accepts submissions from "
            f"{funding_round.submission_opens_at:%Y-%m-%d %H:%M} to "
            f"{funding_round.submission_closes_at:%Y-%m-%d %H:%M} UTC",
        )
    organisation = await get_organisation(
        session=session, organisation_id=application.organisation_id
    )
    priority = await get_priority(session=session, code=application.priority_code)
    funded = await round_priority(
        session=session, round_id=funding_round.id, priority_code=priority.code
    )
    assert application.funding_period_start and application.funding_period_end
    workflow_input = GrantApplicationInput(
        application_id=application.id,
        file_number=application.file_number,
        title=application.title,
        organisation_id=organisation.id,
        priority_code=priority.code,
        round_id=funding_round.id,
        requested_amount=application.requested_amount,
        funding_period_start=application.funding_period_start,
        funding_period_end=application.funding_period_end,
        applicant=ApplicantFacts(
            applicant_type=organisation.applicant_type,
            population=organisation.population,
            has_migrant_org_partner=bool((application.migrant_org_partner or "").strip()),
            runs_interpreter_pool=organisation.runs_interpreter_pool,
            is_non_profit=organisation.is_non_profit,
        ),
        rule=EligibilityRule.model_validate(funded.rule or priority.rule),
        deadlines=Deadlines.model_validate(funding_round.deadlines),
        submitted_by=actor,
    )
    _snapshot(session=session, application=application, actor=actor)
    try:
        await cmd.client.start_workflow(
            grants.WORKFLOW_NAME,
            workflow_input,
            id=grants.workflow_id(application.id),
            task_queue=cmd.settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(KIND, grants.KIND),
                    SearchAttributePair(PRIORITY, priority.code),
                    SearchAttributePair(ROUND, funding_round.id),
                    SearchAttributePair(STAGE, ApplicationStage.submitted.value),
                    SearchAttributePair(FILE_NUMBER, application.file_number),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        await session.rollback()
        await session.refresh(application)
        raise stage_conflict(
            f"cannot submit: the application was submitted already (stage {application.stage})"
        ) from None
    # Only a draft becomes "submitted" here: the event consumer may already have moved the
    # row further (in_review, ineligible) while the workflow started.
    await session.execute(
        update(Application)
        .where(Application.id == application.id, Application.stage == ApplicationStage.draft)
        .values(stage=ApplicationStage.submitted.value, updated_at=_now())
    )
    try:
        await session.commit()
    except IntegrityError:  # revision 1 was stored by a concurrent submit
        await session.rollback()
    await session.refresh(application)
    return application


def _snapshot(*, session: AsyncSession, application: Application, actor: str) -> None:
    session.add(
        ApplicationRevision(
            application_id=application.id,
            number=application.revision,
            content=content_of(application),
            created_at=_now(),
            created_by=actor,
        )
    )


async def resubmit(*, cmd: ApplicationCommand, content: ApplicationContent) -> Application:
    """The applicant's revision after changes were requested: kept as a new revision, in
    the command's commit."""
    application = cmd.application
    update = GrantApplicationUpdates.resubmit
    command = ResubmitCommand(
        actor=cmd.user,
        requested_amount=content.requested_amount,
        funding_period_start=content.funding_period_start,
        funding_period_end=content.funding_period_end,
        revision=application.revision + 1,
        title=content.title,
    )
    if await done_before(cmd=cmd, update=update, command=content):
        return application
    assert application.round_id is not None
    try:
        await _check_period(session=cmd.session, round_id=application.round_id, content=content)
        refuse_unless_running(application, update)
    except ProblemError:
        await release(cmd=cmd, update=update)
        raise

    def revise(revised: Application) -> None:
        for name, value in content.model_dump(exclude={"cost_lines"}).items():
            setattr(revised, name, value)
        revised.cost_lines = [line.model_dump(mode="json") for line in content.cost_lines]
        revised.title_key = search_key(content.title)
        revised.revision = command.revision
        _snapshot(session=cmd.session, application=revised, actor=cmd.user)

    return await carry_out(cmd=cmd, update=update, command=command, record=revise)


async def withdraw(*, cmd: ApplicationCommand, reason: str | None) -> Application:
    command = WithdrawCommand(actor=cmd.user, reason=reason)
    return await send(cmd=cmd, update=GrantApplicationUpdates.withdraw, command=command)


async def appeal(*, cmd: ApplicationCommand) -> Application:
    """Widerspruch within the appeal window: the review reopens."""
    command = AppealCommand(actor=cmd.user)
    return await send(cmd=cmd, update=GrantApplicationUpdates.appeal, command=command)


async def waive_appeal(*, cmd: ApplicationCommand) -> Application:
    """Rechtsbehelfsverzicht: the decision becomes final at once."""
    command = AppealCommand(actor=cmd.user)
    return await send(cmd=cmd, update=GrantApplicationUpdates.waive_appeal, command=command)
