"""A request value the database cannot bind (a time outside years 1-9999 in UTC) is the
client's error: 422, not 500 (shared/problems.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
from fastapi import FastAPI
from sqlalchemy import Column, MetaData, Table, select
from sqlalchemy.ext.asyncio import create_async_engine

from shared import problems
from shared.db import UtcDateTime

bookings = Table("bookings", MetaData(), Column("at", UtcDateTime()))


async def test_an_unbindable_time_answers_422() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(bookings.metadata.create_all)
    app = FastAPI()
    problems.install(app)

    @app.get("/bookings")
    async def since(since: datetime) -> int:
        async with engine.connect() as connection:
            rows = await connection.execute(select(bookings).where(bookings.c.at >= since))
            return len(rows.all())

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        edge = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59)))
        refused = await client.get("/bookings", params={"since": edge.isoformat()})
        fine = await client.get(
            "/bookings", params={"since": datetime(1, 1, 1, tzinfo=UTC).isoformat()}
        )
    await engine.dispose()
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"] == "A date, time or number in the request is out of range."
    assert fine.status_code == 200
