"""File numbers (Aktenzeichen) of cases: ``FM-2026-00117``, gap-free per calendar year.

The year is the one in Hessen (Europe/Berlin) when the case is opened, so a case opened at
00:30 on 1 January local time counts to the new year although it is still 31 December in
UTC. The number names the file, never the person: it may go into events, notifications,
letters and Temporal's search attributes.

How the numbers stay unique and without gaps when intakes run at once: the counter of the
year is one row of ``case_number_counters``, incremented by a single upsert
(``INSERT ... ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1 RETURNING``)
in the very transaction that inserts the case, and committed with it.

- PostgreSQL: the upsert locks the year's row (or, for the year's first case, the key it
  inserts) until the transaction ends; a concurrent intake's upsert waits for that and then
  increments the committed value, or, if the first rolled back, the value before it.
- SQLite: the upsert is a write, and SQLite lets one connection write at a time (the others
  wait for the lock, up to the connection's busy timeout); the lock is held until commit.

Either way the next intake sees the counter only as a committed or rolled-back transaction
left it: an intake that fails after taking its number (the workflow could not start, the
same Idempotency-Key won elsewhere) rolls the increment back with the case, and the number
goes to the next case. The price is that intakes take their numbers one after the other,
each holding the counter until it has started its workflow and committed.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from services.cases.cases.models import CaseNumberCounter

PREFIX = "FM"
#: ``FM-2026-00117``; beyond 99,999 cases a year the number simply grows a digit.
PATTERN = re.compile(rf"^{PREFIX}-(\d{{4}})-(\d{{5,}})$")
HESSEN = ZoneInfo("Europe/Berlin")


def format_file_number(year: int, number: int) -> str:
    return f"{PREFIX}-{year:04d}-{number:05d}"


def file_number_year(at: datetime) -> int:
    """The calendar year in Hessen of ``at`` (time-zone aware)."""
    return at.astimezone(HESSEN).year


def as_file_number(text: str) -> str | None:
    """``text`` as a file number in its one spelling (``fm-2026-00117`` → ``FM-2026-00117``),
    or None when it is not one."""
    cleaned = text.strip().upper()
    return cleaned if PATTERN.fullmatch(cleaned) else None


def _increment(dialect: str, year: int) -> ReturningInsert[int]:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CaseNumberCounter).values(year=year, last_number=1)
    return statement.on_conflict_do_update(
        index_elements=[CaseNumberCounter.year],
        set_={"last_number": CaseNumberCounter.last_number + 1},
    ).returning(CaseNumberCounter.last_number)


async def take_file_number(*, session: AsyncSession, at: datetime) -> str:
    """The next file number of ``at``'s year, taken in ``session``'s transaction: it is
    given for good when that transaction commits and given back when it rolls back."""
    year = file_number_year(at)
    dialect = session.get_bind().dialect.name
    (number,) = (await session.execute(_increment(dialect, year))).one()
    return format_file_number(year, number)
