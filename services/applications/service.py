"""Use cases of the applications service: keyword-only functions, one per command."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from services.applications import office, repository, rounds
from services.applications.models import (
    Application,
    ApplicationRevision,
    CommandKey,
)
from services.applications.schemas import (
    ApplicationContent,
    ApplicationIn,
)
from shared.contracts import grants
from shared.contracts.eligibility import ApplicantFacts, EligibilityRule
from shared.contracts.grants import (
    ApplicationStage,
    CommandResult,
    Deadlines,
    DecideCommand,
    Decision,
    GrantApplicationInput,
    ResubmitCommand,
)
from shared.idempotency import scoped_key
from shared.problems import ProblemError, stage_conflict
from shared.settings import WirSettings
from shared.temporal import KIND, PRIORITY, ROUND, STAGE

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
    funding_round = await rounds.get_round(session=session, round_id=round_id)
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
    *, session: AsyncSession, data: ApplicationIn, actor: str
) -> Application:
    await repository.get_organisation(session=session, organisation_id=data.organisation_id)
    await repository.get_priority(session=session, code=data.priority_code)
    await rounds.round_priority(
        session=session, round_id=data.round_id, priority_code=data.priority_code
    )
    await _check_period(session=session, round_id=data.round_id, content=data)
    now = _now()
    application = Application(
        id=str(uuid.uuid4()),
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
    """Start the application's workflow, inside an open round's window. A second submit
    finds the workflow id taken and gets 409: there is never a second workflow."""
    application = await repository.get_application(session=session, application_id=application_id)
    if application.stage != ApplicationStage.draft:
        raise stage_conflict(
            f"cannot submit: the application is in stage {application.stage}, not draft"
        )
    assert application.round_id is not None
    funding_round = await rounds.get_round(session=session, round_id=application.round_id)
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
    organisation = await repository.get_organisation(
        session=session, organisation_id=application.organisation_id
    )
    priority = await repository.get_priority(session=session, code=application.priority_code)
    funded = await rounds.round_priority(
        session=session, round_id=funding_round.id, priority_code=priority.code
    )
    assert application.funding_period_start and application.funding_period_end
    workflow_input = GrantApplicationInput(
        application_id=application.id,
        organisation_id=organisation.id,
        priority_code=priority.code,
        round_id=funding_round.id,
        requested_amount=application.requested_amount,
        funding_period_start=application.funding_period_start,
        funding_period_end=application.funding_period_end,
        applicant=ApplicantFacts(
            applicant_type=organisation.applicant_type,
            population=organisation.population,
            has_migrant_org_partner=bool(application.migrant_org_partner),
            runs_interpreter_pool=organisation.runs_interpreter_pool,
        ),
        rule=EligibilityRule.model_validate(funded.rule or priority.rule),
        deadlines=Deadlines.model_validate(funding_round.deadlines),
        submitted_by=actor,
    )
    await _snapshot(session=session, application=application, actor=actor)
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
                    SearchAttributePair(ROUND, funding_round.id),
                    SearchAttributePair(STAGE, ApplicationStage.submitted.value),
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


async def _snapshot(*, session: AsyncSession, application: Application, actor: str) -> None:
    session.add(
        ApplicationRevision(
            application_id=application.id,
            number=application.revision,
            content=content_of(application),
            created_at=_now(),
            created_by=actor,
        )
    )


async def resubmit(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    content: ApplicationContent,
    actor: str,
    idempotency_key: str | None,
) -> Application:
    """The applicant's revision after changes were requested: kept as a new revision."""
    application = await repository.get_application(session=session, application_id=application_id)
    if await done_before(
        session=session,
        application_id=application_id,
        update="resubmit",
        actor=actor,
        idempotency_key=idempotency_key,
    ):
        return application
    assert application.round_id is not None
    await _check_period(session=session, round_id=application.round_id, content=content)
    command = ResubmitCommand(
        actor=actor,
        requested_amount=content.requested_amount,
        funding_period_start=content.funding_period_start,
        funding_period_end=content.funding_period_end,
        revision=application.revision + 1,
    )
    application = await send_command(
        session=session,
        client=client,
        application_id=application_id,
        update="resubmit",
        command=command,
        idempotency_key=idempotency_key,
    )
    for name, value in content.model_dump(exclude={"cost_lines"}).items():
        setattr(application, name, value)
    application.cost_lines = [line.model_dump(mode="json") for line in content.cost_lines]
    application.revision = command.revision
    await _snapshot(session=session, application=application, actor=actor)
    await session.commit()
    return application


