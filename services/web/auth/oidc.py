"""Sign-in with OpenID Connect (authorization code + PKCE) against ``WIR_OIDC_ISSUER``.

``/oidc/start`` reads the issuer's discovery document, keeps state, nonce and code verifier
in the session and sends the reader to the issuer; ``/oidc/callback`` checks the state,
trades the code (with the verifier) for tokens, checks the ID token's signature, audience,
issuer and nonce, and signs the reader in with the access token, which the pages then send
to the APIs (they verify it against ``WIR_AUTH_JWKS_URL``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import jwt
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.web.auth import pkce
from services.web.auth.tokens import AuthError, start_session
from services.web.deps import AnyoneDep
from services.web.i18n import N_
from services.web.render import page

router = APIRouter()


async def discovery(request: Request) -> dict[str, Any]:
    state = request.app.state
    cached: dict[str, Any] | None = getattr(state, "oidc_discovery", None)
    if cached is None:
        issuer = state.settings.oidc_issuer.rstrip("/")
        answer = await state.http.get(f"{issuer}/.well-known/openid-configuration")
        answer.raise_for_status()
        cached = state.oidc_discovery = answer.json()
    return cached


def _redirect_uri(request: Request) -> str:
    configured = request.app.state.settings.oidc_redirect_url
    return str(configured or request.url_for("oidc_callback"))


def _failed(request: Request) -> Response:
    return page(
        request,
        "pages/problem.html",
        status_code=400,
        title=N_("Sign-in failed"),
        text=N_("The sign-in could not be completed. Please start it again."),
    )


@router.get("/oidc/start")
async def oidc_start(request: Request, view: AnyoneDep) -> Response:
    settings = request.app.state.settings
    if not settings.oidc_issuer:
        return RedirectResponse("/sign-in", status_code=303)
    config = await discovery(request)
    login = pkce.new_login()
    view.web.pending_login = login
    url = pkce.authorization_url(
        config["authorization_endpoint"],
        client_id=settings.oidc_client_id,
        redirect_uri=_redirect_uri(request),
        scopes=settings.oidc_scopes,
        login=login,
    )
    return RedirectResponse(url, status_code=303)


def _check_id_token(id_token: str, config: dict[str, Any], request: Request, nonce: str) -> Any:
    settings = request.app.state.settings
    keys = jwt.PyJWKClient(config["jwks_uri"], timeout=5)
    key = keys.get_signing_key_from_jwt(id_token).key
    claims = jwt.decode(
        id_token,
        key,
        algorithms=config.get("id_token_signing_alg_values_supported", ["RS256"]),
        audience=settings.oidc_client_id,
        issuer=config["issuer"],
        options={"require": ["exp", "iss", "aud", "sub"]},
    )
    if claims.get("nonce") != nonce:
        raise AuthError("the ID token's nonce is not this sign-in's")
    return claims


@router.get("/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, view: AnyoneDep) -> Response:
    settings = request.app.state.settings
    login = dict(view.web.pending_login or {})
    view.web.pending_login = {}
    if not settings.oidc_issuer or not pkce.state_matches(login, request.query_params.get("state")):
        return _failed(request)
    code = request.query_params.get("code")
    if not code:
        return _failed(request)
    config = await discovery(request)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": _redirect_uri(request),
        "client_id": settings.oidc_client_id,
        "code_verifier": login["code_verifier"],
    }
    if settings.oidc_client_secret is not None:
        form["client_secret"] = settings.oidc_client_secret.get_secret_value()
    answer = await request.app.state.http.post(config["token_endpoint"], data=form)
    if answer.status_code != 200:
        return _failed(request)
    tokens = answer.json()
    try:
        claims = await asyncio.to_thread(
            _check_id_token, str(tokens.get("id_token", "")), config, request, login["nonce"]
        )
        await start_session(request, str(tokens["access_token"]), claims.get("name"))
    except (AuthError, jwt.PyJWTError, KeyError):
        return _failed(request)
    request.state.web.flash = N_("You are signed in.")
    return RedirectResponse("/", status_code=303)
