"""How the routes hand out letters: HTML or PDF by the request's ``Accept`` header, and
the PDF as a download named after the letter and its file number."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Response

from services.applications.office.letter import Letter
from services.applications.office.letter_pdf import render_pdf

#: A letter that does not exist yet (before the approval, no reclaim): a problem (409).
NOT_ISSUED: dict[str, Any] = {"description": "The letter has not been issued (yet)"}
HTML_OR_PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/html": {}, "application/pdf": {}},
        "description": "HTML, or PDF/A when the request accepts application/pdf first",
    },
    409: NOT_ISSUED,
}
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "PDF/A-2U document"},
    409: NOT_ISSUED,
}


def wants_pdf(accept: str | None) -> bool:
    """Whether ``Accept`` ranks application/pdf above text/html (HTML on a tie)."""
    ranks: dict[str, float] = {}
    for part in (accept or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranks[media.lower()] = max(quality, ranks.get(media.lower(), 0.0))
    html = max(ranks.get("text/html", 0.0), ranks.get("text/*", 0.0), ranks.get("*/*", 0.0))
    return ranks.get("application/pdf", 0.0) > html


async def pdf_response(letter: Letter) -> Response:
    """The PDF as an attachment, ``Zuwendungsbescheid-<file number>.pdf``; rendered in a
    thread (about 0.1 s of CPU) so other requests go on meanwhile."""
    filename = f"{letter.title}-{letter.file_number}.pdf".replace("/", "-")
    return Response(
        content=await asyncio.to_thread(render_pdf, letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(filename)}"'},
    )


def _ascii(filename: str) -> str:
    """A filename for the header's quoted string: umlauts spelled out, nothing else odd."""
    name = filename
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ü", "Ue"), ("ß", "ss")):
        name = name.replace(umlaut, spelled)
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