async def decide(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    command: DecideCommand,
    idempotency_key: str | None,
) -> Application:
    """An approval first reserves the granted amount from the round's priority budget; if
    the workflow refuses the decision, the reservation is given back."""
    application = await repository.get_application(session=session, application_id=application_id)
    if await done_before(
        session=session,
        application_id=application_id,
        update="decide",
        actor=command.actor,
        idempotency_key=idempotency_key,
    ):
        return application
    approving = command.decision is Decision.approve
    held_before: Decimal | None = None
    if approving:
        assert command.granted_amount is not None
        if application.stage != ApplicationStage.in_review:
            raise stage_conflict(f"cannot approve: the application is in stage {application.stage}")
        held_before = await rounds.reserve(
            session=session, application=application, amount=command.granted_amount
        )
    try:
        application = await send_command(
            session=session,
            client=client,
            application_id=application_id,
            update="decide",
            command=command,
            idempotency_key=idempotency_key,
        )
    except (WorkflowUpdateFailedError, RPCError, ProblemError):
        if approving:
            assert command.granted_amount is not None
            await session.rollback()
            await rounds.undo_reserve(
                session=session,
                application_id=application_id,
                amount=command.granted_amount,
                held_before=held_before,
            )
            await session.commit()
        raise
    if approving:
        await office.issue_bescheid(
            session=session, application_id=application_id, actor=command.actor
        )
        await session.commit()
    return application


async def done_before(
    *,
    session: AsyncSession,
    application_id: str,
    update: str,
    actor: str,
    idempotency_key: str | None,
) -> bool:
    """Whether this user already sent this command with this Idempotency-Key."""
    key = _command_key(application_id, update, actor, idempotency_key)
    return key is not None and await session.get(CommandKey, key) is not None


def _scoped(actor: str, idempotency_key: str) -> str:
    return scoped_key(actor, idempotency_key)[:40]


def _command_key(
    application_id: str, update: str, actor: str, idempotency_key: str | None
) -> str | None:
    if not idempotency_key:
        return None
    return f"{application_id}:{update}:{_scoped(actor, idempotency_key)}"


async def send_command(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    update: str,
    command: BaseModel,
    idempotency_key: str | None = None,
    records: Sequence[object] = (),
) -> Application:
    """Send a command to the application's workflow as an Update and record its events.

    The workflow validates the command against its stage; a rejected command leaves no
    trace. With an idempotency key a repeated request (by the same user) returns the first
    one's result. ``records`` (rows kept beside the command, e.g. a review's scores) are
    stored in the same transaction as the key: once, however often the command comes.
    """
    application = await repository.get_application(session=session, application_id=application_id)
    actor = str(getattr(command, "actor", ""))
    key = _command_key(application_id, update, actor, idempotency_key)
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
        id=f"{update}-{_scoped(actor, idempotency_key)}" if idempotency_key else None,
        result_type=CommandResult,
    )
    for event in result.events:
        await repository.apply_event(session=session, event=event)
    session.add_all(records)
    if key:
        session.add(
            CommandKey(key=key, application_id=application_id, command=update, created_at=_now())
        )
    try:
        await session.commit()
    except IntegrityError:  # the same key raced in concurrently; its events are applied too
        await session.rollback()  # and its records stored: these go

    await session.refresh(application)
    return application
