"""The codec server: decrypts and encrypts WIR's Temporal payloads for operators.

Run: ``python -m services.codec.app`` (``make up`` starts it on ``WIR_HOST``:``WIR_CODEC_PORT``,
8004, and points the Temporal Web UI at it).

It speaks Temporal's remote codec protocol: ``POST /decode`` and ``POST /encode`` take and
answer ``{"payloads": [{"metadata": {key: base64}, "data": base64}]}`` (the protobuf JSON of
``Payloads``); the Web UI adds the header ``X-Namespace``.

Only an operator may use it: a bearer token with the role ``operator``, sent either as
``Authorization: Bearer …`` (the ``temporal`` CLI's ``--codec-auth``, scripts) or as the
cookie that ``/login`` sets (the Web UI, which sends cookies to the codec server when its
codec setting "Include cross-origin credentials" is on). Every decode and encode is logged
at INFO on ``wir.codec.audit``: who, which namespace, how many payloads, never their
content; values from the request are escaped so each record stays one line
(``services/codec/audit.py``). Errors are RFC 9457 problem details (401 without a valid
token, 403 without the role, 422 for a body that is not a ``Payloads`` document).
"""

from __future__ import annotations

import html
import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from services.codec.audit import audit, install_audit_filter
from services.codec.document import PAYLOADS_BODY
from shared import openapi, problems, tracing
from shared.auth import Actor, Role, allow, current_actor, install_auth
from shared.docs import install_docs
from shared.headers import SecurityHeadersMiddleware
from shared.limits import BodyLimitMiddleware, UnauthenticatedLimit
from shared.logs import install_request_ids
from shared.metrics import install_metrics
from shared.payloads.codec import EncryptionCodec, PayloadKeyError
from shared.payloads.keys import payload_codec
from shared.problems import ProblemError
from shared.query import known_query_only
from shared.serving import server_config
from shared.settings import WirSettings

COOKIE = "wir_codec_token"
MAX_BODY_BYTES = 16 * 1024 * 1024
#: ``{"payloads": [{"metadata": {key: value}}]}`` is four levels deep; the limit leaves room
#: and keeps a deeply nested body from reaching the (recursive) protobuf parser.
MAX_BODY_DEPTH = 8

_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT), role operator")
_only_operators = allow(Role.operator)


def allowed_origins(settings: WirSettings) -> list[str]:
    if settings.codec_cors_origins is not None:
        return list(settings.codec_cors_origins)
    port = settings.temporal_ui_port
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


