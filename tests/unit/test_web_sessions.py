"""Server-side sessions in a real SQLite database: expiry, a new id on sign-in, and the
token's lifetime as the longest a signed-in session lasts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

from services.web import sessions
from services.web.app import MIGRATIONS
from services.web.models import WebSession
from shared.db import create_engine
from shared.migrations import upgrade
from shared.settings import WirSettings


async def test_sessions_expire_and_rotate_on_sign_in(tmp_path: Path) -> None:
    settings = WirSettings(web_session_idle_minutes=30, web_session_max_minutes=60)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/web.db")
    await upgrade(engine, MIGRATIONS)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as db:
            raw, anonymous = sessions.new_session(settings, language="en")
            db.add(anonymous)
            await db.commit()
        async with maker() as db:
            found = await sessions.load(db, raw, settings)
            assert found is not None and found.language == "en" and found.user is None
            token_expiry = sessions.now() + timedelta(minutes=10)
            new_raw, signed_in = await sessions.sign_in(
                db, found, settings, user="vera", display_name="Vera", roles=["applicant"],
                organisation_id="org-1", provider_id=None, access_token="token",
                token_expires_at=token_expiry,
            )  # fmt: skip
            await db.commit()
        assert new_raw != raw and signed_in.csrf_token != anonymous.csrf_token
        assert signed_in.language == "en"  # the choice survives signing in
        assert signed_in.expires_at <= token_expiry  # never past the token
        async with maker() as db:
            assert await sessions.load(db, raw, settings) is None  # the old id is gone
            again = await sessions.load(db, new_raw, settings)
            assert again is not None and again.user == "vera"
            assert again.expires_at <= token_expiry
            # an expired session is deleted when it is next presented
            again.expires_at = sessions.now() - timedelta(seconds=1)
            await db.commit()
        async with maker() as db:
            assert await sessions.load(db, new_raw, settings) is None
            await db.commit()
        async with maker() as db:
            assert await db.get(WebSession, sessions.digest(new_raw)) is None
    finally:
        await engine.dispose()
