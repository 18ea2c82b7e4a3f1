"""The web front end's one table: server-side sessions.

A session row holds who is signed in (as the token names them), the bearer token the pages
send to the APIs, the CSRF token of the session's forms and the reader's language. No
business data: everything else comes from the APIs on each request. The cookie carries a
random id; the table keeps only its SHA-256, so a copy of the table signs nobody in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class WebSession(Base):
    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="de")
    user: Mapped[str | None] = mapped_column(String(64), default=None)
    display_name: Mapped[str | None] = mapped_column(String(200), default=None)
    roles: Mapped[list[str]] = mapped_column(default=list)
    organisation_id: Mapped[str | None] = mapped_column(String(64), default=None)
    provider_id: Mapped[str | None] = mapped_column(String(64), default=None)
    access_token: Mapped[str | None] = mapped_column(Text, default=None)
    # an OIDC sign-in under way: state, nonce and code_verifier until the issuer answers
    pending_login: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # one message for the next page (POST-redirect-GET), then cleared
    flash: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # idle deadline, moved on with each request, never past ends_at
    expires_at: Mapped[datetime]
    # the latest end: web_session_max_minutes after the start, or the token's expiry
    ends_at: Mapped[datetime]
