"""The one path a command on an open case takes: :class:`CaseCommand` names the case, its
sender and the clients (built by ``access`` once the sender's access is checked), and
:func:`send_command` sends it through the shared gateway (``shared.gateway.run_command``).

The use cases are in ``commands``; intake, which starts the workflow, is in ``intake``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from services.cases.attachments.store import case_files
from services.cases.cases.models import Case
from services.cases.cases.projection import CaseProjection
from shared.auth import Actor
from shared.contracts import cases
from shared.contracts.cases import CaseCommandResult, CaseStage
from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import UpdateRef
from shared.gateway import run_command
from shared.problems import not_found, stage_conflict
from shared.settings import WirSettings

CommandT = TypeVar("CommandT", bound=BaseModel)

#: Stores what a confirmed command carried besides its codes (notes, names, dates), in the
#: transaction that applies the command's event. Called once per event the command produced.
Recorder = Callable[[CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class CaseCommand:
    """What every command on one case needs: the session and Temporal client that carry it
    out, the case, who sends it (already allowed to), and the request's idempotency key."""

    session: AsyncSession
    client: Client
    settings: WirSettings
    case_id: str
    actor: Actor
    idempotency_key: str | None = None

    @property
    def user(self) -> str:
        return self.actor.user


async def send_command(
    *,
    cmd: CaseCommand,
    update: UpdateRef[CommandT, CaseCommandResult],
    command: CommandT,
    record: Recorder | None = None,
) -> Case:
    """Send a command to the case's workflow as ``update`` and record its events.

    The workflow validates the command against its stage; a rejected command leaves no
    trace. With an idempotency key a repeated request returns the first one's result.
    ``record`` stores the command's personal and free-text parts once it is confirmed.
    """
    session = cmd.session
    # mostly loaded by the access check already (then the session's identity map answers)
    case = await session.get(Case, cmd.case_id)
    if case is None:
        raise not_found("case", cmd.case_id)
    _refuse_if_ended(case, cmd.settings, update.action)
    try:
        await run_command(
            session=session,
            client=cmd.client,
            workflow_id=cases.workflow_id(cmd.case_id),
            update=update,
            command=command,
            actor=cmd.user,
            idempotency_key=cmd.idempotency_key,
            apply=CaseProjection(session, files=case_files(cmd.settings)).apply,
            record=_each_event(record) if record is not None else None,
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND and case.stage == CaseStage.closed:
            raise stage_conflict(
                f"cannot {update.action}: the case is in stage closed and can no longer be reopened"
            ) from None
        raise
    await session.refresh(case)
    return case


def _each_event(record: Recorder) -> Callable[[CaseCommandResult], Awaitable[None]]:
    """The gateway hands over the whole result; the cases' records are kept per event."""

    async def record_all(result: CaseCommandResult) -> None:
        for event in result.events:
            await record(event)

    return record_all


def _refuse_if_ended(case: Case, settings: WirSettings, action: str) -> None:
    """A case closed for longer than the reopen window takes no more commands; nor does
    one whose person's data was erased (its workflow has ended)."""
    if case.erased_at is not None:
        raise stage_conflict(
            f"cannot {action}: the case is in stage closed and the person's data was erased"
        )
    if case.stage != CaseStage.closed or case.closed_at is None:
        return
    if datetime.now(UTC) - case.closed_at > timedelta(days=settings.reopen_window_days):
        raise stage_conflict(
            f"cannot {action}: the case is in stage closed since "
            f"{case.closed_at:%Y-%m-%d}, beyond the reopen window of "
            f"{settings.reopen_window_days} days"
        )
