"""The measures' facts on the stream: each change of a measure is one versioned
``wir.coordination.measure_*`` event, published from the service's outbox, without its
title or goal."""

from __future__ import annotations

import json

import httpx
import nats
import nats.errors

from deploy.events.conformance import problems
from shared.settings import WirSettings
from tests.e2e.coordination_journey import MEASURE_TEXT, measure_cycle


async def _events_of(settings: WirSettings, entity_id: str) -> list[dict[str, object]]:
    nc = await nats.connect(settings.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            f"wir.coordination.*.{entity_id}", ordered_consumer=True
        )
        found: list[dict[str, object]] = []
        while True:
            try:
                msg = await sub.next_msg(timeout=1)
            except nats.errors.TimeoutError:
                return found
            assert not problems(msg.subject, msg.headers, msg.data)
            found.append(json.loads(msg.data))
    finally:
        await nc.drain()


async def test_each_change_of_a_measure_is_one_event_without_its_text(
    coordination: httpx.AsyncClient, settings: WirSettings
) -> None:
    measure_id = await measure_cycle(coordination)
    same = await coordination.patch(f"/measures/{measure_id}", json={"due_on": "2099-06-30"})
    assert same.status_code == 200  # nothing changed: no event
    found = await _events_of(settings, measure_id)
    kinds = [str(e["type"]).rsplit(".", 1)[1] for e in found]
    assert kinds == [
        "measure_recorded",
        "measure_status_changed",
        "measure_plan_changed",
        "measure_ended",
    ]
    assert [e["data"]["seq"] for e in found] == [1, 2, 3, 4]  # type: ignore[index]
    assert found[2]["data"]["changed"] == ["due_on"]  # type: ignore[index]
    ended = found[3]["data"]
    assert ended["previous_status"] == "in_progress" and ended["completed_on"]  # type: ignore[index]
    text = json.dumps(found, ensure_ascii=False)
    assert not any(words in text for words in MEASURE_TEXT)


async def test_a_title_change_names_the_field_not_the_title(
    coordination: httpx.AsyncClient, settings: WirSettings
) -> None:
    measure_id = await measure_cycle(coordination)
    renamed = await coordination.patch(f"/measures/{measure_id}", json={"title": "Neuer Titel"})
    assert renamed.status_code == 200
    last = (await _events_of(settings, measure_id))[-1]
    assert last["type"] == "wir.coordination.measure_plan_changed"
    assert last["data"]["changed"] == ["title"]  # type: ignore[index]
    assert "Neuer Titel" not in json.dumps(last)


async def test_a_change_may_not_set_what_a_measure_must_have_to_null(
    coordination: httpx.AsyncClient,
) -> None:
    """A PATCH that sets the title, goal or status to null is refused with 422 naming the
    field, and changes nothing (it once reached the event and answered 500)."""
    actor = await coordination.post(
        "/actors", json={"name": "Sportverein Nullhausen", "type": "club", "place": "Nullhausen"}
    )
    assert actor.status_code == 201, actor.text
    created = await coordination.post(
        "/measures",
        json={
            "institution_id": actor.json()["id"],
            "kind": "staff_training",
            "title": "Schulung",
            "goal": "Alle geschult",
        },
    )
    assert created.status_code == 201, created.text
    measure = created.json()
    for field in ("title", "goal", "status"):
        refused = await coordination.patch(f"/measures/{measure['id']}", json={field: None})
        assert refused.status_code == 422, refused.text
        assert f"{field} may be left out but not set to null" in refused.text
    again = await coordination.get(f"/measures/{measure['id']}")
    assert again.json() == measure
