"""Notices of a cancelled Fachtag, in German and English: the invited institutions hear
of the day, each lapsed registration goes to whoever tells that participant (the case
manager, the office's team for a contact person, a member of staff directly), and no
notice names more than the event carries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.notifications.notices.rules import AddresseeKind, notices_for
from shared.contracts.coordination_activities import FachtagStage, ParticipantKind
from shared.contracts.envelope import CloudEvent, EventData, build_event
from shared.contracts.events.coordination_activities import (
    FachtagCancelled,
    ParticipantFachtagCancelled,
)

AT = datetime(2027, 3, 10, 9, tzinfo=UTC)
DAY = {"fachtag_id": "f-1", "organiser": "clara.coord", "stage": "cancelled"}


def _event(data: EventData) -> CloudEvent:
    return build_event(event_id=str(uuid.uuid4()), data=data, time=AT)


def _lapsed(kind: ParticipantKind, **ref: str | None) -> ParticipantFachtagCancelled:
    return ParticipantFachtagCancelled(
        **DAY,
        seq=9,
        participant_id="p-3",
        participant_kind=kind,
        registered_by="anna.cm" if kind is ParticipantKind.refugee else "clara.coord",
        starts_at=AT,
        was_waitlisted=kind is ParticipantKind.staff,
        **ref,
    )


def test_the_invited_institutions_hear_the_day_is_off() -> None:
    cancelled = FachtagCancelled(
        **DAY,
        seq=8,
        previous_stage=FachtagStage.registration_open,
        starts_at=AT,
        invited_actor_ids=["a1", "a2"],
        registered_count=2,
        waitlisted_count=1,
    )
    notices = notices_for(_event(cancelled))
    assert [(n.addressee_kind, n.addressee) for n in notices] == [
        (AddresseeKind.actor, "a1"),
        (AddresseeKind.actor, "a2"),
    ]
    subject, body = notices[0].text("de")
    assert subject == "Abgesagt: Veranstaltung der WIR-Koordination am 10.03.2027"
    assert "f-1" in body and "findet nicht statt" in body
    subject, body = notices[0].text("en")
    assert subject == "Cancelled: WIR coordination event on 10 March 2027"
    assert "will not take place" in body


def test_a_refugees_lapsed_place_goes_to_their_case_manager() -> None:
    [notice] = notices_for(_event(_lapsed(ParticipantKind.refugee, case_id="case-9")))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.case_manager, "anna.cm")
    subject, body = notice.text("de")
    assert subject == "Abgesagt: Veranstaltung am 10.03.2027 (Anmeldung p-3)"
    assert "Klientin" in body and "case-9" not in body  # the registration, not the case
    subject, body = notice.text("en")
    assert subject == "Cancelled: event on 10 March 2027 (registration p-3)"
    assert "tell your client" in body and "case-9" not in body


def test_a_contacts_lapsed_place_goes_to_the_office_team() -> None:
    [notice] = notices_for(_event(_lapsed(ParticipantKind.contact, contact_id="c-7")))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.role, "coordinator")
    assert notice.text("de")[0] == (
        "Abgesagt: bitte Kontaktperson c-7 informieren (Veranstaltung am 10.03.2027)"
    )
    assert (
        notice.text("en")[0] == "Cancelled: please tell contact person c-7 (event on 10 March 2027)"
    )


def test_a_member_of_staff_is_told_directly() -> None:
    [notice] = notices_for(_event(_lapsed(ParticipantKind.staff, user_id="sven.staff")))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.staff, "sven.staff")
    subject, body = notice.text("de")
    assert subject == "Abgesagt: Ihre Anmeldung zur Veranstaltung am 10.03.2027"
    assert "auf der Warteliste" in body
    assert "on the waiting list" in notice.text("en")[1]


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_notice_carries_the_reason_or_a_name(language: str) -> None:
    for data in (
        _lapsed(ParticipantKind.refugee, case_id="case-9"),
        _lapsed(ParticipantKind.contact, contact_id="c-7"),
    ):
        subject, body = notices_for(_event(data))[0].text(language)
        assert "reason" not in data.model_dump()
        assert "{{" not in subject + body and "\n" not in subject
