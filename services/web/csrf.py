"""CSRF protection: every POST form carries the session's token, checked before anything runs.

The token is random per session and compared in constant time. SameSite=Lax cookies already
keep other sites' form posts from carrying the session; the token is the second line.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from services.web.models import WebSession

FIELD = "csrf_token"


class CsrfError(Exception):
    """A form without the session's token: expired session or a forged request."""


def token_matches(session: WebSession, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent, session.csrf_token)


async def checked_form(request: Request) -> FormData:
    """The request's form once its CSRF token proved to be the session's."""
    form = await request.form()
    if not token_matches(request.state.web, form.get(FIELD)):
        raise CsrfError()
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
