"""The one path a command takes from a route to its workflow and back into the read model.

:func:`send_update` sends a command as a Temporal Update under an update id made from the
user's own ``Idempotency-Key`` (another user's key is another command). Temporal answers a
repeated update id with the first run's result, so a retried request neither acts twice nor
publishes twice.

:func:`run_command` sends it, applies every event of the result through the service's
projection, lets the caller store what the command carried beside it (``record``), and
commits **once**. The workflow's validator refuses a command its stage does not allow; that
comes back as 409/422 (``shared.problems``) and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import UpdateRef
from shared.idempotency import scoped_key

ArgT = TypeVar("ArgT", bound=BaseModel)


ResultT = TypeVar("ResultT", bound=BaseModel)

#: Applies one event to the read model; returns whether it applied.
Applier = Callable[[CloudEvent], Awaitable[bool]]


def user_key(actor: str, idempotency_key: str | None) -> str | None:
    """The user-scoped form of an ``Idempotency-Key`` (40 characters), or None."""
    return scoped_key(actor, idempotency_key)[:40] if idempotency_key else None


def update_id(
    update: UpdateRef[ArgT, ResultT], actor: str, idempotency_key: str | None
) -> str | None:
    key = user_key(actor, idempotency_key)
    return f"{update.name}-{key}" if key else None


async def send_update(
    *,
    client: Client,
    workflow_id: str,
    update: UpdateRef[ArgT, ResultT],
    command: ArgT,
    actor: str,
    idempotency_key: str | None = None,
) -> ResultT:
    """Send ``command`` to the workflow as ``update`` and return its typed result."""
    handle = client.get_workflow_handle(workflow_id)
    result: ResultT = await handle.execute_update(
        update.name,
        command,
        id=update_id(update, actor, idempotency_key),
        result_type=update.result,
    )
    return result


async def run_command(
    *,
    session: AsyncSession,
    client: Client,
    workflow_id: str,
    update: UpdateRef[ArgT, ResultT],
    command: ArgT,
    actor: str,
    idempotency_key: str | None,
    apply: Applier,
    record: Callable[[ResultT], Awaitable[None]] | None = None,
) -> ResultT:
    """Send the command, project its events, store what it carried, commit once.

    A concurrent request with the same key may commit the same events first: its
    transaction wins and this one is rolled back (the answer is the same result).
    """
    result = await send_update(
        client=client,
        workflow_id=workflow_id,
        update=update,
        command=command,
        actor=actor,
        idempotency_key=idempotency_key,
    )
    events: list[CloudEvent] = getattr(result, "events", [])
    for event in events:
        await apply(event)
    if record is not None:
        await record(result)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
    return result
