"""The parts of an OpenID Connect sign-in that must be right: PKCE, state and nonce.

RFC 7636 (S256 code challenge), OIDC Core 3.1 (state against login CSRF, nonce against a
replayed ID token). A login under way lives in the reader's session for ten minutes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlencode

LOGIN_SECONDS = 600


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_login(now: float | None = None) -> dict[str, Any]:
    """A fresh state, nonce and code verifier (43+ characters of the unreserved set)."""
    return {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "code_verifier": secrets.token_urlsafe(48),
        "started": time.time() if now is None else now,
    }


def authorization_url(
    endpoint: str, *, client_id: str, redirect_uri: str, scopes: str, login: dict[str, Any]
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scopes,
            "state": login["state"],
            "nonce": login["nonce"],
            "code_challenge": code_challenge(login["code_verifier"]),
            "code_challenge_method": "S256",
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def state_matches(login: dict[str, Any], state: str | None, now: float | None = None) -> bool:
    """The issuer's answer belongs to the login this session started, in time."""
    expected = login.get("state")
    started = login.get("started")
    moment = time.time() if now is None else now
    if not isinstance(expected, str) or not isinstance(started, int | float) or not state:
        return False
    if moment - started > LOGIN_SECONDS:
        return False
    return hmac.compare_digest(expected, state)
