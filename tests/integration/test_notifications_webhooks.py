"""The dispatcher against a real webhook receiver on loopback and a real SQLite file:
deactivated webhooks are never called, redirects are never followed, and the address
guard runs before every call (names resolve through an injected resolver, to loopback:
no traffic leaves the machine)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest_asyncio
from fastapi import FastAPI, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from services.notifications.base import Base
from services.notifications.deliveries.channels import Channels
from services.notifications.deliveries.dispatch import Dispatcher
from services.notifications.deliveries.models import Delivery
from services.notifications.recipients import service as recipients
from services.notifications.recipients.models import Webhook
from services.notifications.settings import NotificationSettings
from shared.bus import EventBus, connect_nats
from shared.settings import WirSettings
from tests.servers import serve


@dataclass
class Receiver:
    """Records every call; ``/hooks/moved`` redirects to ``/hooks/inside``."""

    calls: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks/{name}")
        async def hook(name: str, request: Request) -> Response:
            self.calls.append(name)
            if name == "moved":
                return Response(status_code=307, headers={"Location": "/hooks/inside"})
            return Response(status_code=204)

        return app


@dataclass
class Rig:
    sessions: async_sessionmaker[AsyncSession]
    receiver: Receiver
    url: str
    dispatcher: Dispatcher
    guarded: Dispatcher  # private networks not allowed; "hooks.example.test" → loopback


@pytest_asyncio.fixture(loop_scope="session")
async def rig(settings: WirSettings, tmp_path: Path) -> AsyncIterator[Rig]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'notifications.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    base = settings.model_dump(exclude={"database_url"})
    open_config = NotificationSettings(**base, webhook_allow_private_networks=True)
    guarded_config = NotificationSettings(**base, webhook_allow_private_networks=False)

    async def to_loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    receiver = Receiver()
    nc = await connect_nats(settings, name="test-webhooks")
    bus = EventBus.from_client(nc, settings)
    async with serve(receiver.app()) as url, httpx.AsyncClient() as http:
        yield Rig(
            sessions=sessions,
            receiver=receiver,
            url=url,
            dispatcher=Dispatcher(
                sessions=sessions,
                settings=open_config,
                channels=Channels(open_config, http),
                bus=bus,
            ),
            guarded=Dispatcher(
                sessions=sessions,
                settings=guarded_config,
                channels=Channels(guarded_config, http, resolver=to_loopback),
                bus=bus,
            ),
        )
    await nc.drain()
    await engine.dispose()


async def _hook(rig: Rig, url: str, *, active: bool = True) -> str:
    now = datetime.now(UTC)
    hook_id = str(uuid.uuid4())
    async with rig.sessions() as session:
        session.add(
            Webhook(
                id=hook_id,
                url=url,
                event_types=[],
                secret="s" * 32,
                active=active,
                created_at=now,
                created_by="olaf",
            )
        )
        for _ in range(2):
            session.add(
                Delivery(
                    id=str(uuid.uuid4()),
                    event_id=str(uuid.uuid4()),
                    event_type="wir.application.approved",
                    entity_id="app-1",
                    channel="webhook",
                    target_id=hook_id,
                    recipient="webhook",
                    mandatory=False,
                    language="de",
                    subject="wir.application.approved",
                    body="{}",
                    status="pending",
                    attempts=0,
                    resends=0,
                    created_at=now,
                    next_attempt_at=now,
                    give_up_at=now + timedelta(days=1),
                )
            )
        await session.commit()
    return hook_id


async def _deliveries(rig: Rig, hook_id: str) -> list[Delivery]:
    async with rig.sessions() as session:
        return list(await session.scalars(select(Delivery).where(Delivery.target_id == hook_id)))


async def test_deactivating_a_webhook_cancels_its_pending_deliveries(rig: Rig) -> None:
    hook_id = await _hook(rig, f"{rig.url}/hooks/active")
    async with rig.sessions() as session:
        await recipients.deactivate_webhook(session=session, webhook_id=hook_id)
        await session.commit()
    await rig.dispatcher.dispatch_due()
    deliveries = await _deliveries(rig, hook_id)
    assert [(d.status, d.last_error) for d in deliveries] == [
        ("cancelled", "webhook deactivated")
    ] * 2
    assert all(d.next_attempt_at is None for d in deliveries)
    assert "active" not in rig.receiver.calls


async def test_the_dispatcher_never_calls_a_deactivated_webhook(rig: Rig) -> None:
    # pending deliveries of an inactive webhook (e.g. re-sent after it was deactivated)
    hook_id = await _hook(rig, f"{rig.url}/hooks/inactive", active=False)
    await rig.dispatcher.dispatch_due()
    deliveries = await _deliveries(rig, hook_id)
    assert {(d.status, d.last_error, d.next_attempt_at) for d in deliveries} == {
        ("cancelled", "webhook deactivated", None)
    }
    assert "inactive" not in rig.receiver.calls


async def test_a_redirect_is_not_followed(rig: Rig) -> None:
    hook_id = await _hook(rig, f"{rig.url}/hooks/moved")
    await rig.dispatcher.dispatch_due()
    deliveries = await _deliveries(rig, hook_id)
    assert {(d.status, d.last_error) for d in deliveries} == {
        ("pending", "HTTP 307: redirects are not followed")
    }
    assert rig.receiver.calls.count("moved") == 2 and "inside" not in rig.receiver.calls


async def test_the_guard_runs_before_every_call(rig: Rig) -> None:
    port = rig.url.rsplit(":", 1)[1]
    # a literal that embeds 127.0.0.1 (stored before the guard knew the form), and a name
    # that resolves to loopback now: refused before any connection is made
    literal = await _hook(rig, f"http://[::ffff:0:7f00:1]:{port}/hooks/embedded")
    named = await _hook(rig, f"http://hooks.example.test:{port}/hooks/named")
    await rig.guarded.dispatch_due()
    for hook_id in (literal, named):
        for delivery in await _deliveries(rig, hook_id):
            assert delivery.status == "pending" and delivery.attempts == 1
            assert (delivery.last_error or "").startswith("refused: ")
    assert not {"embedded", "named"} & set(rig.receiver.calls)
