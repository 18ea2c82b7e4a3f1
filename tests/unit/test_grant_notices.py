"""Notices for the grant programme's later events: who gets them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.notifications.notices.rules import MANDATORY, AddresseeKind, notices_for
from shared.contracts.envelope import EventData, build_event
from shared.contracts.events.application import (
    AppealLodged,
    ChangeDecided,
    FinalReportEscalated,
    InterimReportReminder,
    PaymentApproved,
    ReclaimSet,
)

NOW = datetime(2028, 3, 1, 12, tzinfo=UTC)
BASE = {
    "application_id": "a-1",
    "organisation_id": "o-1",
    "priority_code": "coordination",
    "round_id": "2027",
    "stage": "active",
    "seq": 9,
}


def _notices(data: EventData) -> list[tuple[AddresseeKind, str, str, str]]:
    event = build_event(event_id="e-1", data=data, time=NOW)
    return [
        (n.addressee_kind, n.addressee, n.text("de")[0], n.text("en")[0])
        for n in notices_for(event)
    ]


def test_missing_final_report_is_escalated_to_the_programme_office() -> None:
    [(kind, addressee, de, en)] = _notices(FinalReportEscalated(**BASE, final_report_due_at=NOW))
    assert (kind, addressee) == (AddresseeKind.role, "programme_officer")
    assert "Eskalation" in de and "escalated" in en


def test_appeal_goes_to_the_review_and_decision_teams() -> None:
    notices = _notices(AppealLodged(**BASE))
    assert {n[1] for n in notices} == {"reviewer", "approver"}


@pytest.mark.parametrize(
    ("data", "german"),
    [
        (
            PaymentApproved(
                **BASE, payment_id="p", amount=Decimal("500"), paid_total=Decimal("1500")
            ),
            "500,00 EUR freigegeben",
        ),
        (
            ChangeDecided(
                **BASE,
                change_id="c",
                kind="extension",
                approved=True,
                funding_period_end=date(2028, 6, 30),
                final_report_due_at=NOW,
            ),
            "Änderungsantrag genehmigt",
        ),
        (
            InterimReportReminder(**BASE, report_number=1, due_at=NOW),
            "Zwischennachweis 1 fällig am 01.03.2028",
        ),
        (ReclaimSet(**BASE, reclaim_amount=Decimal("8000")), "Rückforderung über 8.000,00 EUR"),
    ],
)
def test_applicant_notices(data: EventData, german: str) -> None:
    [(kind, addressee, de, en)] = _notices(data)
    assert (kind, addressee) == (AddresseeKind.organisation, "o-1")
    assert german in de and en


def test_a_reclaim_cannot_be_muted() -> None:
    assert "wir.application.reclaim_set" in MANDATORY
