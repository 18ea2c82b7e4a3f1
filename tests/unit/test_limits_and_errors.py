"""Body size limit (shared/limits.py) and error answers without internals (shared/problems.py),
on a small app served over real HTTP by uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from sqlalchemy.exc import IntegrityError, OperationalError

from shared import problems
from shared.limits import BodyLimitMiddleware, _declared_length
from tests.servers import serve

LIMIT = 4096
SQL = "INSERT INTO persons (given_name, birth_date) VALUES (?, ?)"
PERSON = ("Amina", "1994-05-17")


def _app() -> FastAPI:
    app = FastAPI()
    problems.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError(f"cannot parse {SQL} with {PERSON}")

    @app.get("/integrity")
    async def integrity() -> None:
        raise IntegrityError(SQL, PERSON, Exception("UNIQUE constraint failed: persons.id"))

    @app.get("/locked")
    async def locked() -> None:
        raise OperationalError(SQL, PERSON, Exception("database is locked"))

    @app.get("/runtime")
    async def runtime() -> None:
        raise RuntimeError(f"internal state {PERSON}")

    return app


@pytest_asyncio.fixture(loop_scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(_app()) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        yield http


async def _chunks(total: int, size: int = 1000) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"x" * part


async def test_bodies_within_the_limit_pass_whole(client: httpx.AsyncClient) -> None:
    assert (await client.post("/echo", content=b"x" * LIMIT)).json() == {"received": LIMIT}
    chunked = await client.post("/echo", content=_chunks(LIMIT))
    assert chunked.json() == {"received": LIMIT}
    assert (await client.post("/echo")).json() == {"received": 0}


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_longer_body_is_refused_with_413(client: httpx.AsyncClient, chunked: bool) -> None:
    body = _chunks(LIMIT + 1) if chunked else b"x" * (LIMIT + 1)
    response = await client.post("/echo", content=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    assert response.json()["title"] == "Request too large"
    assert "received" not in response.text


def test_content_length_values() -> None:
    assert _declared_length([b"12"]) == 12
    assert _declared_length([b"12", b"12"]) == 12
    assert _declared_length([b"12", b"13"]) is None
    assert _declared_length([b"-1"]) is None
    assert _declared_length([b"twelve"]) is None


def _no_internals(text: str) -> None:
    for leaked in ("INSERT", "persons", "Amina", "1994", "Traceback", "UNIQUE", "locked"):
        assert leaked not in text, text


@pytest.mark.parametrize(
    ("path", "status"),
    [("/boom", 500), ("/runtime", 500), ("/integrity", 409), ("/locked", 503)],
)
async def test_errors_show_no_internals_but_a_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, path: str, status: int
) -> None:
    with caplog.at_level(logging.WARNING, logger="shared.problems"):
        response = await client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    _no_internals(response.text)
    body = response.json()
    assert body["status"] == status and body["request_id"] == response.headers["x-request-id"]
    # the server's log has the exception under the same id
    logged = [r for r in caplog.records if body["request_id"] in r.getMessage()]
    assert logged and logged[0].exc_info is not None
