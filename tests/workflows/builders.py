"""Workflow inputs for the tests."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.cases import RefugeeCaseInput
from shared.eligibility import DEFAULT_PRIORITIES, ApplicantFacts, ApplicantType
from shared.grants import GrantApplicationInput

PRIORITIES = {p.code: p for p in DEFAULT_PRIORITIES}


def grant_input(
    *,
    priority: str = "coordination",
    applicant_type: ApplicantType = ApplicantType.district,
    population: int | None = None,
    requested: str = "50000.00",
    report_days: int = 548,
    reminder_days: int = 28,
) -> GrantApplicationInput:
    return GrantApplicationInput(
        application_id=str(uuid.uuid4()),
        organisation_id=str(uuid.uuid4()),
        priority_code=priority,
        requested_amount=Decimal(requested),
        applicant=ApplicantFacts(applicant_type=applicant_type, population=population),
        rule=PRIORITIES[priority].rule,
        submitted_by="petra.officer",
        final_report_due_days=report_days,
        report_reminder_days_before=reminder_days,
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
