"""A working group's meeting cycle over HTTP: set with a clear 422 for a rule that does
not fit, its first meeting planned by the workflow and projected, ended with 409 when
there is none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.servers import eventually


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _second_tuesday_ahead() -> datetime:
    day = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=20)
    while not (day.weekday() == 1 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    return day


async def test_a_monthly_cycle_plans_its_first_meeting_and_ends(
    coordination: httpx.AsyncClient,
) -> None:
    group = await _ok(await coordination.post("/groups", json={"name": "AG Sprachcafé"}), 201)
    path = f"/groups/{group['id']}/cadence"
    first = _second_tuesday_ahead()
    wrong = await coordination.put(
        path, json={"first_starts_at": first.isoformat(), "monthly_on": "third"}
    )
    assert wrong.status_code == 422 and "third Tuesday" in wrong.text, wrong.text
    both = await coordination.put(
        path, json={"first_starts_at": first.isoformat(), "every_weeks": 2, "monthly_on": "second"}
    )
    assert both.status_code == 422 and "either every_weeks or monthly_on" in both.text
    none = await coordination.delete(path)
    assert none.status_code == 409 and "no meeting cycle" in none.text, none.text

    body = {"first_starts_at": first.isoformat(), "monthly_on": "second", "online": True}
    detail = await _ok(await coordination.put(path, json=body))
    assert detail["cadence"]["monthly_on"] == "second"

    async def planned() -> bool:
        meetings = await _ok(await coordination.get(f"/groups/{group['id']}/meetings"))
        return [datetime.fromisoformat(m["starts_at"]) for m in meetings["items"]] == [first]

    await eventually(planned)
    ended = await _ok(await coordination.delete(path))
    assert ended["cadence"] is None
