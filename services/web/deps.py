"""What a page route gets: the reader's session, the APIs as that reader, the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from services.web.api import Api
from services.web.models import WebSession
from services.web.render import Renderer


class NotSignedIn(Exception):
    """The page needs a signed-in user; the reader goes to the sign-in page."""


class NotAllowed(Exception):
    """The signed-in user holds none of the roles the page is for."""


@dataclass(frozen=True)
class View:
    request: Request
    web: WebSession
    api: Api

    @property
    def language(self) -> str:
        return self.web.language

    def gettext(self, message: str) -> str:
        renderer: Renderer = self.request.app.state.renderer
        return renderer.gettext(self.language, message)

    def has(self, *roles: str) -> bool:
        return any(role in self.web.roles for role in roles)

    def redirect(self, path: str, *, flash: str | None = None) -> RedirectResponse:
        """POST-redirect-GET: 303 to ``path``, with a message for the page there."""
        if flash is not None:
            self.web.flash = flash
        return RedirectResponse(path, status_code=303)


def _view(request: Request) -> View:
    state = request.app.state
    web: WebSession = request.state.web
    return View(request=request, web=web, api=Api(state.http, state.api_urls, web.access_token))


def anyone(request: Request) -> View:
    return _view(request)


def signed_in(request: Request) -> View:
    view = _view(request)
    if view.web.user is None:
        raise NotSignedIn()
    return view


def role(*roles: str) -> Callable[[Request], View]:
    def dependency(request: Request) -> View:
        view = signed_in(request)
        if not view.has(*roles):
            raise NotAllowed()
        return view

    return dependency


AnyoneDep = Annotated[View, Depends(anyone)]
SignedInDep = Annotated[View, Depends(signed_in)]
ApplicantDep = Annotated[View, Depends(role("applicant"))]
OfficerDep = Annotated[View, Depends(role("programme_officer"))]
ReviewerDep = Annotated[View, Depends(role("reviewer"))]
ApproverDep = Annotated[View, Depends(role("approver"))]
CaseManagerDep = Annotated[View, Depends(role("case_manager"))]
ProviderDep = Annotated[View, Depends(role("provider"))]
#: the coordination office (network, working groups, specialist days, year report)
CoordinatorDep = Annotated[View, Depends(role("coordinator"))]
AdminDep = Annotated[View, Depends(role("admin"))]
OperatorDep = Annotated[View, Depends(role("operator", "admin"))]
#: the anonymous figures of the cases: case managers and admins
FiguresDep = Annotated[View, Depends(role("case_manager", "admin"))]
