"""The programme office's views over the read model: statistics per round and priority
and the CSV export of the application list (the Bescheid is in ``letters``).

The CSV's format (German spreadsheets by default, ``plain`` on request) is
``shared.csv_export``'s, as every export's; this module says only which columns it has.
Dates are the days in Berlin.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import Application
from services.applications.catalogue.models import FundingPriority, Organisation
from services.applications.office.bescheid import APPROVAL_STAGES, BERLIN
from services.applications.office.schemas import Figures, PriorityStatistics, RoundStatistics
from services.applications.rounds.models import FundingRound, RoundPriority
from shared.contracts.grants import ApplicationStage
from shared.csv_export import Cell, CsvFormat, csv_text, safe_text
from shared.problems import not_found

CSV_COLUMNS = (
    "id",
    "file_number",
    "round",
    "priority",
    "organisation",
    "applicant_type",
    "title",
    "stage",
    "requested",
    "granted",
    "paid",
    "spent",
    "reclaim",
    "repaid",
    "final_report_due",
    "report_overdue",
)
_ZERO = Decimal("0")


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else _ZERO


async def round_statistics(*, session: AsyncSession, round_id: str) -> RoundStatistics:
    round_ = await session.get(FundingRound, round_id)
    if round_ is None:
        raise not_found("funding round", round_id)
    stats: dict[str, PriorityStatistics] = {}
    budgets = await session.execute(
        select(RoundPriority, FundingPriority)
        .join(FundingPriority, FundingPriority.code == RoundPriority.priority_code)
        .where(RoundPriority.round_id == round_id)
    )
    for budget, priority in budgets:
        stats[priority.code] = PriorityStatistics(
            priority_code=priority.code,
            number=priority.number,
            title=priority.title,
            budget=_money(budget.budget),
            committed=_money(budget.committed),
            paid=_money(budget.paid),
            budget_left=_money(budget.budget) - _money(budget.committed),
            by_stage={s.value: 0 for s in ApplicationStage},
        )
    groups = await session.execute(
        select(
            Application.priority_code,
            Application.stage,
            func.count(),
            func.sum(Application.requested_amount),
            func.count(Application.granted_amount),
            func.sum(Application.granted_amount),
            func.sum(Application.reclaim_amount),
            func.sum(Application.repaid_amount),
        )
        .where(Application.round_id == round_id)
        .group_by(Application.priority_code, Application.stage)
    )
    for code, stage, count, requested, n_granted, granted, reclaimed, repaid in groups:
        figures = stats[code] if code in stats else await _unbudgeted(session, code, stats)
        figures.applications += count
        figures.by_stage[stage] = figures.by_stage.get(stage, 0) + count
        if stage != ApplicationStage.draft:
            figures.requested_sum += _money(requested)
        if stage in APPROVAL_STAGES:
            figures.approved += n_granted
            figures.granted_sum += _money(granted)
        figures.reclaimed_sum += _money(reclaimed)
        figures.repaid_sum += _money(repaid)
    for figures in stats.values():
        figures.repaid = figures.repaid_sum
        figures.paid_net = figures.paid - figures.repaid
    priorities = sorted(stats.values(), key=lambda p: p.number)
    return RoundStatistics(
        round_id=round_.id,
        title=round_.title,
        status=round_.status,
        repaid_returns_to_budget=round_.repaid_returns_to_budget,
        priorities=priorities,
        totals=_totals(priorities),
    )


async def _unbudgeted(
    session: AsyncSession, code: str, stats: dict[str, PriorityStatistics]
) -> PriorityStatistics:
    """A priority with applications in the round but no budget row there (budget 0)."""
    priority = await session.get(FundingPriority, code)
    stats[code] = PriorityStatistics(
        priority_code=code,
        number=priority.number if priority else 0,
        title=priority.title if priority else code,
        by_stage={s.value: 0 for s in ApplicationStage},
    )
    return stats[code]


def _totals(priorities: Sequence[Figures]) -> Figures:
    totals = Figures(by_stage={s.value: 0 for s in ApplicationStage})
    for p in priorities:
        for name in (
            "budget",
            "committed",
            "paid",
            "repaid",
            "paid_net",
            "budget_left",
            "applications",
            "approved",
            "requested_sum",
            "granted_sum",
            "reclaimed_sum",
            "repaid_sum",
        ):
            setattr(totals, name, getattr(totals, name) + getattr(p, name))
        for stage, count in p.by_stage.items():
            totals.by_stage[stage] = totals.by_stage.get(stage, 0) + count
    return totals


def _conditions(
    *,
    round_id: str | None,
    priority_code: str | None,
    stage: str | None,
    applicant_type: str | None,
    report_overdue: bool | None,
) -> list[ColumnElement[bool]]:
    """The list endpoint's filters; ``applicant_type`` needs the organisation joined."""
    conditions: list[ColumnElement[bool]] = []
    if round_id:
        conditions.append(Application.round_id == round_id)
    if priority_code:
        conditions.append(Application.priority_code == priority_code)
    if stage:
        conditions.append(Application.stage == stage)
    if applicant_type:
        conditions.append(Organisation.applicant_type == applicant_type)
    if report_overdue is not None:
        conditions.append(Application.report_overdue == report_overdue)
    return conditions


def _csv_amount(value: Decimal | None) -> Decimal | None:
    return None if value is None else _money(value)


def _csv_text(value: str | None) -> str:
    return safe_text(value or "")


def _csv_date(value: datetime | None) -> date | None:
    return None if value is None else value.astimezone(BERLIN).date()


async def export_csv(
    *,
    session: AsyncSession,
    round_id: str | None = None,
    priority_code: str | None = None,
    stage: str | None = None,
    applicant_type: str | None = None,
    report_overdue: bool | None = None,
    csv_format: CsvFormat = CsvFormat.de,
) -> str:
    """Every application that passes the filters (those of the list endpoint), one row each,
    ordered by round, priority number, organisation and id."""
    query = (
        select(Application, Organisation)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .join(FundingPriority, FundingPriority.code == Application.priority_code)
        .where(
            *_conditions(
                round_id=round_id,
                priority_code=priority_code,
                stage=stage,
                applicant_type=applicant_type,
                report_overdue=report_overdue,
            )
        )
        .order_by(Application.round_id, FundingPriority.number, Organisation.name, Application.id)
    )
    rows: list[Sequence[Cell]] = []
    for application, organisation in await session.execute(query):
        rows.append(
            (
                application.id,
                application.file_number,
                _csv_text(application.round_id),
                application.priority_code,
                _csv_text(organisation.name),
                organisation.applicant_type,
                _csv_text(application.title),
                application.stage,
                _csv_amount(application.requested_amount),
                _csv_amount(application.granted_amount),
                _csv_amount(application.paid_amount),
                _csv_amount(application.spent_amount),
                _csv_amount(application.reclaim_amount),
                _csv_amount(application.repaid_amount),
                _csv_date(application.final_report_due_at),
                application.report_overdue,
            )
        )
    return csv_text(CSV_COLUMNS, rows, csv_format=csv_format)
