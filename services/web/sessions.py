"""Server-side sessions: a random id in an HttpOnly cookie, the row in ``web_sessions``.

Every page request gets a session (an anonymous one carries the CSRF token of the sign-in
and language forms); signing in replaces it by a new one (no fixation), signing out deletes
it. A session ends after ``web_session_idle_minutes`` without a request, after
``web_session_max_minutes`` at the latest, and never outlives the bearer token it holds.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from services.web.models import WebSession
from shared.settings import WirSettings

COOKIE = "wir_session"
LANGUAGE_COOKIE = "wir_language"
LANGUAGES = ("de", "en")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def now() -> datetime:
    return datetime.now(UTC)


def digest(raw_id: str) -> str:
    return hashlib.sha256(raw_id.encode()).hexdigest()


def cookie_secure(hostname: str | None) -> bool:
    """Secure (HTTPS only) unless the browser talks to a loopback address."""
    return (hostname or "") not in LOOPBACK


def cookie_options(hostname: str | None) -> dict[str, object]:
    return {
        "httponly": True,
        "samesite": "lax",
        "secure": cookie_secure(hostname),
        "path": "/",
    }


async def load(db: AsyncSession, raw_id: str, settings: WirSettings) -> WebSession | None:
    """The live session of ``raw_id``, its idle deadline moved on; None if gone or expired."""
    row = await db.get(WebSession, digest(raw_id))
    moment = now()
    if row is None:
        return None
    if row.expires_at <= moment:
        await db.delete(row)
        return None
    row.last_seen_at = moment
    row.expires_at = min(moment + timedelta(minutes=settings.web_session_idle_minutes), row.ends_at)
    return row


def new_session(settings: WirSettings, *, language: str) -> tuple[str, WebSession]:
    """A fresh anonymous session: its raw id (for the cookie) and its row."""
    raw = secrets.token_urlsafe(32)
    moment = now()
    row = WebSession(
        id_hash=digest(raw),
        csrf_token=secrets.token_urlsafe(32),
        language=language if language in LANGUAGES else "de",
        roles=[],
        pending_login={},
        created_at=moment,
        last_seen_at=moment,
        expires_at=moment + timedelta(minutes=settings.web_session_idle_minutes),
        ends_at=moment + timedelta(minutes=settings.web_session_max_minutes),
    )
    return raw, row


async def purge_expired(db: AsyncSession) -> None:
    await db.execute(delete(WebSession).where(WebSession.expires_at <= now()))


async def sign_in(
    db: AsyncSession,
    old: WebSession,
    settings: WirSettings,
    *,
    user: str,
    display_name: str | None,
    roles: list[str],
    organisation_id: str | None,
    provider_id: str | None,
    access_token: str,
    token_expires_at: datetime,
) -> tuple[str, WebSession]:
    """Replace ``old`` by a signed-in session with a new id and a new CSRF token."""
    raw, row = new_session(settings, language=old.language)
    row.user, row.display_name, row.roles = user, display_name, sorted(roles)
    row.organisation_id, row.provider_id = organisation_id, provider_id
    row.access_token = access_token
    row.ends_at = min(row.ends_at, token_expires_at)
    row.expires_at = min(row.expires_at, row.ends_at)
    await db.delete(old)
    db.add(row)
    await purge_expired(db)
    return raw, row
