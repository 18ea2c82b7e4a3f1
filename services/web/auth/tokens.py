"""A bearer token, checked as the APIs check it, turned into a signed-in session."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
from fastapi import Request

from services.web import sessions
from shared.auth import AuthError, TokenVerifier


async def start_session(request: Request, access_token: str, display_name: str | None) -> None:
    """Sign the reader in with ``access_token`` (verified like the APIs verify it)."""
    state = request.app.state
    verifier: TokenVerifier | None = getattr(state, "token_verifier", None)
    if verifier is None:
        verifier = state.token_verifier = TokenVerifier(state.settings)
    actor = await verifier.verify(access_token)
    claims = jwt.decode(access_token, options={"verify_signature": False})
    expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
    name = display_name or claims.get("name")
    raw, row = await sessions.sign_in(
        request.state.db,
        request.state.web,
        state.settings,
        user=actor.user,
        display_name=str(name)[:200] if name else None,
        roles=[role.value for role in actor.roles],
        organisation_id=actor.organisation_id,
        provider_id=actor.provider_id,
        access_token=access_token,
        token_expires_at=expires,
    )
    request.state.web = row
    request.state.new_session_id = raw


__all__ = ["AuthError", "start_session"]
