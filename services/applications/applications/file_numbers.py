"""File numbers (Aktenzeichen) of applications: ``WIR-2027-00042``, gap-free per year.

The year is the calendar year of the creation in Hessen (Europe/Berlin): a draft created at
00:30 on 1 January German time is numbered in the new year although it is still
31 December in UTC. The number has five digits and widens past 99 999.

Gap-free and unique under concurrent creation: the number comes from a counter row per
(kind, year), incremented with ``UPDATE … RETURNING`` inside the transaction that creates
the application. The update holds the row (PostgreSQL: a row lock; SQLite: the database's
write lock) until that transaction ends, so concurrent creations take turns; a creation
that is rolled back (refused, or beaten by a request with the same Idempotency-Key) rolls
its increment back too, and the next one takes the same number. The counter row of a new
year is inserted first with ``ON CONFLICT DO NOTHING``, which two first creations of a
year may both run. The counter is taken as the last step before the commit, after every
check that may refuse the creation, so the row is held only briefly.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import FileNumberCounter

#: The kind of file and the prefix of its numbers.
APPLICATION_KIND = "WIR"
BERLIN = ZoneInfo("Europe/Berlin")


def file_number(kind: str, year: int, number: int) -> str:
    """``file_number("WIR", 2027, 42)`` → ``"WIR-2027-00042"``."""
    return f"{kind}-{year}-{number:05d}"


def file_year(moment: datetime) -> int:
    """The year a creation at ``moment`` is numbered in: its year in Hessen."""
    return moment.astimezone(BERLIN).year


async def next_file_number(*, session: AsyncSession, kind: str, at: datetime) -> str:
    """The next number of ``kind`` in the year of ``at``, taken in the session's
    transaction (see the module's docstring): commit or roll back soon after."""
    year = file_year(at)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(FileNumberCounter)
        .values(kind=kind, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["kind", "year"])
    )
    taken = await session.scalar(
        update(FileNumberCounter)
        .where(FileNumberCounter.kind == kind, FileNumberCounter.year == year)
        .values(last=FileNumberCounter.last + 1)
        .returning(FileNumberCounter.last)
    )
    assert taken is not None  # the row exists: inserted above or before
    return file_number(kind, year, taken)
