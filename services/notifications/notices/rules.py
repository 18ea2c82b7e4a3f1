"""Which events notify whom, and whether the notice is statutory.

Pure: a :class:`CloudEvent` in, the notices it gives rise to out. Application events go to
the applying organisation; an application waiting for review and decision goes to the
approver team, and to its reviewer once one is assigned (``reviewer_assigned``), so no
reviewer hears of applications not assigned to them; a resubmission and an appeal go to
the reviewer and approver teams; a referral and its reminder go to the provider of the
offer; other case events go to the case's case manager (after a transfer: the new one).
A Fachtag's invitations go to the invited institutions (actor ids), a waiting-list place
and a move-up to whoever registered the participant (a refugee's case manager, or the
office), the documentation reminders to the day's organiser. A cancelled day is told to
the institutions invited, and each lapsed registration to whoever tells that participant:
a refugee's case manager, the office's team for a contact person (the event carries the
contact id; only the coordination service knows the address), a member of staff directly.
A working group's invitation reminder goes to its coordinator, its invitation to the staff
members invited, an action item's reminder and overdue notice to its owner when a member
of staff, and to the coordination office's team when an institution's contact person owns
it (only the coordination service knows that person's address).
The texts come from the templates (templates.py) and are built only from what the event
carries: a notice never adds personal data. Application notices name the application by
its file number and title (``WIR-2027-00042 „…“``), events from before file numbers by id.
A case's notice names the case by its file number (Aktenzeichen, FM-2026-00117), or by its
id when the event is older than file numbers; the provider's notices of a referral name
neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from services.notifications.notices.templates import (
    DEFAULT_LANGUAGE,
    date_de,
    euro,
    has_template,
    render,
)
from shared.bus import PermanentError
from shared.contracts.envelope import CloudEvent, EventData, event_model
from shared.contracts.events.application import (
    AppealLodged,
    ApplicationEvent,
    ApplicationResubmitted,
    ApplicationReviewStarted,
    FinalReportEscalated,
    ReviewerAssigned,
    ReviewOverdue,
)
from shared.contracts.events.case import CaseEvent, ReferralReminderDue, ReferralSent
from shared.contracts.events.coordination import (
    ActionItemEvent,
    InvitationReminderDue,
    InvitationSent,
)
from shared.contracts.events.coordination_activities import (
    FachtagCancelled,
    FachtagDocumentationDue,
    FachtagInvitationsSent,
    ParticipantEvent,
    ParticipantFachtagCancelled,
)

__all__ = ["MANDATORY", "AddresseeKind", "Notice", "date_de", "euro", "notices_for"]

# Longest event, entity or addressee id the notifications table holds; WIR's are uuids.
MAX_ID_LENGTH = 64

# Statutory notices (Bescheide, Rückforderung): sent even to a recipient who opted out.
MANDATORY = frozenset(
    {"wir.application.approved", "wir.application.rejected", "wir.application.reclaim_set"}
)

# Teams that review and decide applications (a recipient each, e.g. a team mailbox).
DECISION_ROLES = ("reviewer", "approver")
# The programme office: a final report missing after the extra deadline is escalated to it.
PROGRAMME_OFFICE = "programme_officer"
# The district's WIR coordination office (a team recipient): notices about an action item
# an institution's contact person owns go to it, since only the coordination service holds
# the contact's address and events carry the contact id alone.
COORDINATION_OFFICE = "coordinator"


class AddresseeKind(StrEnum):
    organisation = "organisation"
    case_manager = "case_manager"
    # a provider's offer (the offer id addresses it): receives referrals
    provider = "provider"
    # a team: reviewer, approver
    role = "role"
    # one reviewer (the user id): the applications assigned to them
    reviewer = "reviewer"
    # an institution of the coordination network (its actor id): Fachtag invitations
    actor = "actor"
    # a member of staff by user id: working groups' coordinators, members, item owners,
    # a Fachtag's organiser and whoever registered a participant
    staff = "staff"


@dataclass(frozen=True)
class Notice:
    """One notification for one addressee; rendered in the addressee's language."""

    addressee_kind: AddresseeKind
    addressee: str
    entity_id: str
    event_type: str
    data: EventData
    mandatory: bool

    def text(self, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
        return render(self.event_type, self.data, language)

    @property
    def subject(self) -> str:
        return self.text()[0]

    @property
    def body(self) -> str:
        return self.text()[1]


def notices_for(event: CloudEvent) -> list[Notice]:
    """The notices ``event`` gives rise to (none for most event types).

    Raises :class:`PermanentError` for an event type outside the catalogue or data that
    does not match its type: redelivering such a message can never succeed.
    """
    data = _payload(event)
    if not has_template(event.type):
        return []
    addressees = _addressees(data)
    ids = [event.id, data.entity_id(), *(a for _, a in addressees)]
    if max(len(i) for i in ids) > MAX_ID_LENGTH:
        raise PermanentError(f"event {event.id[:MAX_ID_LENGTH]}...: an id is too long to be WIR's")
    return [
        Notice(
            addressee_kind=kind,
            addressee=addressee,
            entity_id=data.entity_id(),
            event_type=event.type,
            data=data,
            mandatory=event.type in MANDATORY,
        )
        for kind, addressee in addressees
    ]


def _addressees(data: EventData) -> list[tuple[AddresseeKind, str]]:
    match data:
        case ApplicationReviewStarted():
            # Carries no reviewer (none is assigned yet): the reviewers' team must not hear
            # of every application, so only the approvers do; the reviewer when assigned.
            return [(AddresseeKind.role, "approver")]
        case ReviewerAssigned():
            return [(AddresseeKind.reviewer, data.reviewer)]
        case ApplicationResubmitted() | AppealLodged():
            return [(AddresseeKind.role, role) for role in DECISION_ROLES]
        case FinalReportEscalated() | ReviewOverdue():
            return [(AddresseeKind.role, PROGRAMME_OFFICE)]
        case ApplicationEvent():
            return [(AddresseeKind.organisation, data.organisation_id)]
        case ReferralSent() | ReferralReminderDue():
            return [(AddresseeKind.provider, data.offer_id)]
        case CaseEvent():
            return [(AddresseeKind.case_manager, data.case_manager)]
        case FachtagInvitationsSent() | FachtagCancelled():
            return [(AddresseeKind.actor, actor_id) for actor_id in data.invited_actor_ids]
        case FachtagDocumentationDue():
            return [(AddresseeKind.staff, data.organiser)]
        case ParticipantFachtagCancelled():
            return [_informant(data)]
        case ParticipantEvent():
            # who registered them: a refugee's case manager, else the office; never the
            # participant (the events name no contact person)
            kind = AddresseeKind.case_manager if data.case_id else AddresseeKind.staff
            return [(kind, data.registered_by)]
        case InvitationReminderDue():
            return [(AddresseeKind.staff, data.coordinator)]
        case InvitationSent():
            # staff members only: the office invites contact persons itself (it holds
            # their addresses; the event names them by id)
            return [(AddresseeKind.staff, m.id) for m in data.invitees if m.kind == "staff"]
        case ActionItemEvent() if data.owner.kind == "contact":
            return [(AddresseeKind.role, COORDINATION_OFFICE)]
        case ActionItemEvent():
            return [(AddresseeKind.staff, data.owner.id)]
        case _:
            return []


def _informant(data: ParticipantFachtagCancelled) -> tuple[AddresseeKind, str]:
    """Who tells a participant that the day was cancelled."""
    if data.case_id is not None:
        return (AddresseeKind.case_manager, data.registered_by)
    if data.user_id is not None:
        return (AddresseeKind.staff, data.user_id)
    return (AddresseeKind.role, COORDINATION_OFFICE)


def _payload(event: CloudEvent) -> EventData:
    try:
        model = event_model(event.type)
    except ValueError as exc:
        raise PermanentError(str(exc)) from None
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise PermanentError(f"event {event.id} ({event.type}) has invalid data: {exc}") from None
