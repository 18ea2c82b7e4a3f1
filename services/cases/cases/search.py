"""Finding cases by file number or by the person's name (``GET /cases?q=``).

A file number (``FM-2026-00117``, any case) finds its case. Anything else is a name: each
of its words must begin a word of the person's given or family name, case and accents
aside (``haddadi`` finds ``HADDADI``, ``Haddádi`` and ``Al-Haddadi``; ``amina hadd`` finds
Amína Al-Haddadi). The match runs on ``persons.name_key`` (names are stored in clear in this
service's database, so a normalised column does, and needs no key), with ``LIKE`` on its
space-separated words, which SQLite and PostgreSQL evaluate alike.

The search is always limited to the cases the caller may see (``access.visible_cases``),
so neither a case nor a count reveals that another case manager holds someone of that name.

A name search reads personal data: it is audited as a read, with the case ids it answered
and how many it found, and never the words searched for (``audit_name_search``). Nor do
the words reach the access log: :class:`SearchTermRedaction` blanks ``q`` in it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases import access
from services.cases.cases import queries
from services.cases.cases.models import Case, Person
from services.cases.cases.names import name_tokens
from services.cases.cases.numbers import as_file_number
from shared.audit_table import audit_table
from shared.auth import Actor
from shared.pagination import PageParams
from shared.problems import ProblemError

#: More words than a name has: a longer search is refused rather than run.
MAX_WORDS = 8
ACTION = "search_cases_by_name"
#: The audit action of a case list that shows the names of the cases one holds.
NAMES_ACTION = "list_cases_with_names"


class CaseSearch:
    """What ``q`` asks for: one file number, or the words of a name."""

    def __init__(self, q: str) -> None:
        self.file_number = as_file_number(q)
        self.words = [] if self.file_number else name_tokens(q)
        if self.file_number is None and not self.words:
            raise _invalid("q must be a file number or hold a letter or digit of a name")
        if len(self.words) > MAX_WORDS:
            raise _invalid(f"q may have at most {MAX_WORDS} words")

    @property
    def by_name(self) -> bool:
        return self.file_number is None

    def condition(self) -> ColumnElement[bool]:
        """SQL condition on ``Case``: the cases this search finds (visible or not)."""
        if self.file_number is not None:
            return Case.file_number == self.file_number
        # every word the beginning of a word of the key ("al haddadi amina"); the words
        # hold letters and digits only, so none is a LIKE wildcard
        words = literal(" ") + Person.name_key
        persons = select(Person.id).where(and_(*(words.like(f"% {w}%") for w in self.words)))
        return Case.person_id.in_(persons)


def _invalid(message: str) -> ProblemError:
    """Refused like a query parameter that fails validation (shared/problems.py)."""
    error = {"loc": ["query", "q"], "msg": message, "type": "value_error"}
    return ProblemError(422, "Invalid request", "The request has invalid fields.", errors=[error])


async def find_cases(
    *,
    session: AsyncSession,
    page: PageParams,
    actor: Actor,
    q: str,
    stage: str | None = None,
    case_manager: str | None = None,
) -> tuple[list[Case], int]:
    """One page of the cases ``actor`` may see that ``q`` finds; a name search audited."""
    search = CaseSearch(q)
    rows, total = await queries.list_cases(
        session=session,
        page=page,
        visible=and_(access.visible_cases(actor), search.condition()),
        stage=stage,
        case_manager=case_manager,
    )
    if search.by_name:
        await audit_name_search(
            session=session, actor=actor, total=total, case_ids=[case.id for case in rows]
        )
        await session.commit()
    return rows, total


async def held_names(
    *, session: AsyncSession, actor: Actor, case_ids: Sequence[str]
) -> dict[str, str]:
    """The person's name of each of ``case_ids`` that ``actor`` holds (cases shared with
    them show none: the caseload names the holder's people only), audited in ``session``'s
    transaction as a read of those cases' personal data; the caller commits before
    answering. Erased persons have no name."""
    if not case_ids:
        return {}
    rows = await session.execute(
        select(Case.id, Person.given_name, Person.family_name)
        .join(Person, Person.id == Case.person_id)
        .where(Case.id.in_(case_ids), Case.case_manager == actor.user)
    )
    names = {case_id: f"{given} {family}" for case_id, given, family in rows}
    if names:
        await session.execute(
            audit_table("cases").insert(),
            [
                {
                    **_read_row(actor, NAMES_ACTION),
                    "id": str(uuid.uuid4()),
                    "object_type": "case",
                    "object_id": case_id,
                }
                for case_id in names
            ],
        )
    return names


def _read_row(actor: Actor, action: str) -> dict[str, object]:
    return {
        "at": dt.datetime.now(dt.UTC),
        "kind": "read",
        "user": actor.user,
        "roles": actor.role_names,
        "action": action,
        "method": "GET",
        "route": "/cases",
        "status": 200,
        "outcome": "ok",
        "published": True,  # reads are not announced on NATS
    }


async def audit_name_search(
    *, session: AsyncSession, actor: Actor, total: int, case_ids: Sequence[str]
) -> None:
    """The audit rows of one name search, in ``session``'s transaction (the caller
    commits before answering, so no answer goes out unaudited): one row for the search with
    how many cases it found, one per case it answered. Not the words searched for."""
    common = _read_row(actor, ACTION)
    rows = [
        {
            **common,
            "id": str(uuid.uuid4()),
            "object_type": "case_search",
            "object_id": f"{total} found",
        },
        *(
            {**common, "id": str(uuid.uuid4()), "object_type": "case", "object_id": case_id}
            for case_id in case_ids
        ),
    ]
    await session.execute(audit_table("cases").insert(), rows)
