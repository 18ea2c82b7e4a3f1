"""Request size limit for every WIR service: bodies longer than ``max_body_bytes`` get 413.

A declared ``Content-Length`` above the limit is refused before anything is read. A body
without one (chunked) is read up to the limit and handed on from memory; one byte more and
it is refused. With a declared length within the limit the server itself stops at that
length, so the body passes through untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problems import problem


class BodyLimitMiddleware:
    """Pure ASGI middleware (it must see the body as it streams in)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengths = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
        if lengths:
            declared = _declared_length(lengths)
            if declared is None:
                await _refuse(scope, receive, send, 400, "Invalid Content-Length header.")
            elif declared > self.max_bytes:
                await self._too_large(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        # No declared length: chunked, or no body at all. Read it up to the limit.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

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


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    title = "Request too large" if status == 413 else "Bad request"
    # The rest of the body is not read; the connection is closed after the answer.
    response = problem(status, title, detail, headers={"Connection": "close"})
    await response(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that first gives ``messages`` again, then asks the client."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
