"""The dates of a working group's regular meetings, from its cadence alone.

Pure and deterministic (no clock): occurrence ``n`` of a cadence is the same on every
replay. The time of day and its UTC offset are the first meeting's, so a cycle set in
winter time stays at that offset in summer (the office moves a meeting that must follow
the clock).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from shared.contracts.coordination import WEEK_INDEX, MeetingCadence


def _weekday_in_month(year: int, month: int, weekday: int, index: int) -> date:
    """The ``index``-th (0-based, -1: last) ``weekday`` of the month."""
    if index < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * index)


def occurrence(cadence: MeetingCadence, n: int) -> datetime:
    """The start of the cycle's ``n``-th meeting (0: the first)."""
    first = cadence.first_starts_at
    if cadence.every_weeks is not None:
        return first + timedelta(weeks=cadence.every_weeks * n)
    assert cadence.monthly_on is not None
    months = first.month - 1 + n
    day = _weekday_in_month(
        first.year + months // 12, months % 12 + 1, first.weekday(), WEEK_INDEX[cadence.monthly_on]
    )
    return datetime.combine(day, first.timetz())


def next_occurrence(cadence: MeetingCadence, start: int, after: datetime) -> tuple[int, datetime]:
    """The first occurrence from number ``start`` on that begins after ``after`` (those
    missed while nobody could plan them are skipped, not planned in the past)."""
    n = start
    while (at := occurrence(cadence, n)) <= after:
        n += 1
    return n, at
