"""Workflow inputs for the tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from services.applications.catalogue.seed import DEFAULT_PRIORITIES
from shared.contracts.cases import RefugeeCaseInput
from shared.contracts.eligibility import ApplicantFacts, ApplicantType
from shared.contracts.grants import Deadlines, GrantApplicationInput
from shared.contracts.report_dates import add_months

PRIORITIES = {p.code: p for p in DEFAULT_PRIORITIES}


def grant_input(
    *,
    priority: str = "coordination",
    applicant_type: ApplicantType = ApplicantType.district,
    population: int | None = None,
    requested: str = "50000.00",
    period_months: int = 12,
    deadlines: Deadlines | None = None,
    today: date | None = None,
) -> GrantApplicationInput:
    """``today``: the test server's date (time skipping moves it far from the real one)."""
    start = (today or datetime.now(UTC).date()) + timedelta(days=1)
    return GrantApplicationInput(
        application_id=str(uuid.uuid4()),
        organisation_id=str(uuid.uuid4()),
        priority_code=priority,
        round_id="round-2027",
        requested_amount=Decimal(requested),
        funding_period_start=start,
        funding_period_end=add_months(start, period_months) - timedelta(days=1),
        applicant=ApplicantFacts(applicant_type=applicant_type, population=population),
        rule=PRIORITIES[priority].rule,
        deadlines=deadlines or Deadlines(),
        submitted_by="petra.officer",
    )


def case_input(*, follow_up_days: int = 30, reopen_window_days: int = 365) -> RefugeeCaseInput:
    return RefugeeCaseInput(
        case_id=str(uuid.uuid4()),
        case_manager="anna.cm",
        opened_by="anna.cm",
        consent_purposes=["case_management"],
        follow_up_days=follow_up_days,
        reopen_window_days=reopen_window_days,
    )
