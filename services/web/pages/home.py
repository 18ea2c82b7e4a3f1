"""The start page: where each role begins, and the page after signing out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.web.deps import AnyoneDep
from services.web.i18n import N_
from services.web.navigation import navigation
from services.web.render import page

router = APIRouter()


@router.get("/")
async def home(request: Request, view: AnyoneDep) -> Response:
    if view.web.user is None:
        return page(request, "pages/home.html", title=N_("Welcome"))
    entries = navigation(view.web.roles, "")
    return RedirectResponse(entries[0].href, status_code=303)


@router.get("/signed-out")
async def signed_out(request: Request, view: AnyoneDep) -> Response:
    return page(request, "pages/signed_out.html", title=N_("Signed out"))
