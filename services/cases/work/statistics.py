"""Anonymous figures per period: what the district reports to the state programme.

Counts over codes and dates only (stages, need areas, offer categories, placement types,
follow-up results, closure reasons): no person, no free text. Cases whose person's data was
erased still count.

A period lies within :data:`EARLIEST` and :data:`LATEST` and starts no later than it ends;
any other is refused with 422 (``9999-12-31`` is a valid date, but the day after it is not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.cases.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseFollowUp,
    CasePlacement,
    CaseReferral,
    CounsellingContact,
)
from services.cases.offers.models import Offer
from services.cases.support.models import EmploymentStep, InterpreterBooking
from services.cases.work.models import CaseTask
from services.cases.work.schemas import ReferralFigures, Statistics, TaskKind
from shared.csv_export import Cell, CsvFormat, csv_text
from shared.problems import ProblemError

#: The dates a statistics period may cover: well before WIR's first record, far enough ahead.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _invalid_period(name: str, detail: str) -> ProblemError:
    error = {"loc": ["query", name], "msg": detail, "type": "value_error"}
    return ProblemError(422, "Invalid period", detail, errors=[error])


def _check_period(period_from: date, period_to: date) -> None:
    for name, value in (("from", period_from), ("to", period_to)):
        if not EARLIEST <= value <= LATEST:
            raise _invalid_period(name, f"'{name}' must lie between {EARLIEST} and {LATEST}.")
    if period_from > period_to:
        raise _invalid_period("from", "'from' must not be after 'to'.")


async def statistics(*, session: AsyncSession, period_from: date, period_to: date) -> Statistics:
    _check_period(period_from, period_to)
    start = datetime.combine(period_from, time.min, tzinfo=UTC)
    end = datetime.combine(period_to + timedelta(days=1), time.min, tzinfo=UTC)

    def within(column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        return column.between(start, end - timedelta(microseconds=1))

    stages = Counter(
        str(s) for s in await session.scalars(select(Case.stage).where(within(Case.created_at)))
    )
    latest_needs: dict[str, tuple[datetime, list[str]]] = {}
    for case_id, needs, created in await session.execute(
        select(CaseAssessment.case_id, CaseAssessment.needs, CaseAssessment.created_at).where(
            within(CaseAssessment.created_at)
        )
    ):
        if case_id not in latest_needs or created > latest_needs[case_id][0]:
            latest_needs[case_id] = (created, list(needs))
    need_counts = Counter(n for _, areas in latest_needs.values() for n in areas)
    return Statistics(
        period_from=period_from,
        period_to=period_to,
        cases_opened=sum(stages.values()),
        cases_by_stage=dict(sorted(stages.items())),
        anonymous_contacts=await _count(
            session,
            select(func.count())
            .select_from(CounsellingContact)
            .where(
                CounsellingContact.contact_date.between(period_from, period_to),
            ),
        ),
        needs=dict(sorted(need_counts.items())),
        referrals=await _referrals(session, within),
        placements_by_type=await _by(
            session, CasePlacement.placement_type, CasePlacement.created_at, within
        ),
        follow_ups_due=await _count(
            session,
            select(func.count())
            .select_from(CaseTask)
            .where(CaseTask.kind == TaskKind.follow_up.value, within(CaseTask.created_at)),
        ),
        follow_up_outcomes={
            ("still_placed" if placed else "no_longer_placed"): n
            for placed, n in (
                await session.execute(
                    select(CaseFollowUp.still_placed, func.count())
                    .where(within(CaseFollowUp.created_at))
                    .group_by(CaseFollowUp.still_placed)
                )
            ).all()
        },
        closures_by_reason=await _by(session, CaseClosure.reason, CaseClosure.created_at, within),
        employment_steps={
            f"{kind}:{status}": int(n)
            for kind, status, n in sorted(
                (
                    await session.execute(
                        select(EmploymentStep.kind, EmploymentStep.status, func.count())
                        .where(within(EmploymentStep.created_at))
                        .group_by(EmploymentStep.kind, EmploymentStep.status)
                    )
                ).all()
            )
        },
        interpreter_bookings=await _by(
            session, InterpreterBooking.status, InterpreterBooking.created_at, within
        ),
        erased_cases=await _count(
            session, select(func.count()).select_from(Case).where(within(Case.erased_at))
        ),
    )


Within = Callable[[InstrumentedAttribute[Any]], ColumnElement[bool]]


async def _count(session: AsyncSession, query: Select[int]) -> int:
    return int(await session.scalar(query) or 0)


async def _by(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    created_at: InstrumentedAttribute[datetime],
    within: Within,
) -> dict[str, int]:
    rows = await session.execute(
        select(column, func.count()).where(within(created_at)).group_by(column)
    )
    return {str(key): int(n) for key, n in sorted(rows.all())}


async def _referrals(session: AsyncSession, within: Within) -> list[ReferralFigures]:
    rows = await session.execute(
        select(Offer.category, CaseReferral)
        .join(Offer, Offer.id == CaseReferral.offer_id)
        .where(within(CaseReferral.sent_at))
    )
    by_category: dict[str, list[CaseReferral]] = {}
    for category, referral in rows:
        by_category.setdefault(str(category), []).append(referral)
    figures = []
    for category, referrals in sorted(by_category.items()):
        declined = sum(r.status == "declined" for r in referrals)
        answered = [r for r in referrals if r.answered_at is not None]
        accepted = len(answered) - declined
        days = [
            (r.answered_at - r.sent_at).total_seconds() / 86400
            for r in answered
            if r.answered_at is not None
        ]
        figures.append(
            ReferralFigures(
                category=category,
                sent=len(referrals),
                accepted=accepted,
                declined=declined,
                unanswered=len(referrals) - len(answered),
                completed=sum(r.status == "completed" for r in referrals),
                acceptance_rate=round(accepted / len(answered), 3) if answered else None,
                mean_days_to_answer=round(mean(days), 2) if days else None,
            )
        )
    return figures


def as_csv(figures: Statistics, *, csv_format: CsvFormat = CsvFormat.de) -> str:
    """One row per figure: ``figure,key,value`` (period in the first two rows), in the
    format of every WIR export (``shared.csv_export``)."""
    rows: list[tuple[str, str, Cell]] = [
        ("period", "from", figures.period_from),
        ("period", "to", figures.period_to),
        ("cases_opened", "", figures.cases_opened),
        ("anonymous_contacts", "", figures.anonymous_contacts),
        ("follow_ups_due", "", figures.follow_ups_due),
        ("erased_cases", "", figures.erased_cases),
    ]
    for name in (
        "cases_by_stage",
        "needs",
        "placements_by_type",
        "follow_up_outcomes",
        "closures_by_reason",
        "employment_steps",
        "interpreter_bookings",
    ):
        rows.extend((name, key, value) for key, value in getattr(figures, name).items())
    for referral in figures.referrals:
        for field, value in referral.model_dump(exclude={"category"}).items():
            rows.append((f"referrals_{field}", referral.category, value))
    return csv_text(("figure", "key", "value"), rows, csv_format=csv_format)
