"""The one path every command on an application takes.

A route gets an :class:`ApplicationCommand` (``access.*CommandDep``): the application,
loaded once while the sender's access was checked, the sender, the session and the
Temporal client, and the request's idempotency key. The use case checks what only it
knows and calls :func:`send`, which

1. answers a repeat (same user, same key) with the current state and acts no more
   (:func:`done_before`; kept in ``CommandKey`` because Temporal forgets update ids when
   the funding period continues the workflow as new);
2. refuses a draft or an ended application before Temporal is asked;
3. sends the Update through ``shared.gateway`` under its typed reference, projects the
   events of its result (``projection``: the Bescheid of an approval is issued there),
   lets the use case add what the command carried (``record``), stores the key, and
   commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.applications.applications.models import Application, CommandKey
from services.applications.projection import ApplicationProjection
from shared import gateway
from shared.auth import Actor
from shared.contracts import grants
from shared.contracts.envelope import CloudEvent
from shared.contracts.grants import ApplicationStage, CommandResult
from shared.contracts.refs import UpdateRef
from shared.problems import stage_conflict
from shared.settings import WirSettings

ArgT = TypeVar("ArgT", bound=BaseModel)

#: Adds what a command carried (scores, a document, a revision) to the command's commit.
Recorder = Callable[[Application], None]


@dataclass(frozen=True)
class ApplicationCommand:
    """What every command on one application needs, built once access is checked."""

    session: AsyncSession
    client: Client
    settings: WirSettings
    actor: Actor
    application: Application
    idempotency_key: str | None = None

    @property
    def user(self) -> str:
        return self.actor.user

    @property
    def application_id(self) -> str:
        return self.application.id


def _command_key(cmd: ApplicationCommand, update: UpdateRef[ArgT, CommandResult]) -> str | None:
    key = gateway.user_key(cmd.user, cmd.idempotency_key)
    return f"{cmd.application_id}:{update.name}:{key}" if key else None


async def done_before(*, cmd: ApplicationCommand, update: UpdateRef[ArgT, CommandResult]) -> bool:
    """Whether this user already sent this command with this Idempotency-Key."""
    key = _command_key(cmd, update)
    return key is not None and await cmd.session.get(CommandKey, key) is not None


def refuse_unless_running(application: Application, update: UpdateRef[ArgT, CommandResult]) -> None:
    """A draft has no workflow yet and an ended application's workflow takes no commands."""
    if application.stage == ApplicationStage.draft or application.stage in grants.FINAL:
        raise stage_conflict(
            f"cannot {update.action}: the application is in stage {application.stage}"
        )


async def send(
    *,
    cmd: ApplicationCommand,
    update: UpdateRef[ArgT, CommandResult],
    command: ArgT,
    record: Recorder | None = None,
) -> Application:
    """Send ``command`` unless it was done before; see the module's docstring."""
    if await done_before(cmd=cmd, update=update):
        return cmd.application
    refuse_unless_running(cmd.application, update)
    return await carry_out(cmd=cmd, update=update, command=command, record=record)


async def carry_out(
    *,
    cmd: ApplicationCommand,
    update: UpdateRef[ArgT, CommandResult],
    command: ArgT,
    record: Recorder | None = None,
) -> Application:
    """Step 3 of :func:`send`, for a use case that checked the rest itself (the decision
    reserves budget in between)."""
    session, application, application_id = cmd.session, cmd.application, cmd.application_id
    key = _command_key(cmd, update)
    projection = ApplicationProjection(session)
    # The consumer may have projected an event first, and a request with the same key may
    # commit first (this one is rolled back): then the row is read again, else it is current.
    seen_before = False

    async def apply(event: CloudEvent) -> bool:
        nonlocal seen_before
        applied = await projection.apply(event)
        seen_before = seen_before or not applied
        return applied

    async def store(_: CommandResult) -> None:
        if record is not None:
            if inspect(application).expired_attributes:  # a projection rolled back
                await session.refresh(application)
            record(application)
        if key is not None:
            session.add(
                CommandKey(
                    key=key,
                    application_id=application_id,
                    command=update.name,
                    created_at=datetime.now(UTC),
                )
            )

    await gateway.run_command(
        session=session,
        client=cmd.client,
        workflow_id=grants.workflow_id(application_id),
        update=update,
        command=command,
        actor=cmd.user,
        idempotency_key=cmd.idempotency_key,
        apply=apply,
        record=store,
    )
    if seen_before or inspect(application).expired_attributes:
        await session.refresh(application)
    return application
