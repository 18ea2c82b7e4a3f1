"""Use cases of the cases service: keyword-only functions, one per command.

Intake is in ``intake``; the commands on an open case (assessment, referrals, placement,
…) are in ``commands``; they all go through :func:`send_command` with a
:class:`CaseCommand` the API builds once the sender's access is checked (``access``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from services.cases import projection, repository
from services.cases.models import Case, Offer
from services.cases.schemas import OfferIn
from shared.auth import Actor
from shared.contracts import cases
from shared.contracts.cases import CaseCommandResult, CaseStage
from shared.contracts.envelope import CloudEvent
from shared.idempotency import scoped_key
from shared.problems import stage_conflict
from shared.settings import WirSettings

#: Stores what a confirmed command carried besides its codes (notes, names, dates), in the
#: transaction that applies the command's event. Called once per event the command produced.
Recorder = Callable[[CloudEvent], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


async def create_offer(*, session: AsyncSession, data: OfferIn, actor: str) -> Offer:
    now = _now()
    offer = Offer(
        id=str(uuid.uuid4()),
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **data.model_dump(mode="json"),
    )
    session.add(offer)
    await session.commit()
    return offer


async def update_offer(*, session: AsyncSession, offer_id: str, data: OfferIn, actor: str) -> Offer:
    """Replace an offer's description. Referrals already sent keep pointing at it."""
    offer = await repository.get_offer(session=session, offer_id=offer_id)
    for field, value in data.model_dump(mode="json").items():
        setattr(offer, field, value)
    offer.updated_at = _now()
    offer.updated_by = actor
    await session.commit()
    return offer


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
    *, cmd: CaseCommand, update: str, command: BaseModel, record: Recorder | None = None
) -> Case:
    """Send a command to the case's workflow as an Update and record its events.

    The workflow validates the command against its stage; a rejected command leaves no
    trace. With an idempotency key a repeated request returns the first one's result.
    ``record`` stores the command's personal and free-text parts once it is confirmed.
    """
    session = cmd.session
    case = await repository.get_case(session=session, case_id=cmd.case_id)
    action = update.replace("_", " ")
    _refuse_if_ended(case, cmd.settings, action)
    handle = cmd.client.get_workflow_handle(cases.workflow_id(cmd.case_id))
    # Scoped to the user: another user's key never returns (or re-records) this user's result.
    key = scoped_key(cmd.user, cmd.idempotency_key)[:40] if cmd.idempotency_key else None
    try:
        result = await handle.execute_update(
            update, command, id=f"{update}-{key}" if key else None, result_type=CaseCommandResult
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND and case.stage == CaseStage.closed:
            raise stage_conflict(
                f"cannot {action}: the case is in stage closed and can no longer be reopened"
            ) from None
        raise
    for event in result.events:
        await projection.apply_event(session=session, event=event)
    if record is not None:
        for event in result.events:
            await record(event)
    await session.commit()
    await session.refresh(case)
    return case


def _refuse_if_ended(case: Case, settings: WirSettings, action: str) -> None:
    """A case closed for longer than the reopen window takes no more commands; nor does
    one whose person's data was erased (its workflow has ended)."""
    if case.erased_at is not None:
        raise stage_conflict(
            f"cannot {action}: the case is in stage closed and the person's data was erased"
        )
    if case.stage != CaseStage.closed or case.closed_at is None:
        return
    if _now() - case.closed_at > timedelta(days=settings.reopen_window_days):
        raise stage_conflict(
            f"cannot {action}: the case is in stage closed since "
            f"{case.closed_at:%Y-%m-%d}, beyond the reopen window of "
            f"{settings.reopen_window_days} days"
        )
