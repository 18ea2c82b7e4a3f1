"""The durable consumers, the audit relays and the notifications dispatchers on two replicas:
one durable per read model, its work split between the replicas (each, the other frozen,
carries on alone), and every event, audit event, e-mail and webhook call exactly once."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import nats

from shared.contracts.consumers import APPLICATIONS_READ_MODEL, CASES_READ_MODEL, NOTIFICATIONS
from tests.faults import flows
from tests.scale.checks import (
    history_ids,
    mails,
    of_entity,
    query,
    stored_events,
    webhook_events,
)
from tests.scale.conftest import Scale
from tests.servers import eventually

PROVIDER_MAIL = "beratung@example.org"
HOOK = "scale"


async def test_one_durable_per_read_model_shared_by_the_replicas(scale: Scale) -> None:
    nc = await nats.connect(servers=scale.admin_nats_urls)
    try:
        js = nc.jetstream()
        names = {c.name for c in await js.consumers_info(scale.settings.stream_name)}
        assert {APPLICATIONS_READ_MODEL, CASES_READ_MODEL, NOTIFICATIONS} <= names
        for durable in (APPLICATIONS_READ_MODEL, CASES_READ_MODEL, NOTIFICATIONS):

            async def both_pulling(durable: str = durable) -> bool:
                # each replica's fetch loop keeps a pull request waiting on the one durable
                info = await js.consumer_info(scale.settings.stream_name, durable)
                return (info.num_waiting or 0) >= 2

            await eventually(both_pulling, timeout=20, interval=0.2)
    finally:
        await nc.drain()


async def _case_delivered(scale: Scale, case_id: str) -> int:
    """Wait until every stored event of the case reached the webhook and, as e-mail, the
    case manager; returns how many events it has."""

    async def delivered() -> int:
        events = of_entity(await stored_events(scale.admin_nats_urls, "wir.case.>"), case_id)
        got = webhook_events(scale.hooks, HOOK)
        return len(events) if events and all(e.id in got for e in events) else 0

    return await eventually(delivered, timeout=45, interval=0.5)


async def test_each_replica_consumes_and_sends_exactly_once(scale: Scale) -> None:
    async with (
        scale.client(scale.url("notifications"), "olaf.operator") as notifications,
        scale.client(scale.url("cases"), "anna.cm") as cases,
    ):
        hook = await notifications.post(
            "/webhooks", json={"url": f"{scale.hooks_url}/hooks/{HOOK}", "event_types": []}
        )
        assert hook.status_code == 201, hook.text
        # a referral (wir.case.referral_sent) is e-mailed to its offer's provider
        (offer_id,) = await flows.offers(cases, 1)
        mail = await notifications.put(
            f"/recipients/provider/{offer_id}", json={"email": PROVIDER_MAIL}
        )
        assert mail.status_code in (200, 201), mail.text

        async def referred_case() -> str:
            case_id = await flows.open_case(cases)
            path = f"/cases/{case_id}/referrals"
            sent = await flows.command(cases, path, json={"offer_id": offer_id})
            assert sent.status_code == 200, sent.text
            return case_id

        case_ids = []
        # one notifications replica frozen (SIGSTOP), then the other: each alone consumes
        # the shared durable's messages and dispatches the deliveries
        for frozen in scale.stack.replicas["notifications"]:
            frozen.signal(signal.SIGSTOP)
            try:
                case_ids.append(await referred_case())
                await _case_delivered(scale, case_ids[-1])
            finally:
                frozen.signal(signal.SIGCONT)
        # both running: the work is split
        case_ids += await asyncio.gather(*(referred_case() for _ in range(3)))
        counts = [await _case_delivered(scale, case_id) for case_id in case_ids]

    events = await stored_events(scale.admin_nats_urls)
    hooks = webhook_events(scale.hooks, HOOK)
    for case_id in case_ids:
        mine = of_entity(events, case_id)
        assert all(hooks[e.id] == 1 for e in mine), f"{case_id}: {[hooks[e.id] for e in mine]}"
        history = await history_ids(scale.database_url, "case_events", "case_id", case_id)
        assert history == sorted(e.id for e in mine)  # applied once by the read model

    seen: list[object] = []

    async def mails_settled() -> Counter[str]:
        sent = await query(
            scale.database_url,
            "SELECT status, count(*) AS n FROM deliveries WHERE channel = 'email' GROUP BY status",
        )
        by_status = {str(r["status"]): int(r["n"]) for r in sent}
        got = mails(scale.mailbox, PROVIDER_MAIL)
        seen[:] = [by_status, sum(got.values()), len(case_ids)]
        return got if by_status.get("sent") == len(got) >= len(case_ids) else Counter()

    try:
        got = await eventually(mails_settled, timeout=30, interval=0.5)
    except AssertionError:
        raise AssertionError(f"e-mail deliveries by status, e-mails, referrals: {seen}") from None
    assert set(got.values()) == {1}, got  # no e-mail twice
    twice = [event_id for event_id, n in hooks.items() if n > 1]
    assert not twice, twice  # no webhook call twice, whatever the event
    print(
        f"\ncases {len(case_ids)}, case events {sum(counts)}, webhook calls {sum(hooks.values())}"
        f", e-mails {sum(got.values())}, duplicates 0, losses 0"
    )


async def test_audit_relays_publish_each_command_once(scale: Scale) -> None:
    """After the commands above: each command's audit row on the stream once, none missing.

    Only commands are announced: the rows of personal-data reads (the case journey reads the
    case file) and the per-minute counts of refused unauthenticated requests stay in the
    table, stored as published from the start (shared/audit.py)."""
    state: dict[str, object] = {}
    checked: dict[str, int] = {}
    for service in ("applications", "cases", "notifications"):

        async def published(service: str = service) -> tuple[list[str]] | None:
            rows = await query(
                scale.database_url,
                f"SELECT id, published FROM {service}_audit_log WHERE kind = 'command'",
            )
            state[service] = Counter(bool(r["published"]) for r in rows)
            ids = [str(r["id"]) for r in rows]
            return (ids,) if all(r["published"] for r in rows) else None

        try:
            (ids,) = await eventually(published, timeout=30, interval=0.5)
        except AssertionError:
            raise AssertionError(f"audit rows (published: count): {state}") from None
        events = await stored_events(scale.admin_nats_urls, "wir.audit.>")
        on_stream = Counter(
            e.id for e in events if e.payload().model_dump().get("service") == service
        )
        missing, extra = set(ids) - set(on_stream), set(on_stream) - set(ids)
        assert not missing and not extra, (
            f"{service}: {len(missing)} rows not on the stream, {len(extra)} events without a row"
        )
        assert all(n == 1 for n in on_stream.values()), f"{service}: an audit event twice"
        checked[service] = len(ids)
    assert checked["cases"] and checked["notifications"], checked
    print(f"\naudit events checked per service: {checked}, duplicates 0, losses 0")
