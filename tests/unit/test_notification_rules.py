"""Which events notify whom, and with what text (services/notifications/rules.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from services.notifications.notices.rules import AddresseeKind, Notice, date_de, euro, notices_for
from services.notifications.notices.templates import TEMPLATES, date_en, euro_en
from shared.bus import PermanentError
from shared.contracts.cases import ClosureReason, DeclineReason
from shared.contracts.envelope import CloudEvent, EventData, build_event
from shared.contracts.events.application import (
    ApplicationApproved,
    ApplicationIneligible,
    ApplicationReviewStarted,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    FinalReportSubmitted,
    ReviewerAssigned,
)
from shared.contracts.events.case import (
    CaseAssessed,
    CaseClosed,
    FollowUpDue,
    ReferralDeclined,
    ReferralEscalated,
    ReferralReminderDue,
    ReferralSent,
)

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
APP = {"application_id": "app-1", "organisation_id": "org-7", "priority_code": "coordination"}
CASE = {"case_id": "case-3", "case_manager": "anna.cm"}


def _event(data: EventData) -> CloudEvent:
    return build_event(event_id=str(uuid.uuid4()), data=data, time=NOW)


def _one(data: EventData) -> Notice:
    notices = notices_for(_event(data))
    assert len(notices) == 1
    return notices[0]


def test_submitted_goes_to_the_organisation() -> None:
    notice = _one(
        ApplicationSubmitted(seq=1, stage="submitted", requested_amount=Decimal("80000.00"), **APP)
    )
    assert notice.addressee_kind is AddresseeKind.organisation
    assert notice.addressee == "org-7"
    assert notice.entity_id == "app-1"
    assert notice.mandatory is False
    assert notice.subject == "Antrag app-1: eingegangen"
    assert "80.000,00 EUR" in notice.body and "coordination" in notice.body


def test_approved_names_amount_and_report_due_date() -> None:
    notice = _one(
        ApplicationApproved(
            seq=3,
            stage="approved",
            requested_amount=Decimal("80000"),
            granted_amount=Decimal("75000.5"),
            # 23:30 UTC is already the next day in Hessen
            final_report_due_at=datetime(2028, 8, 31, 23, 30, tzinfo=UTC),
            actor="jonas.approver",
            **APP,
        )
    )
    assert notice.subject == "Antrag app-1: bewilligt (Zuwendungsbescheid)"
    assert "75.000,50 EUR" in notice.body and "80.000,00 EUR" in notice.body
    assert "bis zum 01.09.2028" in notice.body
    assert "jonas.approver" not in notice.body  # who decided is not the applicant's business


def test_ineligible_lists_every_reason() -> None:
    reasons = ["population 9999 is below the minimum of 10000", "not a municipality"]
    notice = _one(ApplicationIneligible(seq=2, stage="ineligible", reasons=reasons, **APP))
    assert notice.subject == "Antrag app-1: nicht förderfähig"
    assert all(f"- {reason}" in notice.body for reason in reasons)


def test_withdrawn_with_and_without_reason() -> None:
    with_reason = _one(ApplicationWithdrawn(seq=2, stage="withdrawn", reason="cancelled", **APP))
    without = _one(ApplicationWithdrawn(seq=2, stage="withdrawn", **APP))
    assert "Begründung: cancelled" in with_reason.body
    assert "Begründung" not in without.body


def test_referral_declined_goes_to_the_case_manager_with_the_reason_code() -> None:
    notice = _one(
        ReferralDeclined(
            seq=4,
            stage="in_progress",
            referral_id="ref-1",
            offer_id="offer-9",
            reason=DeclineReason.no_capacity,
            **CASE,
        )
    )
    assert notice.addressee_kind is AddresseeKind.case_manager
    assert notice.addressee == "anna.cm"
    assert notice.entity_id == "case-3"
    assert notice.subject == "Fall case-3: Vermittlung abgelehnt (no_capacity)"
    assert "keine freien Plätze (no_capacity)" in notice.body and "offer-9" in notice.body


def test_follow_up_due_and_case_closed() -> None:
    due = _one(
        FollowUpDue(
            seq=7,
            stage="follow_up",
            follow_up_due_at=datetime(2027, 4, 1, 8, tzinfo=UTC),
            **CASE,
        )
    )
    assert due.subject == "Fall case-3: Nachbetreuung fällig am 01.04.2027"
    closed = _one(CaseClosed(seq=9, stage="closed", reason=ClosureReason.moved_away, **CASE))
    assert closed.subject == "Fall case-3: abgeschlossen"
    assert "Wegzug (moved_away)" in closed.body


@pytest.mark.parametrize(
    "data",
    [
        CaseAssessed(seq=2, stage="intake", need_count=3, **CASE),
        FinalReportSubmitted(
            seq=5, stage="report_submitted", spent_amount=Decimal("1"), overdue=False, **APP
        ),
    ],
    ids=lambda data: data.type_name(),
)
def test_events_nobody_needs_to_hear_about_notify_nobody(data: EventData) -> None:
    assert notices_for(_event(data)) == []


def _raw(event_type: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id=str(uuid.uuid4()),
        source="urn:wir:test",
        type=event_type,
        subject="x",
        time=NOW,
        data=data,
    )


def test_unknown_event_type_is_permanent() -> None:
    with pytest.raises(PermanentError, match="unknown event type"):
        notices_for(_raw("wir.case.teleported", {"case_id": "c", "case_manager": "m"}))


def test_data_that_does_not_match_its_type_is_permanent() -> None:
    with pytest.raises(PermanentError, match="invalid data"):
        notices_for(_raw("wir.application.approved", {"seq": 1, "stage": "approved", **APP}))


def test_overlong_ids_are_permanent() -> None:
    data = ApplicationWithdrawn(seq=2, stage="withdrawn", **{**APP, "organisation_id": "o" * 65})
    with pytest.raises(PermanentError, match="too long"):
        notices_for(_event(data))


def test_german_amounts_and_dates() -> None:
    assert euro(Decimal("1234567.5")) == "1.234.567,50 EUR"
    assert euro(Decimal("0")) == "0,00 EUR"
    assert date_de(datetime(2027, 12, 31, 12, tzinfo=UTC)) == "31.12.2027"


def test_english_amounts_and_dates() -> None:
    assert euro_en(Decimal("1234567.5")) == "EUR 1,234,567.50"
    assert date_en(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == "1 January 2028"


def test_approval_in_english_is_statutory() -> None:
    notice = _one(
        ApplicationApproved(
            seq=3,
            stage="approved",
            requested_amount=Decimal("80000"),
            granted_amount=Decimal("75000"),
            final_report_due_at=datetime(2028, 6, 30, 10, tzinfo=UTC),
            **APP,
        )
    )
    assert notice.mandatory is True
    subject, body = notice.text("en")
    assert subject == "Application app-1: approved (grant notice)"
    assert "EUR 75,000.00" in body and "30 June 2028" in body
    assert notice.text("fr") == notice.text("de")  # no French templates: German


def test_review_started_goes_to_the_approvers_but_not_the_whole_reviewers_team() -> None:
    # It names no reviewer: sent to the reviewers' team, every reviewer would hear of every
    # application, not only of those assigned to them.
    notices = notices_for(_event(ApplicationReviewStarted(seq=2, stage="in_review", **APP)))
    assert [(n.addressee_kind, n.addressee) for n in notices] == [(AddresseeKind.role, "approver")]
    assert notices[0].subject == "Antrag app-1: Prüfung und Entscheidung fällig"


def test_the_assigned_reviewer_hears_of_the_assignment() -> None:
    notice = _one(ReviewerAssigned(seq=3, stage="in_review", reviewer="rita.reviewer", **APP))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.reviewer, "rita.reviewer")
    assert notice.subject == "Antrag app-1: Ihnen zur Prüfung zugewiesen"
    assert notice.text("en")[0] == "Application app-1: assigned to you for review"
    assert "coordination" in notice.body and "org-7" not in notice.body


def test_a_referral_goes_to_the_provider_of_the_offer() -> None:
    notice = _one(
        ReferralSent(seq=3, stage="in_progress", referral_id="ref-1", offer_id="offer-9", **CASE)
    )
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.provider, "offer-9")
    assert "anna.cm" not in notice.body and "case-3" not in notice.body
    assert notice.text("en")[0] == "New referral ref-1 to your offer offer-9"


def test_every_template_exists_in_both_languages() -> None:
    german = {p.name for p in (TEMPLATES / "de").iterdir()}
    english = {p.name for p in (TEMPLATES / "en").iterdir()}
    assert german == english and len(german) >= 15


def test_an_unanswered_referral_reminds_the_provider_then_escalates_to_the_case_manager() -> None:
    referral = {"referral_id": "ref-1", "offer_id": "offer-9", "days_open": 7, **CASE}
    sent_at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    reminder = _one(ReferralReminderDue(seq=4, stage="in_progress", sent_at=sent_at, **referral))
    assert (reminder.addressee_kind, reminder.addressee) == (AddresseeKind.provider, "offer-9")
    assert "seit 7 Tagen (seit 01.03.2027)" in reminder.body
    escalated = _one(ReferralEscalated(seq=5, stage="in_progress", sent_at=sent_at, **referral))
    assert escalated.addressee_kind is AddresseeKind.case_manager
    assert escalated.addressee == "anna.cm"
    assert escalated.text("en")[0] == "Case case-3: referral ref-1 unanswered for 7 days"


GROUP = {"group_id": "grp-1", "coordinator": "clara.coord", "stage": "active"}


def test_working_group_notices_go_to_staff_by_id_and_contacts_via_the_office() -> None:
    from datetime import date

    from shared.contracts.coordination import MemberKind, MemberRef, OwnerKind, OwnerRef
    from shared.contracts.events.coordination import (
        ActionItemOverdue,
        ActionItemReminderDue,
        InvitationReminderDue,
        InvitationSent,
    )

    starts = datetime(2027, 3, 4, 9, tzinfo=UTC)
    meeting = {"meeting_id": "m-1", "starts_at": starts, **GROUP}
    reminder = _one(InvitationReminderDue(seq=3, days_before=14, **meeting))
    assert (reminder.addressee_kind, reminder.addressee) == (AddresseeKind.staff, "clara.coord")
    assert "04.03.2027" in reminder.subject
    assert reminder.text("en")[0] == (
        "Working group: send the invitation to the meeting on 4 March 2027"
    )
    invitees = [
        MemberRef(kind=MemberKind.staff, id="olaf.staff"),
        MemberRef(kind=MemberKind.contact, id="contact-7"),
    ]
    sent = notices_for(_event(InvitationSent(seq=4, invitees=invitees, **meeting)))
    assert [(n.addressee_kind, n.addressee) for n in sent] == [(AddresseeKind.staff, "olaf.staff")]

    item = {"item_id": "i-1", "due_date": date(2027, 3, 12), **GROUP}
    staff = OwnerRef(kind=OwnerKind.staff, id="olaf.staff")
    contact = OwnerRef(kind=OwnerKind.contact, id="contact-7")
    own = _one(ActionItemReminderDue(seq=5, owner=staff, days_left=3, **item))
    assert (own.addressee_kind, own.addressee) == (AddresseeKind.staff, "olaf.staff")
    assert "12.03.2027" in own.subject and "in 3 Tagen" in own.body
    theirs = _one(ActionItemOverdue(seq=6, owner=contact, **item))
    assert (theirs.addressee_kind, theirs.addressee) == (AddresseeKind.role, "coordinator")
    assert "contact-7" in theirs.subject
    assert theirs.text("en")[0] == "Working group: action item i-1 of contact contact-7 is overdue"
