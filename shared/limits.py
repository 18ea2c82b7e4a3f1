"""Request limits for every WIR service.

:class:`BodyLimitMiddleware`: bodies longer than ``max_body_bytes`` get 413, and a body
that does not arrive within ``body_read_seconds`` gets 408. A declared ``Content-Length``
above the limit is refused before anything is read; any other body is read (up to the
limit, under the deadline) and handed on from memory, so a slow client holds no route.
Routes of the class :class:`UploadRoute` (file uploads) have their own, larger limit
(``upload_max_bytes``), and their body is handed on as it streams in (not gathered in
memory): the route writes it to disk and keeps the file's own limit; past the route's
limit or deadline reading the body raises the 413 or 408 :class:`ProblemError`.

:class:`UnauthenticatedLimit`: a client address (an IPv6 address by its /64) whose
requests were refused for want of a valid token more than ``unauthenticated_per_minute``
times gets 429 with ``Retry-After`` for every request without a valid token, until its
allowance refills (a token bucket: the rate per minute, refilled evenly).
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from fastapi.routing import APIRoute, APIRouter
from fastapi.security import HTTPAuthorizationCredentials
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import current_actor
from shared.problems import ProblemError, problem

_TITLES = {
    400: "Bad request",
    408: "Request timeout",
    413: "Request too large",
    429: "Too many requests",
}


#: What an upload's form may add around its file: boundaries, part headers, description.
UPLOAD_FORM_ALLOWANCE = 64 * 1024


_CLOSE = {"Connection": "close"}


class UploadRoute(APIRoute):
    """A route whose body is a file upload that the route reads as it streams in
    (``APIRouter(route_class=UploadRoute)``): :class:`BodyLimitMiddleware` gives it
    ``upload_max_bytes`` instead of ``max_bytes``."""


def upload_routes(routers: Iterable[APIRouter]) -> list[UploadRoute]:
    """The upload routes of ``routers`` (as they declare them: included without a prefix).
    The middleware matches requests against these before routing (FastAPI's own routing
    resolves included routers only when it handles the request)."""
    return [
        route for router in routers for route in router.routes if isinstance(route, UploadRoute)
    ]


class BodyLimitMiddleware:
    """Pure ASGI middleware (it must see the body as it streams in)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        read_seconds: float | None = None,
        upload_routes: Sequence[UploadRoute] = (),
        upload_max_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_seconds = read_seconds
        self.upload_routes = list(upload_routes)
        self.upload_max_bytes = upload_max_bytes

    def _is_upload(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] == Match.FULL for route in self.upload_routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = self.upload_max_bytes is not None and self._is_upload(scope)
        limit = self.upload_max_bytes if upload and self.upload_max_bytes else self.max_bytes
        lengths = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
        if lengths:
            declared = _declared_length(lengths)
            if declared is None:
                await _refuse(scope, receive, send, 400, "Invalid Content-Length header.")
                return
            if declared > limit:
                detail = f"The request body is longer than {limit} bytes."
                await _refuse(scope, receive, send, 413, detail)
                return
        if upload:
            await self.app(scope, self._streamed(receive, limit), send)
            return
        try:
            async with asyncio.timeout(self.read_seconds):
                messages = await self._read(receive)
        except TimeoutError:
            detail = f"The request body did not arrive within {self.read_seconds:g} seconds."
            await _refuse(scope, receive, send, 408, detail)
            return
        if messages is None:
            await self._too_large(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _read(self, receive: Receive) -> list[Message] | None:
        """The whole body as one message (None: longer than the limit), or the message
        that ended it early (the client went away)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return [message]
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

    def _streamed(self, receive: Receive, limit: int) -> Receive:
        """``receive`` counting the body against ``limit`` and its deadline until the body
        is complete (after that, e.g. waiting for a disconnect, it is ``receive`` itself)."""
        start = asyncio.get_running_loop().time()
        deadline = None if self.read_seconds is None else start + self.read_seconds
        size = 0
        complete = False

        async def counted() -> Message:
            nonlocal size, complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                detail = f"The request body did not arrive within {self.read_seconds:g} seconds."
                raise ProblemError(408, _TITLES[408], detail, headers=_CLOSE) from None
            if message["type"] != "http.request":
                complete = True
                return message
            size += len(message.get("body", b""))
            if size > limit:
                detail = f"The request body is longer than {limit} bytes."
                raise ProblemError(413, _TITLES[413], detail, headers=_CLOSE)
            complete = not message.get("more_body", False)
            return message

        return counted

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"The request body is longer than {self.max_bytes} bytes."
        await _refuse(scope, receive, send, 413, detail)


def _declared_length(values: list[bytes]) -> int | None:
    """The one Content-Length all headers agree on, or None if they are not a number."""
    try:
        found = {int(value.decode("latin-1").strip()) for value in values}
    except ValueError:
        return None
    if len(found) != 1:
        return None
    length = found.pop()
    return length if length >= 0 else None


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
) -> None:
    # The rest of the body is not read; the connection is closed after the answer.
    headers = {"Connection": "close", **(headers or {})}
    response = problem(status, _TITLES[status], detail, headers=headers)
    await response(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that first gives ``messages`` again, then asks the client."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


def client_key(scope: Scope) -> str:
    """The address a request came from, an IPv6 address by its /64 (one subscriber's
    share), for counting and limiting; ``unknown`` without one."""
    client = scope.get("client")
    host = client[0] if client else None
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return str(host)[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class UnauthenticatedLimit:
    """Pure ASGI middleware: 429 for unauthenticated requests from an address that used up
    its allowance of refused (401) requests. Requests with a valid token always pass, as
    does ``GET /health``. ``refused`` is told of each 429 (the audit log counts them)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        refused: Callable[[str, int], None] | None = None,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.refused = refused
        self.max_clients = max_clients
        self.clock = clock
        # address -> (allowance left, when it was last counted), least recently used first
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == "/health":
            await self.app(scope, receive, send)
            return
        source = client_key(scope)
        left = self._left(source)
        if left < 1 and not await _authenticated(scope):
            wait = max(1, math.ceil((1 - left) / self.rate))
            if self.refused is not None:
                self.refused(source, 429)
            detail = (
                "Too many requests without a valid access token from this address; "
                f"try again in {wait} s."
            )
            await _refuse(scope, receive, send, 429, detail, headers={"Retry-After": str(wait)})
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self._spend(source)
            await send(message)

        await self.app(scope, receive, counted)

    def _left(self, source: str) -> float:
        bucket = self._buckets.get(source)
        if bucket is None:
            return self.capacity
        left, at = bucket
        return min(self.capacity, left + (self.clock() - at) * self.rate)

    def _spend(self, source: str) -> None:
        self._buckets[source] = (self._left(source) - 1, self.clock())
        self._buckets.move_to_end(source)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)


async def _authenticated(scope: Scope) -> bool:
    """Whether the request carries a token the service accepts (checked as its routes do)."""
    request = Request(scope)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
    try:
        await current_actor(request, credentials)
    except ProblemError:
        return False
    return True
