"""The one path every command on an application takes.

A route gets an :class:`ApplicationCommand` (``access.*CommandDep``): the application,
loaded once while the sender's access was checked, the sender, the session and the
Temporal client, and the request's idempotency key. The use case checks what only it
knows and calls :func:`send`, which

1. answers a repeat (same user, same key) with the current state and acts no more
   (:func:`done_before`; kept in ``CommandKey`` because Temporal forgets update ids when
   the funding period continues the workflow as new). The first request claims the key
   before it checks anything, so a second one sent at the same time waits for the first
   and answers with its result; the same key with another body is refused (422);
2. refuses a draft or an ended application before Temporal is asked;
3. sends the Update through ``shared.gateway`` under its typed reference, projects the
   events of its result (``projection``: the Bescheid of an approval is issued there),
   lets the use case add what the command carried (``record``), stores the key, and
   commits once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, func, inspect
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
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
from shared.idempotency import body_digest, key_reused
from shared.problems import ProblemError, stage_conflict
from shared.settings import WirSettings

ArgT = TypeVar("ArgT", bound=BaseModel)

#: Adds what a command carried (scores, a document, a revision) to the command's commit.
Recorder = Callable[[Application], None]

#: How long a key's claim holds: longer than a command usually takes, short because a
#: request that failed before it could give its claim back (a refusal in a use case's own
#: checks, such as an exhausted budget) makes a retry with its key wait this long. Taking
#: over a claim whose request is still running is safe: both send the same update id, and
#: Temporal answers the second with the first's result.
CLAIM_LEASE = timedelta(seconds=5)
_POLL_SECONDS = 0.05

#: Namespace of the ids a keyed command creates (:meth:`ApplicationCommand.new_id`).
_ID_NAMESPACE = uuid.UUID("3b0f6f1e-5a2c-4d8e-9c1a-7e2b9d4f6a10")


@dataclass
class Claim:
    """What :func:`done_before` found of this request's key: ``taken_over`` when an earlier
    request with the key claimed it and never finished (its process died, or it failed
    before it could give the claim back). That request may have reached the workflow: its
    effect may already show in the read model, so a use case must not refuse a taken-over
    command by the read model's stage; the workflow answers the same update id with the
    first request's result, or judges the command itself if it never arrived."""

    taken_over: bool = False


@dataclass(frozen=True)
class ApplicationCommand:
    """What every command on one application needs, built once access is checked."""

    session: AsyncSession
    client: Client
    settings: WirSettings
    actor: Actor
    application: Application
    idempotency_key: str | None = None
    claim: Claim = field(default_factory=Claim)

    @property
    def user(self) -> str:
        return self.actor.user

    def new_id(self, purpose: str) -> str:
        """The id of what this command creates (a payment, a change request): derived from
        the user's Idempotency-Key when there is one, so a retried request carries the same
        command, matches the key's body digest and names the same object; else random."""
        key = gateway.user_key(self.user, self.idempotency_key)
        if key is None:
            return str(uuid.uuid4())
        return str(uuid.uuid5(_ID_NAMESPACE, f"{self.application_id}:{purpose}:{key}"))

    @property
    def application_id(self) -> str:
        # From the identity map, never a lazy load: after a rollback (a refused budget
        # reservation) the row's attributes are expired and must not be read in sync code.
        identity = inspect(self.application).identity
        return str(identity[0]) if identity else self.application.id


def _command_key(cmd: ApplicationCommand, update: UpdateRef[ArgT, CommandResult]) -> str | None:
    key = gateway.user_key(cmd.user, cmd.idempotency_key)
    return f"{cmd.application_id}:{update.name}:{key}" if key else None


