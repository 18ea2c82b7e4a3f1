"""FastAPI dependencies every service uses, as ``Annotated`` aliases.

``create_app`` stores the :class:`ServiceRuntime` on ``app.state.runtime``; routes ask
for what they need through these aliases.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from shared.runtime import ServiceRuntime
from shared.settings import WirSettings


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        yield session


def get_temporal(runtime: RuntimeDep) -> Client:
    return runtime.require_temporal()


def get_settings(runtime: RuntimeDep) -> WirSettings:
    return runtime.settings


# Closed when the route function returns, before the answer is sent: a session that lived
# until after the answer would hold its pool connection while the audit middleware asks for
# another, and at more requests in flight than pool connections every request would wait
# for a connection that only a waiting request can give back.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
TemporalDep = Annotated[Client, Depends(get_temporal)]
SettingsDep = Annotated[WirSettings, Depends(get_settings)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description="Repeat a command safely: the same key returns the first result",
    ),
]
