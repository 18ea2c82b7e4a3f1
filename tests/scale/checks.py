"""What the scale tests read to judge a replicated run: the events the stream holds (by an
independent subscriber, as admin), the read models' history tables, the webhook calls and
e-mails that arrived, and the exactly-once verdict over them."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from shared.contracts.envelope import CloudEvent
from tests.faults.flows import stored_events
from tests.integration.test_notifications_delivery import Endpoint, Mailbox

# the scale tests take these from here, beside the checks of this module
__all__ = ["Endpoint", "Mailbox", "of_entity", "stored_events"]


def of_entity(events: list[CloudEvent], entity_id: str) -> list[CloudEvent]:
    """The entity's events; fails if one was stored twice or its sequence has a gap."""
    mine = [e for e in events if e.subject == entity_id]
    twice = [i for i, n in Counter(e.id for e in mine).items() if n > 1]
    assert not twice, f"{entity_id}: stored twice: {twice}"
    seqs = sorted(e.payload().seq for e in mine)
    assert seqs == list(range(1, len(mine) + 1)), f"{entity_id}: seq {seqs}"
    return mine


async def query(database_url: str, sql: str, *args: Any) -> list[Any]:
    parsed = make_url(database_url)
    connection = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, database=parsed.database,
    )  # fmt: skip
    try:
        return list(await connection.fetch(sql, *args))
    finally:
        await connection.close()


async def history_ids(database_url: str, table: str, key: str, entity_id: str) -> list[str]:
    """The event ids a read model's history table holds for one entity (``event_id`` is
    its primary key, so a list with a repeat cannot happen; a missing one can)."""
    rows = await query(database_url, f"SELECT event_id FROM {table} WHERE {key} = $1", entity_id)
    return sorted(str(row["event_id"]) for row in rows)


def webhook_events(hooks: Endpoint, name: str) -> Counter[str]:
    """How often each event id reached the webhook ``name``."""
    return Counter(str(json.loads(body)["id"]) for _, body in hooks.of(name))


def mails(mailbox: Mailbox, address: str) -> Counter[str]:
    """How often each delivery (its Message-ID) reached ``address``."""
    return Counter(str(m["Message-ID"]) for m in mailbox.to(address))
