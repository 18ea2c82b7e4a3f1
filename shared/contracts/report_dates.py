"""When the reports of a funded application fall due: the programme's calendar rules.

Pure functions, shared by the workflow (which sets its timers by them) and the services
(which print the dates in the Zuwendungsbescheid).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time

#: Interim report k covers funding year k and is due this many months after it ends.
INTERIM_REPORT_MONTHS_AFTER_YEAR = 3


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` that is still ``day`` in Hessen in summer and in winter
    (21:59:59 UTC is 22:59:59 CET or 23:59:59 CEST), so printed dates never slip."""
    return datetime.combine(day, time(21, 59, 59), tzinfo=UTC)


def final_report_due(period_end: date, final_report_months: int) -> datetime:
    return end_of_day(add_months(period_end, final_report_months))


def interim_report_dues(start: date, end: date) -> list[datetime]:
    """One interim report per full funding year that ends before the period does."""
    dues = []
    year = 1
    while (anniversary := add_months(start, 12 * year)) <= end:
        dues.append(end_of_day(add_months(anniversary, INTERIM_REPORT_MONTHS_AFTER_YEAR)))
        year += 1
    return dues
