"""Idempotent creation: ``POST /applications`` and ``POST /organisations`` with an
``Idempotency-Key`` create one object, however often (or however concurrently) the request
is repeated; a repeat with the same body returns the object created first, one with another
body is refused with 422.

The key (scoped to the user) is stored beside the object in the creation's one commit; of
two concurrent requests the second's commit fails on the key and it returns the first's
object instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import CreationKey
from shared.idempotency import body_digest, key_reused, scoped_key
from shared.problems import ProblemError

T = TypeVar("T")

#: Loads the object a key created.
Loader = Callable[[str], Awaitable[T]]


async def _created_before(
    *, session: AsyncSession, key: str, kind: str, digest: str, idempotency_key: str
) -> str | None:
    row = await session.get(CreationKey, key, populate_existing=True)
    if row is None:
        return None
    if row.kind != kind or row.body_digest != digest:
        raise key_reused(idempotency_key)
    return row.object_id


async def create_once(
    *,
    session: AsyncSession,
    kind: str,
    actor: str,
    idempotency_key: str | None,
    body: BaseModel,
    create: Callable[[], Awaitable[T]],
    object_id: Callable[[T], str],
    load: Loader[T],
) -> T:
    """``create()`` adds the object to the session and does not commit; this commits it
    with the key, or returns what the key created before."""
    if idempotency_key is None:
        created = await create()
        await session.commit()
        return created
    key = scoped_key(actor, f"{kind}\n{idempotency_key}")
    digest = body_digest(body)
    found = await _created_before(
        session=session, key=key, kind=kind, digest=digest, idempotency_key=idempotency_key
    )
    if found is not None:
        return await load(found)
    try:
        created = await create()
    except ProblemError as refusal:
        # A twin request with the same key may have committed between our look-up and
        # create(); create()'s own checks then see its object (e.g. "organisation exists",
        # 409). The key decides: the twin's result is this request's answer too.
        if refusal.status != 409:
            raise
        await session.rollback()
        found = await _created_before(
            session=session, key=key, kind=kind, digest=digest, idempotency_key=idempotency_key
        )
        if found is None:
            raise
        return await load(found)
    session.add(
        CreationKey(
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
        found = await _created_before(
            session=session, key=key, kind=kind, digest=digest, idempotency_key=idempotency_key
        )
        if found is None:
            raise
        return await load(found)
    return created
