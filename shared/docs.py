"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) that work without internet.

FastAPI's own pages load their scripts and styles from a CDN and start Swagger UI with an
inline script: on a machine without internet, or under a policy that allows no inline
script, they stay blank. These pages load everything from the service itself: the assets
of the installed ``fastapi_offline`` package under ``/docs/static/``, and Swagger UI's
start-up as a script file of its own, so the pages' policy (shared/headers.py) needs no
``'unsafe-inline'`` for scripts and names no other host.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from shared.problems import ProblemError

STATIC = "/docs/static"

_SWAGGER_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
"""

#: name under /docs/static -> media type; nothing else is served from there
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
    "swagger-init.js": "text/javascript; charset=utf-8",
}

_SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" href="{static}/favicon.png"></head>
<body><div id="swagger-ui"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script src="{static}/swagger-init.js"></script></body></html>
"""

_REDOC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{static}/favicon.png">
<style>body{{margin:0;padding:0}}</style></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="{static}/redoc.standalone.js"></script></body></html>
"""


@cache
def asset(name: str) -> bytes:
    if name == "swagger-init.js":
        return _SWAGGER_INIT.encode()
    return (resources.files("fastapi_offline") / "static" / name).read_bytes()


def install_docs(app: FastAPI, *, title: str) -> None:
    """Add ``/docs``, ``/redoc`` and their assets to ``app`` (created with
    ``docs_url=None, redoc_url=None``); none of them is in the OpenAPI document."""
    escaped = html.escape(title)

    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_SWAGGER_PAGE.format(title=f"{escaped} - Swagger UI", static=STATIC))

    async def redoc() -> HTMLResponse:
        return HTMLResponse(_REDOC_PAGE.format(title=f"{escaped} - ReDoc", static=STATIC))

    async def static(name: str) -> Response:
        if name not in ASSETS:
            raise ProblemError(404, "Not found", f"/docs/static/{name} does not exist")
        return Response(
            asset(name),
            media_type=ASSETS[name],
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.add_api_route("/docs", swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route("/redoc", redoc, methods=["GET"], include_in_schema=False)
    app.add_api_route(STATIC + "/{name}", static, methods=["GET"], include_in_schema=False)
