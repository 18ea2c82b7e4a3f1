"""Database errors name the statement, never its values: an error's text reaches logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from shared.db import create_engine


async def test_an_error_hides_the_bound_personal_data(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/people.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT)"))
            insert = text("INSERT INTO people VALUES (:id, :name)")
            await conn.execute(insert, {"id": "p1", "name": "Amina Yusuf"})
        with pytest.raises(IntegrityError) as caught:
            async with engine.begin() as conn:
                await conn.execute(insert, {"id": "p1", "name": "Amina Yusuf"})
        assert "INSERT INTO people" in str(caught.value)
        assert "Amina" not in str(caught.value)
    finally:
        await engine.dispose()
