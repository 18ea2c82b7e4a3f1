"""The answer that hands an attached file back: streamed from the store, offered for
saving (never shown inline, so a browser does not run what a file might hold) under its
kept name, with the RFC 5987 ``filename*`` for names beyond ASCII."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from starlette.responses import StreamingResponse

from shared.files.store import FileStore, MissingFile
from shared.problems import ProblemError


def content_disposition(file_name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the UTF-8
    ``filename*`` (``Sachbericht für 2026.pdf`` → ``Sachbericht fur 2026.pdf`` and
    ``UTF-8''Sachbericht%20f%C3%BCr%202026.pdf``)."""
    decomposed = unicodedata.normalize("NFKD", file_name)
    ascii_name = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
        for c in decomposed
        if not unicodedata.combining(c)
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


#: The download's answer in the OpenAPI document.
DOWNLOAD_OPENAPI: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as its detected media type, offered for saving",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def repeated_upload(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The upload's ``200`` in the OpenAPI document (its ``201`` is the route's own)."""
    return {200: {"model": model, "description": "The same file was attached here before"}}


async def file_response(
    *, store: FileStore, key: str, file_name: str, media_type: str, size: int
) -> StreamingResponse:
    """The stored file as a download; 404 if its bytes are gone (an erasure under way)."""
    try:
        chunks = await store.get(key)
    except MissingFile:
        raise ProblemError(404, "Not found", "The attachment's file is no longer stored.") from None
    headers = {
        "Content-Disposition": content_disposition(file_name),
        "Content-Length": str(size),
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(chunks, media_type=media_type, headers=headers)
