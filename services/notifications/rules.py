"""Which events notify whom, and what the notification says.

Pure: a :class:`CloudEvent` in, the notifications it gives rise to out. Application events
go to the applying organisation, case events to the case's case manager. The German texts
are built only from what the event carries (ids, amounts, dates, codes): a notification
never adds personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from shared.bus import PermanentError
from shared.cases import ClosureReason, DeclineReason
from shared.events import CloudEvent, EventData, event_model
from shared.events.application import (
    ApplicationApproved,
    ApplicationChangesRequested,
    ApplicationClosed,
    ApplicationEvent,
    ApplicationIneligible,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    FinalReportOverdue,
    FinalReportReminder,
)
from shared.events.case import (
    CaseClosed,
    CaseEvent,
    CaseReopened,
    FollowUpDue,
    ReferralAccepted,
    ReferralDeclined,
)

LANGUAGE = "de"
# Longest event, entity or addressee id the notifications table holds; WIR's are uuids.
MAX_ID_LENGTH = 64


class AddresseeKind(StrEnum):
    organisation = "organisation"
    case_manager = "case_manager"


@dataclass(frozen=True)
class Notice:
    """One notification to be stored for one addressee."""

    addressee_kind: AddresseeKind
    addressee: str
    entity_id: str
    subject: str
    body: str
    language: str = LANGUAGE


DECLINE_REASONS: dict[DeclineReason, str] = {
    DeclineReason.no_capacity: "keine freien Plätze",
    DeclineReason.not_eligible: "Teilnahmevoraussetzungen nicht erfüllt",
    DeclineReason.no_contact: "kein Kontakt zustande gekommen",
    DeclineReason.other: "sonstiger Grund",
}

CLOSURE_REASONS: dict[ClosureReason, str] = {
    ClosureReason.placed: "erfolgreich vermittelt",
    ClosureReason.moved_away: "Wegzug",
    ClosureReason.consent_withdrawn: "Einwilligung widerrufen",
    ClosureReason.no_contact: "kein Kontakt",
    ClosureReason.other: "sonstiger Grund",
}


def notices_for(event: CloudEvent) -> list[Notice]:
    """The notifications ``event`` gives rise to (none for most event types).

    Raises :class:`PermanentError` for an event type outside the catalogue or data that
    does not match its type: redelivering such a message can never succeed.
    """
    data = _payload(event)
    if isinstance(data, ApplicationEvent):
        text = _application_text(data)
        kind, addressee = AddresseeKind.organisation, data.organisation_id
    elif isinstance(data, CaseEvent):
        text = _case_text(data)
        kind, addressee = AddresseeKind.case_manager, data.case_manager
    else:
        return []
    if text is None:
        return []
    if max(len(event.id), len(addressee), len(data.entity_id())) > MAX_ID_LENGTH:
        raise PermanentError(f"event {event.id[:MAX_ID_LENGTH]}...: an id is too long to be WIR's")
    subject, body = text
    return [
        Notice(
            addressee_kind=kind,
            addressee=addressee,
            entity_id=data.entity_id(),
            subject=subject,
            body=body,
        )
    ]


def _payload(event: CloudEvent) -> EventData:
    try:
        model = event_model(event.type)
    except ValueError as exc:
        raise PermanentError(str(exc)) from None
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise PermanentError(f"event {event.id} ({event.type}) has invalid data: {exc}") from None


def _application_text(data: ApplicationEvent) -> tuple[str, str] | None:
    ref = f"Antrag {data.application_id}"
    yours = f"Ihr Antrag {data.application_id} (Förderschwerpunkt {data.priority_code})"
    match data:
        case ApplicationSubmitted():
            return (
                f"{ref}: eingegangen",
                f"{yours} über {euro(data.requested_amount)} ist eingegangen. "
                "Er wird nun auf Förderfähigkeit geprüft.",
            )
        case ApplicationIneligible():
            reasons = "\n".join(f"- {reason}" for reason in data.reasons)
            return (
                f"{ref}: nicht förderfähig",
                f"{yours} erfüllt die Fördervoraussetzungen nicht.\nGründe:\n{reasons}",
            )
        case ApplicationChangesRequested():
            return (
                f"{ref}: Änderungen erbeten",
                f"Zu {yours} werden Änderungen erbeten.\nBegründung: {data.reason}\n"
                "Bitte reichen Sie den Antrag überarbeitet erneut ein.",
            )
        case ApplicationApproved():
            return (
                f"{ref}: bewilligt (Zuwendungsbescheid)",
                f"{yours} wurde bewilligt.\n"
                f"Bewilligter Betrag: {euro(data.granted_amount)} "
                f"(beantragt: {euro(data.requested_amount)}).\n"
                f"Der Verwendungsnachweis ist bis zum {date_de(data.final_report_due_at)} "
                "einzureichen.",
            )
        case ApplicationRejected():
            return (
                f"{ref}: abgelehnt",
                f"{yours} wurde abgelehnt.\nBegründung: {data.reason}\n"
                "Gegen diese Entscheidung kann innerhalb eines Monats Widerspruch "
                "eingelegt werden.",
            )
        case ApplicationWithdrawn():
            why = f"\nBegründung: {data.reason}" if data.reason else ""
            return f"{ref}: zurückgezogen", f"{yours} wurde zurückgezogen.{why}"
        case FinalReportReminder():
            due = date_de(data.final_report_due_at)
            return (
                f"{ref}: Verwendungsnachweis fällig am {due}",
                f"Erinnerung: Der Verwendungsnachweis zu {yours} ist bis zum {due} einzureichen.",
            )
        case FinalReportOverdue():
            return (
                f"{ref}: Verwendungsnachweis überfällig",
                f"Der Verwendungsnachweis zu {yours} war bis zum "
                f"{date_de(data.final_report_due_at)} einzureichen und liegt noch nicht vor. "
                "Bitte reichen Sie ihn umgehend ein.",
            )
        case ApplicationClosed():
            return (
                f"{ref}: abgeschlossen",
                f"Der Verwendungsnachweis zu {yours} wurde angenommen; der Antrag ist "
                f"abgeschlossen.\nBewilligt: {euro(data.granted_amount)}, "
                f"verausgabt: {euro(data.spent_amount)}.",
            )
        case _:
            return None


def _case_text(data: CaseEvent) -> tuple[str, str] | None:
    ref = f"Fall {data.case_id}"
    match data:
        case ReferralAccepted():
            return (
                f"{ref}: Vermittlung angenommen",
                f"Die Vermittlung {data.referral_id} im {ref} in das Angebot {data.offer_id} "
                "wurde angenommen.",
            )
        case ReferralDeclined():
            reason = f"{DECLINE_REASONS[data.reason]} ({data.reason.value})"
            return (
                f"{ref}: Vermittlung abgelehnt ({data.reason.value})",
                f"Die Vermittlung {data.referral_id} im {ref} in das Angebot {data.offer_id} "
                f"wurde abgelehnt.\nGrund: {reason}\n"
                "Bitte prüfen Sie eine Vermittlung in ein anderes Angebot.",
            )
        case FollowUpDue():
            due = date_de(data.follow_up_due_at)
            return (
                f"{ref}: Nachbetreuung fällig am {due}",
                f"Im {ref} ist die Nachbetreuung zum {due} fällig. "
                "Bitte erfassen Sie das Ergebnis des Kontakts.",
            )
        case CaseClosed():
            reason = f"{CLOSURE_REASONS[data.reason]} ({data.reason.value})"
            return f"{ref}: abgeschlossen", f"Der {ref} wurde abgeschlossen.\nGrund: {reason}"
        case CaseReopened():
            return (
                f"{ref}: wieder eröffnet",
                f"Der {ref} wurde wieder eröffnet und ist erneut in Bearbeitung.",
            )
        case _:
            return None


def euro(amount: Decimal) -> str:
    """``Decimal("75000")`` → ``"75.000,00 EUR"``."""
    english = f"{amount:,.2f}"
    return english.translate(str.maketrans(",.", ".,")) + " EUR"


def date_de(moment: datetime) -> str:
    """The calendar day of ``moment`` in Hessen, as ``31.12.2027``."""
    return moment.astimezone(_hessen()).strftime("%d.%m.%Y")


def _hessen() -> tzinfo:
    try:
        return ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:  # no time zone database (e.g. Windows without tzdata)
        return UTC
