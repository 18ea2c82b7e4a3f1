"""Body size limit (shared/limits.py) and error answers without internals (shared/problems.py),
on a small app served over real HTTP by uvicorn; the rate limit of unauthenticated requests
per client address (shared/limits.py) over ASGI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from sqlalchemy.exc import IntegrityError, OperationalError

from shared import problems
from shared.auth import ActorDep, Role, install_auth
from shared.limits import BodyLimitMiddleware, UnauthenticatedLimit, _declared_length, client_key
from shared.settings import WirSettings
from tests.auth import headers, key_file
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


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _guarded_app(clock: Ticks, refused: list[tuple[str, int]]) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    install_auth(app, WirSettings(auth_key_file=key_file(), data_dir=key_file().parent))
    app.add_middleware(
        UnauthenticatedLimit,
        per_minute=5,
        clock=clock,
        refused=lambda source, status: refused.append((source, status)),
    )

    @app.post("/things/{thing_id}/withdraw")
    async def withdraw(thing_id: str, actor: ActorDep) -> dict[str, str]:
        return {"by": actor.user}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def test_unauthenticated_requests_are_rate_limited_per_address() -> None:
    clock, refused = Ticks(), list[tuple[str, int]]()
    app = _guarded_app(clock, refused)

    def client(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 4711))
        return httpx.AsyncClient(transport=transport, base_url="http://probe")

    signed_in = headers("petra.officer", Role.programme_officer)
    async with client("203.0.113.9") as attacker, client("198.51.100.1") as neighbour:
        for _ in range(5):
            assert (await attacker.post("/things/t/withdraw")).status_code == 401
        limited = await attacker.post("/things/t/withdraw", headers={"Authorization": "Bearer x"})
        assert limited.status_code == 429
        assert limited.headers["content-type"] == problems.MEDIA_TYPE
        assert limited.headers["retry-after"] == "12"  # 5 a minute: one every 12 s
        assert limited.json()["title"] == "Too many requests"
        # a valid token from the same address still passes; so do other addresses
        ok = await attacker.post("/things/t/withdraw", headers=signed_in)
        assert ok.status_code == 200 and ok.json() == {"by": "petra.officer"}
        assert (await neighbour.post("/things/t/withdraw")).status_code == 401
        assert (await attacker.get("/health")).status_code == 200
        clock.now += 12  # one request's allowance came back
        assert (await attacker.post("/things/t/withdraw")).status_code == 401
        assert (await attacker.post("/things/t/withdraw")).status_code == 429
    assert refused == [("203.0.113.9", 429), ("203.0.113.9", 429)]


def test_client_addresses_are_keyed_ipv6_by_their_64() -> None:
    def key(host: str | None) -> str:
        return client_key({"type": "http", "client": (host, 1) if host else None})

    assert key("203.0.113.9") == "203.0.113.9"
    assert key("2001:db8:1:2:aaaa::1") == key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert key("::ffff:203.0.113.9") == "203.0.113.9"
    assert key(None) == "unknown"
