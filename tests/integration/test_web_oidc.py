"""Sign-in with OpenID Connect against a tiny issuer of the test's own: discovery, the
authorization code with PKCE (S256), state and nonce, the ID token checked, the access
token kept in the server-side session; a wrong state or verifier signs nobody in."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from shared.settings import WirSettings
from tests.servers import serve

CLIENT = "wir-web"


class Issuer:
    """Just enough of an OIDC provider: it signs in whoever asks, as ``anna``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict[str, Any]] = {}
        self.wrong_nonce = False

    def sign(self, claims: dict[str, Any]) -> str:
        now = int(time.time())
        body = {"iss": self.url, "iat": now, "exp": now + 600, **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": "k1"})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }

        @app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return {"keys": [{**key, "kid": "k1", "use": "sig", "alg": "RS256"}]}

        @app.get("/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            query = request.query_params
            assert query["client_id"] == CLIENT and query["response_type"] == "code"
            assert query["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(query)
            target = f"{query['redirect_uri']}?code={code}&state={query['state']}"
            return RedirectResponse(target, status_code=302)

        @app.post("/token")
        async def token(
            code: str = Form(), code_verifier: str = Form(), client_id: str = Form()
        ) -> JSONResponse:
            asked = self.codes.pop(code, None)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if asked is None or challenge != asked["code_challenge"] or client_id != CLIENT:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            nonce = "replayed" if self.wrong_nonce else asked["nonce"]
            return JSONResponse(
                {
                    "access_token": self.sign(
                        {"sub": "anna", "aud": "wir", "roles": ["reviewer"], "name": "Anna A."}
                    ),
                    "id_token": self.sign(
                        {"sub": "anna", "aud": CLIENT, "nonce": nonce, "name": "Anna A."}
                    ),
                    "token_type": "Bearer",
                }
            )

        return app


@pytest_asyncio.fixture
async def oidc(tmp_path: Path) -> AsyncIterator[tuple[Issuer, str]]:
    from services.web.app import create_app

    issuer = Issuer("")
    async with serve(issuer.app()) as issuer_url:
        issuer.url = issuer_url
        settings = WirSettings(
            data_dir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db",
            oidc_issuer=issuer.url,
            oidc_client_id=CLIENT,
            auth_issuer=issuer.url,
            auth_jwks_url=f"{issuer.url}/jwks",
        )
        async with serve(create_app(settings)) as web:
            yield issuer, web


async def _sign_in(client: httpx.AsyncClient, *, state: str | None = None) -> httpx.Response:
    start = await client.get("/oidc/start")
    assert start.status_code == 303
    authorize = await client.get(start.headers["location"])
    callback = urlsplit(authorize.headers["location"])
    query = parse_qs(callback.query)
    if state is not None:
        query["state"] = [state]
    return await client.get(
        callback.path, params={"code": query["code"][0], "state": query["state"][0]}
    )


async def test_oidc_sign_in_with_pkce(oidc: tuple[Issuer, str]) -> None:
    issuer, web = oidc
    async with httpx.AsyncClient(base_url=web) as client:
        # no demo sign-in where an issuer is configured
        demo = await client.get("/sign-in")
        assert demo.status_code == 303 and demo.headers["location"] == "/oidc/start"
        start = await client.get("/oidc/start")
        authorize = urlsplit(start.headers["location"])
        assert authorize.netloc == urlsplit(issuer.url).netloc
        asked = parse_qs(authorize.query)
        assert asked["code_challenge_method"] == ["S256"] and "code_verifier" not in asked

        done = await _sign_in(client)
        assert done.status_code == 303 and done.headers["location"] == "/"
        page = await client.get("/signed-out")
        assert "Anna A." in page.text  # signed in: the header names the user


async def test_wrong_state_or_nonce_signs_nobody_in(oidc: tuple[Issuer, str]) -> None:
    issuer, web = oidc
    async with httpx.AsyncClient(base_url=web) as client:
        refused = await _sign_in(client, state="forged")
        assert refused.status_code == 400
        assert "Abmelden" not in (await client.get("/signed-out")).text
    issuer.wrong_nonce = True
    async with httpx.AsyncClient(base_url=web) as client:
        refused = await _sign_in(client)
        assert refused.status_code == 400
        assert "Abmelden" not in (await client.get("/signed-out")).text
