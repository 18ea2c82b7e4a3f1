"""The PostgreSQL server the scale tests run on, and fresh databases on it.

``WIR_TEST_DATABASE_URL`` names the server; unset, the machine's own on 127.0.0.1:5432 (as
``make test`` looks for it). Without an answer the tests skip, saying why.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import URL, make_url

LOCAL_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    """The PostgreSQL server's URL, or a skip of the calling test when none answers."""
    url = os.environ.get("WIR_TEST_DATABASE_URL") or LOCAL_URL
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        pytest.skip(
            f"the scale tests need PostgreSQL; WIR_TEST_DATABASE_URL is {parsed.drivername}"
        )
    try:
        socket.create_connection(
            (parsed.host or "127.0.0.1", parsed.port or 5432), timeout=1
        ).close()
    except OSError as exc:
        pytest.skip(f"no PostgreSQL answers at {parsed.host}:{parsed.port or 5432} ({exc})")
    return url


async def _admin(parsed: URL) -> object:
    import asyncpg  # type: ignore[import-untyped]

    return await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )


@contextlib.asynccontextmanager
async def fresh_database(url: str) -> AsyncIterator[str]:
    """A new, empty database on ``url``'s server for as long as the block runs; its URL."""
    parsed = make_url(url)
    name = f"wir_scale_{uuid.uuid4().hex[:10]}"
    admin = await _admin(parsed)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    finally:
        await admin.close()  # type: ignore[attr-defined]
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await _admin(parsed)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        finally:
            await admin.close()  # type: ignore[attr-defined]
