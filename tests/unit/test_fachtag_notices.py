"""Notices of the Fachtage: invitations to the invited institutions, waiting-list places
and move-ups to whoever registered the participant, documentation reminders to the
organiser; in German and English, from ids, dates and counts alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.notifications.notices.rules import AddresseeKind, notices_for
from shared.contracts.coordination_activities import ParticipantKind
from shared.contracts.envelope import CloudEvent, EventData, build_event
from shared.contracts.events.coordination_activities import (
    FachtagDocumentationDue,
    FachtagInvitationsSent,
    ParticipantMovedUp,
    ParticipantWaitlisted,
)

AT = datetime(2027, 3, 10, 9, tzinfo=UTC)
DAY = {"fachtag_id": "f-1", "organiser": "clara.coord", "stage": "registration_open"}


def _event(data: EventData) -> CloudEvent:
    return build_event(event_id=str(uuid.uuid4()), data=data, time=AT)


def test_invitations_go_to_each_invited_institution() -> None:
    event = _event(
        FachtagInvitationsSent(
            **DAY, seq=2, invited_actor_ids=["a1", "a2"], starts_at=AT, registration_closes_at=AT
        )
    )
    notices = notices_for(event)
    assert [(n.addressee_kind, n.addressee) for n in notices] == [
        (AddresseeKind.actor, "a1"),
        (AddresseeKind.actor, "a2"),
    ]
    subject, body = notices[0].text("de")
    assert subject == "Einladung zu einer Veranstaltung der WIR-Koordination am 10.03.2027"
    assert "f-1" in body
    assert notices[0].text("en")[0].startswith("Invitation to a WIR coordination event")


def test_a_refugees_move_up_goes_to_their_case_manager() -> None:
    moved = ParticipantMovedUp(
        **DAY,
        seq=7,
        participant_id="p-3",
        participant_kind=ParticipantKind.refugee,
        case_id="case-9",
        registered_by="anna.cm",
        freed_by="p-1",
    )
    [notice] = notices_for(_event(moved))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.case_manager, "anna.cm")
    subject, body = notice.text("de")
    assert "Nachgerückt" in subject and "p-3" in body
    assert "case-9" not in body  # the notice names the registration, not the case
    assert notice.text("en")[0].startswith("Moved up")


def test_a_waiting_contact_is_told_through_the_office() -> None:
    waiting = ParticipantWaitlisted(
        **DAY,
        seq=5,
        participant_id="p-4",
        participant_kind=ParticipantKind.contact,
        registered_by="clara.coord",
        position=2,
    )
    [notice] = notices_for(_event(waiting))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.staff, "clara.coord")
    assert notice.text("de")[0] == "Warteliste: Platz 2 für Veranstaltung f-1"
    assert notice.text("en")[0] == "Waiting list: place 2 for event f-1"


def test_documentation_reminders_go_to_the_organiser() -> None:
    due = FachtagDocumentationDue(
        **{**DAY, "stage": "held"}, seq=9, documentation_due_at=AT, reminder=2
    )
    [notice] = notices_for(_event(due))
    assert (notice.addressee_kind, notice.addressee) == (AddresseeKind.staff, "clara.coord")
    assert notice.text("de")[0] == "Erinnerung 2: Dokumentation der Veranstaltung f-1 fehlt"
    assert "10.03.2027" in notice.text("de")[1]
    assert notice.text("en")[0].startswith("Reminder 2: the documentation of event f-1")
