"""Who is acting: every command knows its user.

Until token authentication arrives, the acting user comes from the ``X-WIR-User`` header.
Routes depend on :data:`ActorDep` only, so a token check can replace :func:`current_actor`
without touching them.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header
from pydantic import BaseModel

from shared.problems import ProblemError

_USER = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


class Actor(BaseModel):
    user: str


async def current_actor(
    x_wir_user: Annotated[str | None, Header(description="Acting user (staff id)")] = None,
) -> Actor:
    if not x_wir_user:
        raise ProblemError(401, "Acting user required", "Send the acting user in X-WIR-User.")
    if not _USER.match(x_wir_user):
        raise ProblemError(
            401,
            "Invalid acting user",
            "X-WIR-User must be 1-64 characters of letters, digits and . _ @ -",
        )
    return Actor(user=x_wir_user)


ActorDep = Annotated[Actor, Depends(current_actor)]
