"""The language switch: kept in the session and, for the next visit, in a cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.web import sessions
from services.web.csrf import CheckedForm
from services.web.deps import AnyoneDep

router = APIRouter()
ONE_YEAR = 365 * 24 * 3600


def local_path(target: str) -> str:
    """Only a path of this site (no other host, no scheme) is a place to go back to."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.post("/language")
async def choose_language(request: Request, view: AnyoneDep, form: CheckedForm) -> Response:
    chosen = str(form.get("language", ""))
    if chosen in sessions.LANGUAGES:
        view.web.language = chosen
    response = RedirectResponse(local_path(str(form.get("next", "/"))), status_code=303)
    options = sessions.cookie_options(request.url.hostname)
    response.set_cookie(sessions.LANGUAGE_COOKIE, view.web.language, max_age=ONE_YEAR, **options)  # type: ignore[arg-type]
    return response
