"""A service instance of its own for the attachment tests, with an upload limit small enough
to cross in a test; its data folder (where the files go) is the session's, shared with every
other instance (any of them may erase a case)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from shared.settings import WirSettings
from tests.servers import serve

#: The upload limit of the attachment tests' service instances: above the general body
#: limit (max_body_bytes, 1 MiB), which upload routes do not have.
MAX_BYTES = 2 * 1024 * 1024


def files_settings(settings: WirSettings) -> WirSettings:
    return settings.model_copy(update={"attachment_max_bytes": MAX_BYTES})


@asynccontextmanager
async def served(app: FastAPI, headers: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serve(app) as url,
        httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client,
    ):
        yield client


def upload(
    data: bytes, name: str = "Nachweis.pdf", media_type: str = "application/pdf", **fields: Any
) -> dict[str, Any]:
    """httpx arguments of a multipart upload with the file field ``file``."""
    return {"files": {"file": (name, data, media_type)}, "data": fields or None}


def stored_files(root: Path) -> set[Path]:
    """The files a store holds (not its staging folder)."""
    return {p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts}
