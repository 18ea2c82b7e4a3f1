"""Sign-out: the session row is deleted and its cookie with it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.web.csrf import CheckedForm
from services.web.deps import AnyoneDep

router = APIRouter()


@router.post("/sign-out")
async def sign_out(request: Request, view: AnyoneDep, form: CheckedForm) -> Response:
    await request.state.db.delete(view.web)
    request.state.end_session = True
    return RedirectResponse("/signed-out", status_code=303)
