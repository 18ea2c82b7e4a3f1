"""Log lines of every WIR process: one JSON object per line (or plain text), with the
request they belong to.

Each line (``WIR_LOG_FORMAT=json``, the default) holds ``time`` (UTC, ISO 8601), ``level``,
``logger``, ``message`` and ``service``; within an HTTP request also ``request_id`` and,
once the caller is known, ``user_id`` (the login id, never a name); while an OpenTelemetry
span is current ``trace_id`` and ``span_id``; after an error ``exception`` (the traceback).
``WIR_LOG_FORMAT=text`` gives the same fields as plain text, for reading on a console.

:class:`RequestIdMiddleware` takes the caller's ``X-Request-Id`` (up to 64 letters, digits,
``.``, ``_``, ``-``; anything else is replaced) or makes one, and returns it on the answer.
Query strings never reach a line: uvicorn's access log leaves them out
(shared/serving.py), and the fields here name paths nowhere.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace

from shared.settings import WirSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = "X-Request-Id"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TEXT_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s%(context)s"


@dataclass(frozen=True)
class RequestContext:
    """The request a log line belongs to; its user is read from the request's state when
    the line is written (authentication sets it after the request started)."""

    request_id: str
    state: MutableMapping[str, Any]

    @property
    def user_id(self) -> str | None:
        actor = self.state.get("actor")  # the services (shared/auth.py)
        if actor is not None:
            return str(actor.user)
        web = self.state.get("web")  # the web front end's session (services/web)
        user = getattr(web, "user", None)
        return str(user) if user else None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "wir_request", default=None
)


def current_request_id() -> str | None:
    """The id of the HTTP request being answered, if any."""
    context = _current.get()
    return context.request_id if context is not None else None


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's request id when it is a plain token, else a new one."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            text = value.decode("latin-1")
            if _VALID_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each HTTP request its id for the log lines written while it is answered, and
    names it in the answer's ``X-Request-Id`` (unless the answer has one already)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(list(scope.get("headers", [])))
        state = scope.setdefault("state", {})
        token = _current.set(RequestContext(request_id, state))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"x-request-id" for name, _ in headers):
                    headers.append((b"x-request-id", request_id.encode()))
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current.reset(token)


def install_request_ids(app: Any) -> None:
    """Give a FastAPI/Starlette ``app`` request ids (call after its other middlewares)."""
    app.add_middleware(RequestIdMiddleware)


def context_fields() -> dict[str, str]:
    """The request's and the current span's fields for a log line."""
    fields: dict[str, str] = {}
    request = _current.get()
    if request is not None:
        fields["request_id"] = request.request_id
        user = request.user_id
        if user:
            fields["user_id"] = user
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        fields["trace_id"] = format(span.trace_id, "032x")
        fields["span_id"] = format(span.span_id, "016x")
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "service": self.service,
            **context_fields(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain text lines of before, with the request's and span's fields at the end."""

    def __init__(self, service: str) -> None:
        super().__init__(TEXT_FORMAT)
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        fields = context_fields()
        record.context = "".join(f" {k}={v}" for k, v in fields.items())
        return super().format(record)


def formatter(settings: WirSettings, *, service: str) -> logging.Formatter:
    if settings.log_format == "text":
        return TextFormatter(service)
    return JsonFormatter(service)


def configure_logging(settings: WirSettings, *, service: str, level: int = logging.INFO) -> None:
    """Send every logger's records (uvicorn's too, which propagate to the root when uvicorn
    is given ``log_config=None``) to stderr in the format of ``WIR_LOG_FORMAT``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(settings, service=service))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers (if it configured any before) would print a second line
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
