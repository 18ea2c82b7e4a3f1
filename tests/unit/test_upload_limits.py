"""Upload routes (shared/limits.py ``UploadRoute``, shared/files/upload.py) on a small app
served over real HTTP: their own body limit, their body handed on as it streams in (not
gathered in memory first), the file's limit kept while it streams, and malformed forms."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import APIRouter, FastAPI, Request

from shared import problems
from shared.files.store import LocalFileStore
from shared.files.upload import received_upload
from shared.limits import BodyLimitMiddleware, UploadRoute, upload_routes
from tests import files
from tests.servers import serve

BODY_LIMIT = 4096
UPLOAD_LIMIT = 64 * 1024
FILE_LIMIT = 32 * 1024
CHUNK = 8 * 1024


class Probe:
    """What the raw upload route saw."""

    def __init__(self) -> None:
        self.received = 0
        self.calls = 0
        self.first_chunk = asyncio.Event()


def _app(store: LocalFileStore, probe: Probe) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    uploads = APIRouter(route_class=UploadRoute)

    @uploads.post("/upload")
    async def upload(request: Request) -> dict[str, Any]:
        async with received_upload(
            request, staging=store.staging, max_bytes=FILE_LIMIT
        ) as received:
            return {
                "name": received.file_name,
                "type": received.media_type,
                "size": received.size,
                "sha256": received.sha256,
                "description": received.description,
            }

    @uploads.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        probe.calls += 1
        async for chunk in request.stream():
            probe.received += len(chunk)
            if chunk:
                probe.first_chunk.set()
        return {"received": probe.received}

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    app.include_router(uploads)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=BODY_LIMIT,
        read_seconds=5,
        upload_routes=upload_routes([uploads]),
        upload_max_bytes=UPLOAD_LIMIT,
    )
    return app


@pytest.fixture
def probe() -> Probe:
    return Probe()


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "attachments")


@pytest_asyncio.fixture
async def client(store: LocalFileStore, probe: Probe) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(_app(store, probe)) as url, httpx.AsyncClient(base_url=url) as http:
        yield http


async def _chunks(total: int, wait: asyncio.Event | None = None) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * CHUNK
        sent += CHUNK
        if wait is not None:
            await asyncio.wait_for(wait.wait(), timeout=5)


async def test_upload_routes_have_their_own_limit(client: httpx.AsyncClient) -> None:
    data = files.pdf() + b"%" * (3 * BODY_LIMIT)
    sent = await client.post("/upload", files={"file": ("Beleg.pdf", data, "application/pdf")})
    assert sent.status_code == 200, sent.text
    assert sent.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert sent.json()["size"] == len(data)
    # every other route keeps the general limit
    assert (await client.post("/echo", content=b"x" * (3 * BODY_LIMIT))).status_code == 413


async def test_the_body_streams_to_the_route(client: httpx.AsyncClient, probe: Probe) -> None:
    # the second chunk is sent only once the route has the first: a middleware that
    # gathered the body first would wait for ever
    answer = await client.post("/raw", content=_chunks(4 * CHUNK, wait=probe.first_chunk))
    assert answer.status_code == 200 and answer.json() == {"received": 4 * CHUNK}


async def test_a_body_past_the_upload_limit_stops_at_the_limit(
    client: httpx.AsyncClient, probe: Probe
) -> None:
    declared = await client.post("/raw", content=b"x" * (2 * UPLOAD_LIMIT))
    assert declared.status_code == 413 and probe.calls == 0  # refused before the route
    try:
        streamed = await client.post("/raw", content=_chunks(4 * UPLOAD_LIMIT))
    except httpx.HTTPError:
        pass  # the server may close the connection while the client still sends
    else:
        assert streamed.status_code == 413
        assert streamed.headers["content-type"] == "application/problem+json"
    assert probe.received <= UPLOAD_LIMIT + CHUNK


async def test_a_file_past_its_limit_is_refused_while_it_streams(
    client: httpx.AsyncClient, store: LocalFileStore
) -> None:
    data = files.pdf() + b"%" * FILE_LIMIT
    refused = await client.post("/upload", files={"file": ("gross.pdf", data, "application/pdf")})
    assert refused.status_code == 413
    assert "longer than 32768 bytes" in refused.json()["detail"]
    assert list(store.staging.iterdir()) == []  # the staged bytes had no name and are gone


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-',
            "multipart/form-data; boundary=b",
            400,
        ),  # never ends
        (
            b'--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
            422,
        ),
        (
            b'--b\r\nContent-Disposition: form-data; name="description"\r\n\r\nx\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
            422,
        ),  # no file
        (b"%PDF-1.4", "application/pdf", 415),
        (b"%PDF-1.4", "multipart/form-data", 415),  # no boundary
    ],
)
async def test_malformed_uploads_are_refused(
    client: httpx.AsyncClient, body: bytes, content_type: str, status: int
) -> None:
    answer = await client.post("/upload", content=body, headers={"Content-Type": content_type})
    assert answer.status_code == status, answer.text


async def test_two_files_in_one_upload_are_refused(client: httpx.AsyncClient) -> None:
    two = [
        ("file", ("a.pdf", files.pdf(), "application/pdf")),
        ("file", ("b.png", files.png(), "image/png")),
    ]
    answer = await client.post("/upload", files=two)
    assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == ["body", "file"]


async def test_the_description_is_kept_as_one_line(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/upload",
        files={"file": ("scan", files.png(), "image/png")},
        data={"description": "Belege\r\nMärz \u202eFoto"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["description"] == "Belege März Foto"
    assert answer.json()["name"] == "scan.png"