async def operator(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The operator behind the request: from the Authorization header, else the cookie.

    A cookie rides along with any request the browser makes, so a request authenticated
    by it must come from an allowed origin (the Web UI), not from some other page.
    """
    if credentials is None and (cookie := request.cookies.get(COOKIE)):
        origin = request.headers.get("origin")
        if origin is not None and origin not in request.app.state.codec_origins:
            raise ProblemError(403, "Origin not allowed", f"Requests from {origin} may not decode.")
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=cookie)
    try:
        actor = await current_actor(request, credentials)
    except ProblemError as exc:
        audit.warning("%s refused (%d): %s", request.url.path, exc.status, exc.detail)
        raise
    try:
        return await _only_operators(actor)
    except ProblemError:
        audit.warning(
            "%s refused for %s (roles %s): not an operator",
            request.url.path,
            actor.user,
            actor.role_names or "-",
        )
        raise


OperatorDep = Annotated[Actor, Depends(operator)]


async def _payloads(request: Request) -> Payloads:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise ProblemError(413, "Too large", f"At most {MAX_BODY_BYTES} bytes per request.")
    try:
        body: Any = json.loads(await request.body())
        if _depth(body) > MAX_BODY_DEPTH:
            raise ValueError("nested too deeply")
        return json_format.ParseDict(body, Payloads(), ignore_unknown_fields=True)
    except (ValueError, json_format.ParseError, AttributeError, TypeError, RecursionError):
        raise ProblemError(
            422, "Invalid request", 'Send {"payloads": [{"metadata": {...}, "data": "..."}]}.'
        ) from None


def _depth(body: Any) -> int:
    """How deeply ``body`` nests (a scalar is 0), without recursion."""
    deepest, pending = 0, [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if deepest > MAX_BODY_DEPTH:
                break
            pending.extend((child, depth + 1) for child in value)
    return deepest


def _answer(payloads: Payloads) -> JSONResponse:
    return JSONResponse(json_format.MessageToDict(payloads))


def _codec(request: Request) -> EncryptionCodec:
    codec: EncryptionCodec = request.app.state.codec
    return codec


async def decode(request: Request, actor: OperatorDep) -> JSONResponse:
    payloads = await _payloads(request)
    codec = _codec(request)
    encrypted = sum(1 for p in payloads.payloads if codec.is_encrypted(p))
    namespace = request.headers.get("x-namespace", "-")
    try:
        decoded = await codec.decode(list(payloads.payloads))
    except PayloadKeyError as exc:
        audit.warning(
            "decode refused for %s (namespace %s): %d payloads: %s",
            actor.user,
            namespace,
            len(payloads.payloads),
            exc,
        )
        raise ProblemError(422, "Cannot decrypt", str(exc)) from None
    audit.info(
        "payloads decoded for %s (roles %s, namespace %s): %d payloads, %d encrypted",
        actor.user,
        actor.role_names,
        namespace,
        len(payloads.payloads),
        encrypted,
    )
    return _answer(Payloads(payloads=decoded))


async def encode(request: Request, actor: OperatorDep) -> JSONResponse:
    payloads = await _payloads(request)
    encoded = await _codec(request).encode(list(payloads.payloads))
    audit.info(
        "payloads encoded for %s (roles %s, namespace %s): %d payloads",
        actor.user,
        actor.role_names,
        request.headers.get("x-namespace", "-"),
        len(payloads.payloads),
    )
    return _answer(Payloads(payloads=encoded))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WIR codec server</title>
<style>body{{font-family:sans-serif;max-width:44em;margin:2em auto;line-height:1.4}}
textarea{{width:100%;height:7em}}code{{background:#eee;padding:0 .2em}}</style></head>
<body><h1>WIR codec server</h1>{body}</body></html>"""

_FORM = """<p>{message}</p>
<form method="post" action="/login">
<p><label>Operator token (<code>wir token --role operator --user &lt;you&gt;</code>)<br>
<textarea name="token" required autocomplete="off"></textarea></label></p>
<p><button type="submit">Sign in</button></p></form>"""

_SIGNED_IN = """<p>Signed in as <strong>{user}</strong> (operator) until this browser closes or
the token expires.</p>
<p>In the Temporal Web UI (<a href="{ui}">{ui}</a>), once per browser: open the
<em>Codec Server</em> settings (the glasses icon at the top), choose <em>Use my browser
setting and ignore Cluster-level setting</em>, enter <code>{endpoint}</code>, tick
<em>Include cross-origin credentials</em> and apply. Payloads then show decrypted; each
decode is audited.</p>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(body=body), status_code=status)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin == str(request.base_url).rstrip("/")


async def login_form() -> HTMLResponse:
    return _page(_FORM.format(message="Sign in to see WIR's payloads decrypted in the Web UI."))


async def login(request: Request) -> Response:
    if not _same_origin(request):
        raise ProblemError(403, "Origin not allowed", "Sign in from this server's own page.")
    form = parse_qs((await request.body()).decode(errors="replace"))
    token = (form.get("token") or [""])[0].strip()
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    try:
        actor = await _only_operators(await current_actor(request, credentials))
    except ProblemError as exc:
        audit.warning("codec sign-in refused: %s", exc.detail)
        message = html.escape(f"Not signed in: {exc.detail}")
        return _page(_FORM.format(message=message), status=exc.status)
    settings: WirSettings = request.app.state.auth_settings
    ui = f"http://{settings.host}:{settings.temporal_ui_port}"
    endpoint = str(request.base_url).rstrip("/")
    page = _SIGNED_IN.format(user=html.escape(actor.user), ui=ui, endpoint=endpoint)
    response = _page(page)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    audit.info("codec sign-in by %s (roles %s)", actor.user, actor.role_names)
    return response


async def logout(request: Request) -> Response:
    if not _same_origin(request):
        raise ProblemError(403, "Origin not allowed", "Sign out from this server's own page.")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def to_login() -> RedirectResponse:
    return RedirectResponse("/login")


async def health() -> dict[str, str]:
    return {"status": "ok", "service": "codec"}


def create_app(settings: WirSettings | None = None) -> FastAPI:
    settings = settings or WirSettings()
    app = FastAPI(
        title="WIR codec server",
        summary="Decrypts and encrypts Temporal payloads for operators (Temporal remote codec)",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(known_query_only)],
        telemetry=tracing.FASTAPI_TELEMETRY,
    )
    problems.install(app)
    openapi.install(app)
    install_docs(app, title="WIR codec server")
    install_auth(app, settings)
    install_audit_filter()
    app.state.codec = payload_codec(settings)
    app.state.codec_origins = allowed_origins(settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=app.state.codec_origins,
        allow_credentials=True,
        allow_methods=["POST"],
        allow_headers=["Content-Type", "X-Namespace", "Authorization", "Authorization-Extras"],
        max_age=600,
    )
    app.add_api_route("/decode", decode, methods=["POST"], openapi_extra=PAYLOADS_BODY)
    app.add_api_route("/encode", encode, methods=["POST"], openapi_extra=PAYLOADS_BODY)
    app.add_api_route("/login", login_form, methods=["GET"], include_in_schema=False)
    app.add_api_route("/login", login, methods=["POST"], include_in_schema=False)
    app.add_api_route("/logout", logout, methods=["POST"], include_in_schema=False)
    app.add_api_route("/", to_login, methods=["GET"], include_in_schema=False)
    app.add_api_route("/health", health, methods=["GET"])
    # outermost: also a chunked body (no Content-Length) stops at the limit, before sign-in
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES, read_seconds=settings.body_read_seconds
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # an address that keeps failing to sign in is refused before its body is read
    app.add_middleware(UnauthenticatedLimit, per_minute=settings.unauthenticated_per_minute)
    tracing.install_http(app, settings)  # a span for every request
    install_metrics(app, service="codec", token=settings.metrics_token)
    install_request_ids(app)
    return app


def main() -> None:
    import uvicorn

    settings = WirSettings()
    tracing.configure(settings, service="codec")  # flushed at exit by the SDK
    # the services' limits for slow clients and log lines (shared/serving.py, shared/logs.py)
    app = create_app(settings)
    config = server_config(app, settings, port=settings.codec_port, service="codec")
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
