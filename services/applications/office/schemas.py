"""Response bodies of the programme office's views: round statistics, reference data."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from shared.contracts.eligibility import ApplicantType
from shared.money import MoneyOut


class Figures(BaseModel):
    """Money and counts of a round's priority, or of the whole round.

    ``committed`` is the approved money the budget holds (the budget's ledger);
    ``budget_left`` = ``budget`` - ``committed``, what approvals can still take. ``paid`` is
    what was paid out, ``repaid`` what came back after reclaims and ``paid_net`` the
    difference; repaid money is in ``budget_left`` again only where the round says so
    (``repaid_returns_to_budget``; ``committed`` then shrinks by it). ``repaid_sum`` is
    ``repaid`` under its earlier name. ``requested_sum`` counts every application
    that was submitted (drafts excluded); ``granted_sum`` and ``approved`` count those
    approved (stages approved, active, report_submitted, report_corrections, reclaim and
    closed with a granted amount).
    """

    budget: MoneyOut = Decimal("0")
    committed: MoneyOut = Decimal("0")
    paid: MoneyOut = Decimal("0")
    repaid: MoneyOut = Decimal("0")
    paid_net: MoneyOut = Decimal("0")
    budget_left: MoneyOut = Decimal("0")
    applications: int = 0
    by_stage: dict[str, int] = Field(default_factory=dict)
    approved: int = 0
    requested_sum: MoneyOut = Decimal("0")
    granted_sum: MoneyOut = Decimal("0")
    reclaimed_sum: MoneyOut = Decimal("0")
    repaid_sum: MoneyOut = Decimal("0")


class PriorityStatistics(Figures):
    priority_code: str
    number: int
    title: str


class RoundStatistics(BaseModel):
    round_id: str
    title: str
    status: str
    repaid_returns_to_budget: bool
    priorities: list[PriorityStatistics]
    totals: Figures


class RegionalBodyOut(BaseModel):
    name: str
    applicant_type: ApplicantType
