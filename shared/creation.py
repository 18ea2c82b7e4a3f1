"""Idempotent creation for every service: a ``POST`` with an ``Idempotency-Key`` creates
one object, however often (or however concurrently) the request is repeated; a repeat with
the same body returns the object created first, one with another body is refused with 422.

Each service keeps its own table of keys (a model with the columns of :class:`KeyRow`)
and passes it in. The key (scoped to the user and the kind of object) is stored beside the
object in the creation's one commit. Of two concurrent requests with the key, the second
either fails its commit on the key or, when ``create()`` itself refuses with 409 because it
sees the twin's object (e.g. "organisation exists"), looks the key up again: the twin's
object is its answer too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.idempotency import body_digest, key_reused, scoped_key
from shared.problems import ProblemError

T = TypeVar("T")

#: Loads the object a key created.
Loader = Callable[[str], Awaitable[T]]


class KeyRow(Protocol):
    """A stored key: what a service's key table holds."""

    key: str
    kind: str
    object_id: str
    body_digest: str
    created_at: datetime


async def _created_before(
    *,
    session: AsyncSession,
    table: type[Any],
    key: str,
    kind: str,
    digest: str,
    idempotency_key: str,
) -> str | None:
    row: KeyRow | None = await session.get(table, key, populate_existing=True)
    if row is None:
        return None
    if row.kind != kind or row.body_digest != digest:
        raise key_reused(idempotency_key)
    return row.object_id


async def create_once(
    *,
    session: AsyncSession,
    table: type[Any],
    kind: str,
    actor: str,
    idempotency_key: str | None,
    body: BaseModel,
    create: Callable[[], Awaitable[T]],
    object_id: Callable[[T], str],
    load: Loader[T],
) -> T:
    """``create()`` adds the object to the session and does not commit; this commits it
    with its key in ``table``, or returns what the key created before."""
    if idempotency_key is None:
        created = await create()
        await session.commit()
        return created
    key = scoped_key(actor, f"{kind}\n{idempotency_key}")
    digest = body_digest(body)

    async def twin() -> str | None:
        return await _created_before(
            session=session,
            table=table,
            key=key,
            kind=kind,
            digest=digest,
            idempotency_key=idempotency_key,
        )

    found = await twin()
    if found is not None:
        return await load(found)
    try:
        created = await create()
    except ProblemError as refusal:
        # A twin request with the key may have committed between our look-up and
        # create(); create()'s own checks then see its object (409). The key decides.
        if refusal.status != 409:
            raise
        await session.rollback()
        found = await twin()
        if found is None:
            raise
        return await load(found)
    session.add(
        table(
            key=key,
            kind=kind,
            object_id=object_id(created),
            body_digest=digest,
            created_at=datetime.now(UTC),
        )
    )
    try:
        await session.commit()
    except IntegrityError:  # a concurrent request with the key created first
        await session.rollback()
        found = await twin()
        if found is None:
            raise
        return await load(found)
    return created
