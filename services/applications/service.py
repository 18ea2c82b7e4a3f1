"""Use cases of the applications service: keyword-only functions, one per command."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from services.applications import repository
from services.applications.models import Application, CommandKey, FundingPriority, Organisation
from services.applications.schemas import ApplicationIn, OrganisationIn
from shared import grants
from shared.eligibility import ApplicantFacts, EligibilityRule
from shared.grants import ApplicationStage, CommandResult, GrantApplicationInput
from shared.problems import stage_conflict
from shared.settings import WirSettings
from shared.temporal import KIND, PRIORITY, STAGE


def _now() -> datetime:
    return datetime.now(UTC)


async def create_organisation(
    *, session: AsyncSession, data: OrganisationIn, actor: str
) -> Organisation:
    organisation = Organisation(
        id=str(uuid.uuid4()), created_at=_now(), created_by=actor, **data.model_dump()
    )
    session.add(organisation)
    await session.commit()
    return organisation


async def update_priority_rule(
    *, session: AsyncSession, code: str, rule: EligibilityRule, actor: str
) -> FundingPriority:
    """Change who may apply under a priority. Applications already submitted keep the rule
    they were checked against (it is part of their workflow input)."""
    priority = await repository.get_priority(session=session, code=code)
    priority.rule = rule.model_dump(mode="json")
    priority.updated_at = _now()
    priority.updated_by = actor
    await session.commit()
    return priority


async def create_application(
    *, session: AsyncSession, data: ApplicationIn, actor: str
) -> Application:
    await repository.get_organisation(session=session, organisation_id=data.organisation_id)
    await repository.get_priority(session=session, code=data.priority_code)
    now = _now()
    application = Application(
        id=str(uuid.uuid4()),
        stage=ApplicationStage.draft.value,
        seq=0,
        report_overdue=False,
        ineligible_reasons=[],
        created_at=now,
        updated_at=now,
        created_by=actor,
        **data.model_dump(),
    )
    session.add(application)
    await session.commit()
    return application


async def submit_application(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    application_id: str,
    actor: str,
) -> Application:
    """Start the application's workflow. A second submit finds the workflow id taken and
    gets 409: there is never a second workflow for one application."""
    application = await repository.get_application(session=session, application_id=application_id)
    if application.stage != ApplicationStage.draft:
        raise stage_conflict(
            f"cannot submit: the application is in stage {application.stage}, not draft"
        )
    organisation = await repository.get_organisation(
        session=session, organisation_id=application.organisation_id
    )
    priority = await repository.get_priority(session=session, code=application.priority_code)
    workflow_input = GrantApplicationInput(
        application_id=application.id,
        organisation_id=organisation.id,
        priority_code=priority.code,
        requested_amount=application.requested_amount,
        applicant=ApplicantFacts(
            applicant_type=organisation.applicant_type,
            population=organisation.population,
            has_migrant_org_partner=bool(application.migrant_org_partner),
            runs_interpreter_pool=organisation.runs_interpreter_pool,
        ),
        rule=EligibilityRule.model_validate(priority.rule),
        submitted_by=actor,
        final_report_due_days=settings.final_report_due_days,
        report_reminder_days_before=settings.report_reminder_days_before,
    )
    try:
        await client.start_workflow(
            grants.WORKFLOW_NAME,
            workflow_input,
            id=grants.workflow_id(application.id),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(KIND, grants.KIND),
                    SearchAttributePair(PRIORITY, priority.code),
                    SearchAttributePair(STAGE, ApplicationStage.submitted.value),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
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
    await session.commit()
    await session.refresh(application)
    return application


async def send_command(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    update: str,
    command: BaseModel,
    idempotency_key: str | None = None,
) -> Application:
    """Send a command to the application's workflow as an Update and record its events.

    The workflow validates the command against its stage; a rejected command leaves no
    trace. With an idempotency key a repeated request returns the first one's result.
    """
    application = await repository.get_application(session=session, application_id=application_id)
    key = f"{application_id}:{update}:{idempotency_key}" if idempotency_key else None
    if key and await session.get(CommandKey, key) is not None:
        return application  # done before: report the state, act no more
    if application.stage == ApplicationStage.draft or application.stage in grants.FINAL:
        raise stage_conflict(
            f"cannot {update.replace('_', ' ')}: the application is in stage {application.stage}"
        )
    handle = client.get_workflow_handle(grants.workflow_id(application_id))
    result = await handle.execute_update(
        update,
        command,
        id=f"{update}-{idempotency_key}" if key else None,
        result_type=CommandResult,
    )
    for event in result.events:
        await repository.apply_event(session=session, event=event)
    if key:
        session.add(
            CommandKey(key=key, application_id=application_id, command=update, created_at=_now())
        )
    try:
        await session.commit()
    except IntegrityError:  # the same key raced in concurrently; its events are applied too
        await session.rollback()
    await session.refresh(application)
    return application
