"""``shared.creation.create_once`` on the real database (SQLite, or PostgreSQL when
``WIR_TEST_DATABASE_URL`` is given): two keyed creations racing each other make one object
and both answer with it, whether the second fails its commit on the key or its own check
sees the twin's object first (409); and the coordination service's keyed POSTs over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
import pytest_asyncio
from pydantic import BaseModel
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.creation import create_once
from shared.db import UtcDateTime, create_engine
from shared.problems import ProblemError


class _Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


class _Key(_Base):
    __tablename__ = "test_shared_creation_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    body_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class _Club(_Base):
    __tablename__ = "test_shared_creation_clubs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class _ClubIn(BaseModel):
    name: str


@pytest_asyncio.fixture(loop_scope="session")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(_Base.metadata.create_all)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def _create_club(
    sessions: async_sessionmaker[AsyncSession],
    body: _ClubIn,
    key: str,
    before_check: asyncio.Event | None = None,
) -> str:
    async with sessions() as session:

        async def create() -> _Club:
            if before_check is not None:
                await before_check.wait()
            taken = await session.scalar(select(_Club).where(_Club.name == body.name))
            if taken is not None:
                raise ProblemError(409, "Club exists", f"{body.name} exists already")
            club = _Club(id=str(uuid.uuid4()), name=body.name)
            session.add(club)
            return club

        async def load(club_id: str) -> _Club:
            found = await session.get(_Club, club_id)
            assert found is not None
            return found

        club = await create_once(
            session=session,
            table=_Key,
            kind="club",
            actor="clara.coord",
            idempotency_key=key,
            body=body,
            create=create,
            object_id=lambda c: c.id,
            load=load,
        )
        return club.id


async def test_a_twin_whose_check_sees_the_first_object_answers_with_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    body, key = _ClubIn(name=f"Verein {uuid.uuid4().hex[:8]}"), uuid.uuid4().hex
    first_done = asyncio.Event()
    # the twin looks its key up (none yet), then waits to check the name until the first
    # request has committed: its check sees the club, and the key decides instead of 409
    twin = asyncio.create_task(_create_club(sessions, body, key, before_check=first_done))
    await asyncio.sleep(0.05)
    first = await _create_club(sessions, body, key)
    first_done.set()
    assert await twin == first
    # another key is another creation: that one meets the name check
    with pytest.raises(ProblemError) as refused:
        await _create_club(sessions, body, uuid.uuid4().hex)
    assert refused.value.status == 409


async def test_twins_at_once_make_one_object(sessions: async_sessionmaker[AsyncSession]) -> None:
    body, key = _ClubIn(name=f"Verein {uuid.uuid4().hex[:8]}"), uuid.uuid4().hex
    ids = await asyncio.gather(*(_create_club(sessions, body, key) for _ in range(4)))
    assert len(set(ids)) == 1


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/actors", {"name": "Sportverein", "type": "club", "place": "Alsfeld"}),
        ("/groups", {"name": "AG Wohnen"}),
    ],
)
async def test_keyed_coordination_posts_at_once_make_one(
    coordination: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    created = await asyncio.gather(
        *(coordination.post(path, json=body, headers=headers) for _ in range(3))
    )
    assert {r.status_code for r in created} == {201}, [r.text for r in created]
    assert len({r.json()["id"] for r in created}) == 1
    other = await coordination.post(path, json={**body, "name": "Anders"}, headers=headers)
    assert other.status_code == 422, other.text