async def done_before(
    *,
    cmd: ApplicationCommand,
    update: UpdateRef[ArgT, CommandResult],
    command: BaseModel | None = None,
) -> bool:
    """Whether this user already sent this command with this Idempotency-Key.

    False: nobody did, and this request now holds the key's claim (committed at once). A
    concurrent request with the same key waits here until the claim is done and then
    answers True with the state the first one left, rather than racing it into a stage
    check or the budget. A claim older than :data:`CLAIM_LEASE` (its request failed before
    it could give it back) is taken over. ``command`` given, the same key with another
    command is refused with 422.
    """
    key = _command_key(cmd, update)
    if key is None or cmd.idempotency_key is None:
        return False
    session = cmd.session
    digest = body_digest(command) if command is not None else None
    while True:
        row = await session.get(CommandKey, key, populate_existing=True)
        await session.commit()  # ends the read: the next one sees the other request's commit
        if row is None:
            if await _claim(cmd=cmd, update=update, key=key, digest=digest):
                return False
            continue
        if digest is not None and row.body_digest is not None and row.body_digest != digest:
            raise key_reused(cmd.idempotency_key)
        if row.done:
            await session.refresh(cmd.application)
            return True
        if datetime.now(UTC) - row.created_at > CLAIM_LEASE and await _take_over(
            session=session, key=key, claimed_at=row.created_at
        ):
            cmd.claim.taken_over = True
            await session.refresh(cmd.application)
            return False
        await asyncio.sleep(_POLL_SECONDS)


async def _claim(
    *, cmd: ApplicationCommand, update: UpdateRef[ArgT, CommandResult], key: str, digest: str | None
) -> bool:
    session = cmd.session
    session.add(
        CommandKey(
            key=key,
            application_id=cmd.application_id,
            command=update.name,
            created_at=datetime.now(UTC),
            body_digest=digest,
            done=False,
        )
    )
    try:
        await session.commit()
    except IntegrityError:  # a concurrent request with the key claimed it first
        await session.rollback()
        await session.refresh(cmd.application)
        return False
    return True


async def _take_over(*, session: AsyncSession, key: str, claimed_at: datetime) -> bool:
    result = await session.execute(
        sql_update(CommandKey)
        .where(
            CommandKey.key == key,
            CommandKey.done.is_(False),
            CommandKey.created_at == claimed_at,
        )
        .values(created_at=datetime.now(UTC))
    )
    await session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release(*, cmd: ApplicationCommand, update: UpdateRef[ArgT, CommandResult]) -> None:
    """Give back this request's claim of its key: the command was refused or failed, and
    a retry with the same key is carried out anew. Rolls back what the session held."""
    key = _command_key(cmd, update)
    session = cmd.session
    await session.rollback()
    if key is None:
        return
    await session.execute(
        delete(CommandKey).where(CommandKey.key == key, CommandKey.done.is_(False))
    )
    await session.commit()


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
    if await done_before(cmd=cmd, update=update, command=command):
        return cmd.application
    try:
        refuse_unless_running(cmd.application, update)
    except ProblemError:
        await release(cmd=cmd, update=update)
        raise
    return await carry_out(cmd=cmd, update=update, command=command, record=record)


async def carry_out(
    *,
    cmd: ApplicationCommand,
    update: UpdateRef[ArgT, CommandResult],
    command: ArgT,
    record: Recorder | None = None,
) -> Application:
    """Step 3 of :func:`send`, for a use case that checked the rest itself (the decision
    reserves budget in between). If it fails, the key's claim is given back."""
    try:
        return await _carry_out(cmd=cmd, update=update, command=command, record=record)
    except Exception:
        await release(cmd=cmd, update=update)
        raise


async def _carry_out(
    *,
    cmd: ApplicationCommand,
    update: UpdateRef[ArgT, CommandResult],
    command: ArgT,
    record: Recorder | None,
) -> Application:
    session, application, application_id = cmd.session, cmd.application, cmd.application_id
    key = _command_key(cmd, update)
    digest = body_digest(command)
    projection = ApplicationProjection(session, staff_directory=cmd.settings.staff_directory)
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
        if key is None:
            return
        # The claim becomes the key; without a claim of this request's (it was taken
        # over and finished) the insert fails and this commit is rolled back, as before.
        claimed = await session.execute(
            sql_update(CommandKey)
            .where(CommandKey.key == key, CommandKey.done.is_(False))
            .values(done=True, body_digest=func.coalesce(CommandKey.body_digest, digest))
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.add(
                CommandKey(
                    key=key,
                    application_id=application_id,
                    command=update.name,
                    created_at=datetime.now(UTC),
                    body_digest=digest,
                    done=True,
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
