"""The Nebenbestimmungen of a Zuwendungsbescheid: ANBest-GK for municipal bodies, ANBest-P
for everyone else. Their duties are summarised in our own words; the full texts are named
and form part of the Bescheid."""

from __future__ import annotations

from services.applications.office.letter import Block, Items, paragraph
from shared.contracts.eligibility import MUNICIPAL_BODIES
from shared.contracts.grants import Deadlines

ANBEST_GK = (
    "ANBest-GK",
    "Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung an Gemeinden und "
    "Gemeindeverbände",
)
ANBEST_P = ("ANBest-P", "Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung")


def is_municipal(applicant_type: str) -> bool:
    return applicant_type in {t.value for t in MUNICIPAL_BODIES}


def nebenbestimmungen(applicant_type: str) -> tuple[str, str]:
    """(short name, full title) of the Nebenbestimmungen for this applicant type."""
    return ANBEST_GK if is_municipal(applicant_type) else ANBEST_P


def duties(
    *, short: str, funds_use_months: int, deadlines: Deadlines, final_due: str, municipal: bool
) -> list[Block]:
    duties = [
        "Die Zuwendung darf nur für den im Antrag beschriebenen Zweck und nur im "
        "Bewilligungszeitraum verwendet werden.",
        "Mittel dürfen nur abgerufen werden, soweit sie innerhalb von "
        f"{funds_use_months} Monaten nach der Auszahlung für fällige Zahlungen benötigt "
        "werden (Mittelabruf).",
    ]
    if deadlines.interim_reports:
        duties.append(
            "Für jedes abgelaufene Förderjahr ist ein Zwischennachweis vorzulegen "
            "(kurzer Sachbericht und zahlenmäßige Übersicht über Einnahmen und Ausgaben)."
        )
    duties += [
        "Der Verwendungsnachweis (ein Sachbericht über die durchgeführten Maßnahmen und "
        "ihre Ergebnisse sowie ein zahlenmäßiger Nachweis der tatsächlichen Ausgaben je "
        f"Kostenposition und aller Einnahmen) ist bis zum {final_due} vorzulegen.",
        "Unverzüglich mitzuteilen ist, wenn sich der Zweck, der Finanzierungsplan oder "
        "sonst für die Bewilligung maßgebliche Umstände ändern, wenn weitere Mittel für "
        "das Projekt beantragt oder bewilligt werden oder wenn abgerufene Mittel nicht "
        "fristgerecht verbraucht werden können. Eine Verlängerung des "
        "Bewilligungszeitraums oder eine Verschiebung zwischen Kostenpositionen bedarf "
        "eines Änderungsantrags.",
        "Belege und Unterlagen sind für Prüfungen durch die Bewilligungsbehörde und den "
        "Hessischen Rechnungshof bereitzuhalten und aufzubewahren.",
        "Werden Mittel nicht oder nicht rechtzeitig verwendet oder zweckwidrig eingesetzt, "
        "kann der Bescheid ganz oder teilweise widerrufen und die Zuwendung "
        "zurückgefordert werden (Rückforderung, mit Verzinsung des Erstattungsbetrags).",
    ]
    if municipal:
        duties.append(
            "Bei der Vergabe von Aufträgen ist das für Gemeinden und Gemeindeverbände "
            "geltende Vergaberecht anzuwenden."
        )
    else:
        duties.append(
            "Bei der Vergabe von Aufträgen sind die Vergabegrundsätze der ANBest-P zu "
            "beachten; aus der Zuwendung bezahltes Personal darf nicht besser gestellt "
            "werden als vergleichbare Beschäftigte des Landes (Besserstellungsverbot)."
        )
    return [
        paragraph(
            f"Insbesondere ergeben sich aus den {short} und diesem Bescheid folgende Pflichten:"
        ),
        Items(items=duties),
    ]
