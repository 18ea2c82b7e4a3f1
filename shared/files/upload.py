"""An attachment upload: one ``multipart/form-data`` request with a ``file`` field and an
optional ``description``, as a plain browser form sends it.

The body is parsed as it streams in (python-multipart's push parser); the file's bytes go
straight into an unlinked temporary file in the store's staging folder (no name on disk, so
nothing stays behind after a crash), hashed and counted on the way. Past ``max_bytes`` the
upload stops with 413 before another byte is read. Then the content decides the type
(:mod:`shared.files.content`): 415 for a type WIR does not take or one that disagrees with
the declared type. A missing or empty file, an unknown or repeated field: 422.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from shared.files.content import ContentRefused, agrees, detect
from shared.files.names import safe_file_name
from shared.problems import ProblemError

#: Longest description, in characters.
DESCRIPTION_MAX = 500
_FIELDS = ("file", "description")


@dataclass(frozen=True)
class Upload:
    """A received file: its bytes (``file``, open until the upload's context ends) and
    what is known of them."""

    file: BinaryIO
    file_name: str
    media_type: str
    size: int
    sha256: str
    description: str | None


def _invalid(field: str, message: str) -> ProblemError:
    errors = [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    return ProblemError(422, "Invalid request", "The upload has invalid fields.", errors=errors)


def _malformed() -> ProblemError:
    return ProblemError(400, "Bad request", "The multipart/form-data body is malformed.")


def _unsupported(detail: str) -> ProblemError:
    return ProblemError(415, "Unsupported media type", detail)


class _Form:
    """The parser's callbacks: the file's bytes into ``file``, the description kept.
    Callbacks cannot raise through the parser, so a problem is kept in ``error``."""

    def __init__(self, file: BinaryIO, max_bytes: int) -> None:
        self.file = file
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0
        self.file_name: str | None = None
        self.declared_type: str | None = None
        self.description: bytearray | None = None
        self.error: ProblemError | None = None
        self.complete = False
        self._seen: set[str] = set()
        self._part: str | None = None
        self._headers: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._value = bytearray()

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_end": self._end,
        }

    @property
    def has_file(self) -> bool:
        return "file" in self._seen

    def _end(self) -> None:
        self.complete = True

    def _part_begin(self) -> None:
        self._headers, self._part = {}, None

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        name = _text(options.get(b"name", b""))
        if self.error is not None:
            return
        if name not in _FIELDS:
            self.error = _invalid(name or "?", "unknown field; send 'file' and 'description'")
        elif name in self._seen:
            self.error = _invalid(name, "the field is sent more than once")
        else:
            self._seen.add(name)
            self._part = name
            if name == "file":
                self.file_name = _text(options.get(b"filename", b""))
                self.declared_type = _text(self._headers.get(b"content-type", b""))
            else:
                self.description = bytearray()

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self._part == "file":
            self.size += end - start
            if self.size > self.max_bytes:
                detail = f"The file is longer than {self.max_bytes} bytes."
                self.error = ProblemError(413, "Request too large", detail)
                return
            chunk = data[start:end]
            self.digest.update(chunk)
            self.file.write(chunk)
        elif self._part == "description" and self.description is not None:
            self.description.extend(data[start:end])
            if len(self.description) > 4 * DESCRIPTION_MAX:
                self.error = _invalid("description", f"at most {DESCRIPTION_MAX} characters")


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _boundary(request: Request) -> bytes:
    media_type, options = parse_options_header(request.headers.get("content-type"))
    if media_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise _unsupported("Send the file as multipart/form-data (a field named 'file').")
    return options[b"boundary"]


@asynccontextmanager
async def received_upload(
    request: Request, *, staging: Path, max_bytes: int
) -> AsyncIterator[Upload]:
    """Read the request's upload; its bytes stay readable until the context ends."""
    boundary = _boundary(request)
    with tempfile.TemporaryFile(dir=staging) as file:
        form = _Form(file, max_bytes)
        parser = MultipartParser(boundary, form.callbacks())
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                if form.error is not None:
                    raise form.error
            parser.finalize()
        except MultipartParseError:
            raise _malformed() from None
        if form.error is not None:
            raise form.error
        if not form.complete:
            raise _malformed()
        if not form.has_file:
            raise _invalid("file", "a file is required")
        if form.size == 0:
            raise _invalid("file", "the file is empty")
        description = _description(form.description)
        file.flush()
        try:
            media_type = await asyncio.to_thread(detect, file)
        except ContentRefused as exc:
            raise _unsupported(str(exc)) from None
        if not agrees(form.declared_type, media_type):
            raise _unsupported(
                f"The file was sent as {(form.declared_type or '')[:100]!r} "
                f"but its content is {media_type}."
            )
        yield Upload(
            file=file,
            file_name=safe_file_name(form.file_name, media_type),
            media_type=media_type,
            size=form.size,
            sha256=form.digest.hexdigest(),
            description=description,
        )


def _description(raw: bytearray | None) -> str | None:
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid("description", "not UTF-8 text") from None
    visible = "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    text = " ".join(visible.split())
    if len(text) > DESCRIPTION_MAX:
        raise _invalid("description", f"at most {DESCRIPTION_MAX} characters")
    return text or None


#: The upload's request body and answers in the OpenAPI document (the route reads the body
#: itself, so FastAPI cannot describe it).
UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, PNG, JPEG or office document (OOXML, ODF)",
                        },
                        "description": {"type": "string", "maxLength": DESCRIPTION_MAX},
                    },
                }
            }
        },
    },
    "responses": {
        "413": {"description": "The file is longer than WIR_ATTACHMENT_MAX_BYTES"},
        "415": {"description": "Not an accepted type, or not the type it was declared as"},
    },
}
