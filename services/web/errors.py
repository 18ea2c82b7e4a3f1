"""What the reader sees when a page cannot be shown: sign-in, 403, 404, an expired form."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from services.web.api import ApiError
from services.web.csrf import CsrfError
from services.web.deps import NotAllowed, NotSignedIn
from services.web.i18n import N_
from services.web.render import page


def _problem(request: Request, status: int, title: str, text: str) -> Response:
    return page(request, "pages/problem.html", status_code=status, title=title, text=text)


def not_found(request: Request) -> Response:
    return _problem(
        request, 404, N_("Page not found"), N_("This page does not exist or is not open to you.")
    )


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/sign-in", status_code=303)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return _problem(request, 403, N_("Not allowed"), N_("Your role does not open this page."))


async def _csrf(request: Request, exc: Exception) -> Response:
    return _problem(
        request,
        400,
        N_("The form has expired"),
        N_("Please go back, reload the page and send the form again. Nothing was changed."),
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    if exc.status == 401:
        request.state.web.user = None
        request.state.web.access_token = None
        return RedirectResponse("/sign-in", status_code=303)
    if exc.status == 404:
        return not_found(request)
    if exc.status == 403:
        return await _not_allowed(request, exc)
    return _problem(
        request,
        502 if exc.status >= 500 else exc.status,
        N_("The request could not be carried out"),
        exc.detail,
    )


async def _unreachable(request: Request, exc: Exception) -> Response:
    return _problem(
        request,
        503,
        N_("A service is not reachable"),
        N_("The page could not be loaded; nothing was changed. Please try again shortly."),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return not_found(request)
    if not hasattr(request.state, "web"):
        return Response(status_code=exc.status_code)
    return _problem(request, exc.status_code, N_("Error"), str(exc.detail))


def install(app: FastAPI) -> None:
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.add_exception_handler(CsrfError, _csrf)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(httpx.TransportError, _unreachable)
