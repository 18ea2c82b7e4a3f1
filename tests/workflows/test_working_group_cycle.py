"""The working group's meeting cycle on the time-skipping server, across several real
periods: each next meeting planned when the last has begun, each invitation reminded
``invitation_lead_days`` before its meeting, the cycle ended and nothing planned after."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.contracts.coordination import (
    MeetingCadence,
    SetCadenceCommand,
    WorkingGroupQueries,
    WorkingGroupUpdates,
)
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update
from tests.workflows.test_working_group_workflow import COORDINATOR, _events, _start

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def _starts(harness: Harness, group_id: str) -> list[datetime]:
    return [
        datetime.fromisoformat(e["starts_at"])
        for e in _events(harness, group_id, "meeting_scheduled")
    ]


async def test_every_two_weeks_plans_each_meeting_and_reminds_its_invitation(
    harness: Harness,
) -> None:
    group_id, handle = await _start(harness, invitation_lead_days=3)
    first = (await harness.env.get_current_time()) + 5 * DAY
    cadence = MeetingCadence(first_starts_at=first, every_weeks=2)
    await update(
        handle,
        WorkingGroupUpdates.set_cadence,
        SetCadenceCommand(actor=COORDINATOR, cadence=cadence),
    )
    await harness.env.sleep(HOUR)
    assert _starts(harness, group_id) == [first]  # the first meeting at once
    (scheduled,) = _events(harness, group_id, "meeting_scheduled")
    assert scheduled["actor"] is None  # planned by the cycle, not a person

    await harness.env.sleep(2 * DAY - 2 * HOUR)  # just before the first reminder
    assert _events(harness, group_id, "invitation_reminder_due") == []
    for cycle in range(3):  # three periods of two weeks
        await harness.env.sleep(2 * HOUR)  # just past this meeting's reminder
        reminders = _events(harness, group_id, "invitation_reminder_due")
        assert len(reminders) == cycle + 1
        assert all(r["days_before"] in (2, 3) for r in reminders)
        await harness.env.sleep(3 * DAY)  # past this meeting's start: the next is planned
        assert _starts(harness, group_id) == [first + 2 * n * 7 * DAY for n in range(cycle + 2)]
        await harness.env.sleep(11 * DAY - 2 * HOUR)  # just before the next reminder
        assert len(_events(harness, group_id, "invitation_reminder_due")) == cycle + 1
    planned = [e["meeting_id"] for e in _events(harness, group_id, "meeting_scheduled")]
    reminded = [r["meeting_id"] for r in _events(harness, group_id, "invitation_reminder_due")]
    assert reminded == planned[:3]  # the fourth's reminder is still ahead

    await update(
        handle, WorkingGroupUpdates.set_cadence, SetCadenceCommand(actor=COORDINATOR, cadence=None)
    )
    await harness.env.sleep(60 * DAY)
    assert len(_starts(harness, group_id)) == 4  # the cycle ended: nothing planned after
    state = await query(handle, WorkingGroupQueries.state)
    assert state.cadence is None
    (ended,) = [e for e in _events(harness, group_id, "group_cadence_set") if e["cadence"] is None]
    assert ended["actor"] == COORDINATOR


async def test_monthly_on_the_last_friday_across_a_quarter(harness: Harness) -> None:
    group_id, handle = await _start(harness, invitation_lead_days=7)
    now = await harness.env.get_current_time()
    first = _last_friday_after(now + 10 * DAY)
    cadence = MeetingCadence(first_starts_at=first, monthly_on="last")
    await update(
        handle,
        WorkingGroupUpdates.set_cadence,
        SetCadenceCommand(actor=COORDINATOR, cadence=cadence),
    )
    await harness.env.sleep(first - now + 95 * DAY)
    starts = _starts(harness, group_id)
    assert len(starts) >= 4
    for at in starts:
        assert at.weekday() == 4 and (at + 7 * DAY).month != at.month, at
        assert at.timetz() == first.timetz()
    months = [(at.year, at.month) for at in starts]
    assert len(set(months)) == len(months)  # one a month
    reminders: list[dict[str, Any]] = _events(harness, group_id, "invitation_reminder_due")
    assert len(reminders) == len(starts) - 1  # the last one's reminder is still ahead


def _last_friday_after(day: datetime) -> datetime:
    at = day.replace(hour=16, minute=0, second=0, microsecond=0)
    while not (at.weekday() == 4 and (at + 7 * DAY).month != at.month):
        at += DAY
    return at
