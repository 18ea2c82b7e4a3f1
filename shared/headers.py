"""Security headers on every answer of every WIR service and of the codec server.

Every answer gets ``X-Content-Type-Options: nosniff``: a browser then never takes a JSON or
CSV answer holding user text for HTML or script. An HTML answer (the Bescheid, the codec
server's sign-in page, the API docs) also gets:

- ``Content-Security-Policy``: nothing loads but the page's own inline styles; no script,
  no frame, no plugin, forms post only to the same origin, and no other site may frame the
  page (``frame-ancestors 'none'``). Text the page shows is escaped already; the policy is
  the second line should an escape ever be missed.
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``Referrer-Policy: no-referrer``: a link out of a Bescheid does not tell the other site
  which application it was opened from.

The API docs (``/docs``, ``/redoc``, shared/docs.py) run Swagger UI and ReDoc from the
service's own ``/docs/static/``: their policy allows scripts from the same origin only (no
inline script, no other host), the inline styles both libraries set, and ReDoc's search
worker.
A header the application set itself is left as it is.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc"})

ALWAYS = {"x-content-type-options": "nosniff"}
HTML = {"x-frame-options": "DENY", "referrer-policy": "no-referrer"}


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: adds the headers to the response start, leaves the body alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope.get("path") in DOCS_PATHS else HTML_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                added = dict(ALWAYS)
                if headers.get("content-type", "").lower().startswith("text/html"):
                    added |= HTML | {"content-security-policy": policy}
                for name, value in added.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
