"""Idempotent creation for the coordination service: ``POST /actors`` and ``POST /groups``
(and part 2's creations) with an ``Idempotency-Key`` create one object, however often the
request is repeated; a repeat with the same body returns the object created first, one with
another body is refused with 422 (as services/applications/applications/creation.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base
from shared.idempotency import body_digest, key_reused, scoped_key

T = TypeVar("T")


class CreationKey(Base):
    """An ``Idempotency-Key`` (scoped to its user and the kind of object) and what it made."""

    __tablename__ = "coordination_creation_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    body_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


async def _created_before(
    session: AsyncSession, key: str, kind: str, digest: str, idempotency_key: str
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
    load: Callable[[str], Awaitable[T]],
    after_commit: Callable[[T], Awaitable[None]] | None = None,
) -> T:
    """``create()`` adds the object to the session without committing; this commits it with
    the key (then runs ``after_commit``, e.g. starting a workflow), or returns what the key
    created before."""
    key = scoped_key(actor, f"{kind}\n{idempotency_key}") if idempotency_key else None
    digest = body_digest(body)
    if key is not None and idempotency_key is not None:
        found = await _created_before(session, key, kind, digest, idempotency_key)
        if found is not None:
            return await load(found)
    created = await create()
    if key is not None:
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
        if key is None or idempotency_key is None:
            raise
        found = await _created_before(session, key, kind, digest, idempotency_key)
        if found is None:
            raise
        return await load(found)
    if after_commit is not None:
        await after_commit(created)
    return created
