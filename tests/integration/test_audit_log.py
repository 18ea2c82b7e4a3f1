"""The audit log: every command is recorded with who, role, what, which object, when and how
it ended; admins query it; each command is announced on NATS without its content; rows can
be neither changed nor deleted."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.auth import Role
from shared.bus import connect_nats
from shared.db import create_engine
from shared.settings import WirSettings
from tests import auth
from tests import grant_flows as flow
from tests.servers import eventually

ADMIN = auth.headers("ada.admin", Role.admin)


async def _entries(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/audit", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_commands_are_recorded_with_their_outcome(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    round_id = await flow.open_round(applications, title="Förderaufruf Audit-Test")
    intruder = f"cm.{uuid.uuid4().hex[:8]}"
    denied = await applications.post(
        f"/rounds/{round_id}/close", headers=auth.headers(intruder, Role.case_manager)
    )
    assert denied.status_code == 403
    anonymous = await applications.post(f"/rounds/{round_id}/close", headers={"Authorization": ""})
    assert anonymous.status_code == 401

    opened = await eventually(
        lambda: _entries(applications, object_id=round_id, action="open_round")
    )
    assert opened[0]["user"] == "petra.officer" and opened[0]["roles"] == ["programme_officer"]
    assert opened[0]["kind"] == "command" and opened[0]["outcome"] == "ok"
    assert opened[0]["method"] == "POST" and opened[0]["route"] == "/rounds/{round_id}/open"
    assert opened[0]["object_type"] == "round" and opened[0]["status"] == 200
    assert datetime.fromisoformat(opened[0]["at"]) >= started
    refused = await _entries(applications, user=intruder)
    assert [(e["action"], e["outcome"], e["status"]) for e in refused] == [
        ("close_round", "denied", 403)
    ]
    closes = await _entries(applications, object_id=round_id, action="close_round")
    assert {e["outcome"] for e in closes} == {"denied"}  # the 401 is only counted (below)
    # a filter by time and paging
    page = (
        await applications.get(
            "/audit", params={"since": started.isoformat(), "limit": 1}, headers=ADMIN
        )
    ).json()
    assert page["limit"] == 1 and len(page["items"]) == 1 and page["total"] >= 3

    # the announcement on NATS names the command, never its content
    nc = await connect_nats(settings, name="test-audit")
    try:
        js = nc.jetstream()

        async def announced() -> dict[str, Any] | None:
            try:
                msg = await js.get_last_msg(
                    settings.stream_name, f"wir.audit.command.applications.{opened[0]['id']}"
                )
            except NotFoundError:
                return None
            event: dict[str, Any] = json.loads(msg.data or b"{}")
            return event

        event = await eventually(announced)
    finally:
        await nc.close()
    assert event["type"] == "wir.audit.command" and event["id"] == opened[0]["id"]
    assert event["data"]["actor"] == "petra.officer"
    assert event["data"]["action"] == "open_round" and event["data"]["object_id"] == round_id
    assert "Audit-Test" not in json.dumps(event)


async def test_only_admins_read_the_audit_log(
    applications: httpx.AsyncClient, notifications: httpx.AsyncClient
) -> None:
    assert (await applications.get("/audit")).status_code == 403  # a programme officer
    assert (await notifications.get("/audit")).status_code == 403  # an operator
    assert (await notifications.get("/audit", headers=ADMIN)).status_code == 200


async def test_rows_cannot_be_changed_or_deleted(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    await flow.open_round(applications)
    engine = create_engine(settings.database_url_for("applications"))
    try:
        for statement in (
            "UPDATE applications_audit_log SET \"user\" = 'someone.else'",
            "DELETE FROM applications_audit_log",
            *(["TRUNCATE applications_audit_log"] if engine.dialect.name == "postgresql" else []),
        ):
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(text(statement))
        async with engine.connect() as conn:
            left = await conn.scalar(text("SELECT count(*) FROM applications_audit_log"))
        assert left and left > 0
    finally:
        await engine.dispose()


async def test_unauthenticated_requests_write_no_row_and_no_event_each(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    """Anyone can send requests without a token: they get no audit row and no
    ``wir.audit.command`` event each (they are counted per address and minute; the count
    rows: tests/unit/test_audit_middleware.py), whatever object id they name."""
    chosen = f"chosen-{uuid.uuid4().hex[:8]}"
    nc = await connect_nats(settings, name="test-audit-flood")
    try:
        js = nc.jetstream()
        sub = await js.subscribe(
            "wir.audit.command.applications.>",
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
        )
        for i in range(20):  # under the rate limit: every one reaches the service
            answer = await applications.post(
                f"/applications/{chosen}-{i}/withdraw", headers={"Authorization": ""}
            )
            assert answer.status_code == 401
        round_id = await flow.open_round(applications)  # a real command, announced
        seen: list[dict[str, Any]] = []
        while not any(e["data"]["object_id"] == round_id for e in seen):
            seen.append(json.loads((await sub.next_msg(timeout=10)).data))
        await sub.unsubscribe()
    finally:
        await nc.close()
    assert not [e for e in seen if e["data"]["outcome"] == "unauthenticated"]
    assert not [e for e in seen if chosen in str(e["data"]["object_id"])]
    for i in (0, 19):
        assert await _entries(applications, object_id=f"{chosen}-{i}") == []
    assert await _entries(applications, outcome="unauthenticated", kind="command") == []


async def test_the_stream_has_a_byte_limit(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    """A flood of announced commands cannot fill the disk: the stream keeps at most
    WIR_STREAM_MAX_BYTES (default 10 GiB), dropping its oldest events past it."""
    assert WirSettings().stream_max_bytes == 10 * 1024**3
    nc = await connect_nats(settings, name="test-audit-stream")
    try:
        info = await nc.jetstream().stream_info(settings.stream_name)
    finally:
        await nc.close()
    assert info.config.max_bytes == settings.stream_max_bytes == 10 * 1024**3


async def test_the_count_rows_of_unauthenticated_requests_can_be_filtered(
    applications: httpx.AsyncClient,
) -> None:
    """``kind=unauthenticated`` is a filter like ``command`` and ``read`` (the rows are
    written once their minute is over; here only the filter is checked)."""
    entries = await _entries(applications, kind="unauthenticated")
    assert all(e["kind"] == "unauthenticated" for e in entries)
