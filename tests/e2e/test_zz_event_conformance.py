"""CloudEvents 1.0 conformance of every event the e2e flows produced.

The test drives its own journeys first (an application to closed, a case to its
assessment), so it passes alone as well as after the other e2e tests. Then it reads the
whole stream and checks every event about an application or case that the services know,
i.e. every event the worker published for flows driven over HTTP, its own and those of
tests run before it; events that other tests hand-craft and publish directly are left out.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import nats
import nats.errors

from deploy.events.conformance import problems
from shared.settings import WirSettings
from tests.e2e import journeys
from tests.e2e.coordination_journey import (
    CONTACT,
    FREE_TEXT,
    MEASURE_TEXT,
    measure_cycle,
    working_group_cycle,
)
from tests.e2e.fachtag_journey import CONTACT as DAY_CONTACT
from tests.e2e.fachtag_journey import DAY_TEXT, REASON, REFUGEE, cancelled_fachtag


async def _ids(client: httpx.AsyncClient, path: str) -> set[str]:
    ids: set[str] = set()
    offset = 0
    while True:
        page: dict[str, Any] = (
            await client.get(path, params={"limit": 200, "offset": offset})
        ).json()
        ids |= {item["id"] for item in page["items"]}
        offset += 200
        if offset >= page["total"]:
            return ids


async def test_every_event_of_the_flows_conforms(
    applications: httpx.AsyncClient, cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    await journeys.application_to_closed(applications)
    await journeys.case_assessed(cases)
    known = await _ids(applications, "/applications") | await _ids(cases, "/cases")
    nc = await nats.connect(settings.nats_url)
    try:
        js = nc.jetstream()
        stored = (await js.stream_info(settings.stream_name)).state.messages
        sub = await js.subscribe("wir.>", ordered_consumer=True)
        checked: dict[str, int] = {}
        failures: list[str] = []
        for _ in range(stored):
            msg = await sub.next_msg(timeout=10)
            domain, entity_id = msg.subject.split(".")[1], msg.subject.rsplit(".", 1)[-1]
            if entity_id not in known:
                continue
            kind = msg.subject.rsplit(".", 1)[0]
            checked[kind] = checked.get(kind, 0) + 1
            failures += [
                f"{msg.subject}: {p}" for p in problems(msg.subject, msg.headers, msg.data)
            ]
            assert domain in {"application", "case"}
        await sub.unsubscribe()
    finally:
        await nc.drain()
    assert not failures, "\n".join(failures)
    # Its own journeys give at least these (the application alone has 11 events).
    assert {"wir.application.approved", "wir.application.closed", "wir.case.opened"} <= set(
        checked
    ), checked
    assert sum(checked.values()) >= 10


def test_problems_names_what_is_wrong() -> None:
    body = (
        b'{"specversion":"0.3","id":"","source":"x","type":"wir.application.approved",'
        b'"subject":"a","time":"2027-01-01T10:00:00+01:00","data":{},"Bad":1}'
    )
    found = "\n".join(problems("wir.application.approved.b", {"Nats-Msg-Id": "x"}, body))
    for part in (
        "'id' missing",
        "specversion",
        "source",
        "UTC",
        "NATS subject",
        "dataschema",
        "data does not match",
        "'Bad'",
        "Nats-Msg-Id",
        "Content-Type",
    ):
        assert part in found, part


async def test_each_coordination_event_conforms_and_arrives_once_without_personal_data(
    coordination: httpx.AsyncClient, settings: WirSettings
) -> None:
    group_id = await working_group_cycle(coordination)
    wanted = {
        "group_formed",
        "group_members_changed",
        "meeting_scheduled",
        "invitation_sent",
        "action_item_added",
        "action_item_reminder_due",
        "meeting_held",
        "action_item_done",
        "group_closed",
    }
    seen, failures = await _coordination_events(
        settings, group_id, (*CONTACT.values(), *FREE_TEXT, "Flyer")
    )
    assert not failures, "\n".join(failures)
    ids = [event_id for event_id, _ in seen]
    assert len(ids) == len(set(ids)), "an event was stored twice"
    kinds = [kind for _, kind in seen]
    assert sorted(kinds) == sorted(wanted), kinds  # each once, nothing else


async def _coordination_events(
    settings: WirSettings, entity_id: str, personal: tuple[str, ...]
) -> tuple[list[tuple[str, str]], list[str]]:
    """(event id, event) of every stored event of the entity, and what is wrong with them."""
    nc = await nats.connect(settings.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            f"wir.coordination.*.{entity_id}", ordered_consumer=True
        )
        seen: list[tuple[str, str]] = []
        failures: list[str] = []
        while True:
            try:
                msg = await sub.next_msg(timeout=2)
            except nats.errors.TimeoutError:
                break
            event = json.loads(msg.data)
            seen.append((event["id"], event["type"].rsplit(".", 1)[1]))
            failures += [
                f"{msg.subject}: {p}" for p in problems(msg.subject, msg.headers, msg.data)
            ]
            text = msg.data.decode()
            for words in personal:
                if words in text:
                    failures.append(f"{msg.subject} carries {words!r}")
        await sub.unsubscribe()
    finally:
        await nc.drain()
    return seen, failures


async def test_each_measure_event_conforms_and_arrives_once_without_its_text(
    coordination: httpx.AsyncClient, settings: WirSettings
) -> None:
    measure_id = await measure_cycle(coordination)
    seen, failures = await _coordination_events(settings, measure_id, MEASURE_TEXT)
    assert not failures, "\n".join(failures)
    ids = [event_id for event_id, _ in seen]
    assert len(ids) == len(set(ids)), "an event was stored twice"
    kinds = [kind for _, kind in seen]
    wanted = ["measure_recorded", "measure_status_changed", "measure_plan_changed", "measure_ended"]
    assert kinds == wanted, kinds


async def test_a_cancelled_fachtags_events_conform_and_arrive_once_without_personal_data(
    coordination: httpx.AsyncClient,
    cases: httpx.AsyncClient,
    coordination_url: str,
    settings: WirSettings,
) -> None:
    fachtag_id = await cancelled_fachtag(coordination, cases, coordination_url)
    personal = (*DAY_TEXT, REASON, *DAY_CONTACT.values(), *REFUGEE.values())
    seen, failures = await _coordination_events(settings, fachtag_id, personal)
    assert not failures, "\n".join(failures)
    ids = [event_id for event_id, _ in seen]
    assert len(ids) == len(set(ids)), "an event was stored twice"
    kinds = [kind for _, kind in seen]
    assert kinds == [
        "fachtag_planned",
        "fachtag_invitations_sent",
        "fachtag_registration_opened",
        "participant_registered",
        "participant_registered",
        "participant_waitlisted",
        "fachtag_cancelled",
        "participant_fachtag_cancelled",
        "participant_fachtag_cancelled",
        "participant_fachtag_cancelled",
    ], kinds
