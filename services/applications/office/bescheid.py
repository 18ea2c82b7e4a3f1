"""The Zuwendungsbescheid of an approved application, as a printable HTML document (German).

A pure function of the rows: no I/O, so it can be tested without a database. Every value
that comes from the rows is HTML-escaped. The Nebenbestimmungen follow the applicant type:
ANBest-GK for municipal bodies, ANBest-P for everyone else; their duties are summarised
in our own words, the full texts are named and form part of the Bescheid.

Longer than 300 lines because most of it is the document itself (its template and fixed
legal texts), which reads best in one piece.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from services.applications.applications.models import Application
from services.applications.catalogue.models import Organisation
from services.applications.rounds.models import FundingRound
from shared.contracts.eligibility import MUNICIPAL_BODIES
from shared.contracts.grants import ApplicationStage, Deadlines

AUTHORITY = "Hessisches Ministerium für Soziales und Integration"
AUTHORITY_DATIVE = "Hessischen Ministerium für Soziales und Integration"  # beim …
AUTHORITY_ADDRESS = "Sonnenberger Straße 2/2a, 65193 Wiesbaden"
PROGRAMME = "Landesprogramm „WIR“"
DASH = "\u2013"  # shown where a value is missing
BERLIN = ZoneInfo("Europe/Berlin")

#: Stages of an application whose approval stands (the money is committed or was spent).
APPROVAL_STAGES = frozenset(
    {
        ApplicationStage.approved,
        ApplicationStage.active,
        ApplicationStage.report_submitted,
        ApplicationStage.report_corrections,
        ApplicationStage.reclaim,
        ApplicationStage.closed,
    }
)

ANBEST_GK = (
    "ANBest-GK",
    "Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung an Gemeinden und "
    "Gemeindeverbände",
)
ANBEST_P = ("ANBest-P", "Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung")

COST_CATEGORIES = {
    "personnel": "Personalausgaben",
    "mini_job": "Personalausgaben (Minijob)",
    "material": "Sachausgaben",
    "fees": "Honorare",
    "other": "Sonstige Ausgaben",
}

_STYLE = """
@page { size: A4; margin: 20mm 20mm 25mm 25mm; }
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4;
       color: #000; max-width: 170mm; margin: 0 auto; }
header { display: flex; justify-content: space-between; border-bottom: 1px solid #000;
         padding-bottom: 4mm; margin-bottom: 8mm; }
h1 { font-size: 13pt; margin: 8mm 0 4mm; }
h2 { font-size: 11pt; margin: 6mm 0 2mm; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; page-break-inside: avoid; }
th, td { border: 1px solid #666; padding: 1mm 2mm; text-align: left; vertical-align: top; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
.meta td { border: none; padding: 0 2mm 0 0; }
.address { margin: 10mm 0 6mm; }
.signature { margin-top: 12mm; }
"""


@dataclass(frozen=True)
class Approval:
    """The facts of an approval as its event states them: the read model's row may not
    show them yet (the Bescheid is issued while the approval is projected)."""

    granted_amount: Decimal
    decided_by: str | None
    decided_at: datetime


def is_municipal(applicant_type: str) -> bool:
    return applicant_type in {t.value for t in MUNICIPAL_BODIES}


def nebenbestimmungen(applicant_type: str) -> tuple[str, str]:
    """(short name, full title) of the Nebenbestimmungen for this applicant type."""
    return ANBEST_GK if is_municipal(applicant_type) else ANBEST_P


def euro(amount: Decimal | int | str) -> str:
    """German money format: ``Decimal("110000")`` → ``"110.000,00 EUR"``."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    english = f"{value:,.2f}"  # 110,000.00
    return english.replace(",", "_").replace(".", ",").replace("_", ".") + " EUR"


def percent(part: Decimal, whole: Decimal) -> str:
    value = (part * 100 / whole).quantize(Decimal("0.01"))
    return f"{value:.2f}".replace(".", ",") + " %"


def german_date(value: date | datetime | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    return value.strftime("%d.%m.%Y")


def _amount(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None


def _cost_rows(lines: Iterable[dict[str, Any]]) -> tuple[str, Decimal]:
    rows, total = [], Decimal("0")
    for line in lines:
        category = str(line.get("category", ""))
        label = COST_CATEGORIES.get(category, category)
        amount = _amount(line.get("amount"))
        shown = escape(str(line.get("amount", ""))) if amount is None else euro(amount)
        total += amount or Decimal("0")
        rows.append(
            f"<tr><td>{escape(label)}</td><td>{escape(str(line.get('description', '')))}</td>"
            f'<td class="amount">{shown}</td></tr>'
        )
    return "\n".join(rows), total


def _report_rows(reports: list[tuple[int, datetime]]) -> str:
    rows = []
    for number, due in sorted(reports, key=lambda r: (r[1], r[0])):
        what = (
            "Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis)"
            if number == 0
            else f"{number}. Zwischennachweis"
        )
        rows.append(f"<tr><td>{escape(what)}</td><td>{german_date(due)}</td></tr>")
    return "\n".join(rows)


def _duties(
    *, short: str, funds_use_months: int, deadlines: Deadlines, final_due: str, municipal: bool
) -> str:
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
    items = "\n".join(f"<li>{escape(d)}</li>" for d in duties)
    return (
        f"<p>Insbesondere ergeben sich aus den {escape(short)} und diesem Bescheid "
        f"folgende Pflichten:</p>\n<ol>\n{items}\n</ol>"
    )


def render_bescheid(
    *,
    application: Application,
    organisation: Organisation,
    round_: FundingRound,
    priority_title: str,
    deadlines: Deadlines,
    reports: list[tuple[int, datetime]] | None,
    approval: Approval | None = None,
) -> str:
    """The complete HTML document; ``reports`` are (number, due) with 0 for the final
    report. Without them, the final report's due date of the application is listed.
    ``approval`` gives the decision's facts; without it they are read from the row."""
    if approval is None:
        if application.granted_amount is None:
            raise ValueError(f"application {application.id} has no granted amount")
        approval = Approval(
            granted_amount=application.granted_amount,
            decided_by=application.decided_by,
            decided_at=application.decided_at or datetime.now(BERLIN),
        )
    e = escape
    granted = approval.granted_amount
    short, title = nebenbestimmungen(organisation.applicant_type)
    municipal = is_municipal(organisation.applicant_type)
    cost_rows, total_costs = _cost_rows(application.cost_lines or [])
    if reports is None:
        reports = [(0, application.final_report_due_at)] if application.final_report_due_at else []
    final_due = next((german_date(d) for n, d in reports if n == 0), None) or (
        f"{deadlines.final_report_months} Monate nach Ende des Bewilligungszeitraums"
    )
    period = (
        f"vom {german_date(application.funding_period_start)} "
        f"bis zum {german_date(application.funding_period_end)}"
    )
    share = (
        f" Das entspricht {percent(granted, total_costs)} der zuwendungsfähigen "
        f"Gesamtausgaben von {euro(total_costs)}."
        if total_costs > 0
        else ""
    )
    issued = german_date(approval.decided_at)
    signer = approval.decided_by or ""
    report_table = (
        "<table>\n<tr><th>Nachweis</th><th>vorzulegen bis</th></tr>\n"
        f"{_report_rows(reports)}\n</table>"
        if reports
        else "<p>Die Termine der Nachweise werden gesondert mitgeteilt.</p>"
    )
    duties = _duties(
        short=short,
        funds_use_months=round_.funds_use_months,
        deadlines=deadlines,
        final_due=final_due,
        municipal=municipal,
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Zuwendungsbescheid {e(application.id)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<div><strong>{e(AUTHORITY)}</strong><br>{e(AUTHORITY_ADDRESS)}</div>
<table class="meta">
<tr><td>Aktenzeichen:</td><td>{e(application.id)}</td></tr>
<tr><td>Förderrunde:</td><td>{e(round_.id)}</td></tr>
<tr><td>Datum:</td><td>{issued}</td></tr>
</table>
</header>
<div class="address">{e(organisation.name)}</div>
<h1>Zuwendungsbescheid</h1>
<p><strong>Betreff:</strong> {e(PROGRAMME)}, {e(round_.title)} &ndash;
Förderschwerpunkt „{e(priority_title)}“<br>
Projekt: „{e(application.title)}“<br>
<strong>Bezug:</strong> Ihr Antrag vom {german_date(application.created_at)}
(Fassung {application.revision})</p>
<h2>1. Bewilligung</h2>
<p>Auf Ihren Antrag bewillige ich Ihnen auf der Grundlage der §§ 23 und 44 der Hessischen
Landeshaushaltsordnung und der Förderrichtlinie zum {e(PROGRAMME)} für den
Bewilligungszeitraum {period} eine Zuwendung in Höhe von bis zu
<strong>{euro(granted)}</strong> (Höchstbetrag) als Projektförderung im Wege der
Anteilfinanzierung in Form eines nicht rückzahlbaren Zuschusses.{share}</p>
<p>Zielgruppe: {e(application.target_group) or DASH}<br>
Durchführungsort: {e(application.place) or DASH}</p>
<h2>2. Finanzierungsplan</h2>
<table>
<tr><th>Kostenposition</th><th>Beschreibung</th><th class="amount">Betrag</th></tr>
{cost_rows}
<tr><th colspan="2">Zuwendungsfähige Gesamtausgaben</th>
<th class="amount">{euro(total_costs)}</th></tr>
</table>
<table>
<tr><td>Eigenanteil</td><td class="amount">{euro(application.own_contribution)}</td></tr>
<tr><td>Mittel Dritter</td>
<td class="amount">{euro(application.third_party_contribution)}</td></tr>
<tr><td>Beantragte Zuwendung</td>
<td class="amount">{euro(application.requested_amount)}</td></tr>
<tr><th>Bewilligte Zuwendung</th><th class="amount">{euro(granted)}</th></tr>
</table>
<p>Der Finanzierungsplan ist verbindlich. Ermäßigen sich die zuwendungsfähigen Ausgaben
oder erhöhen sich die Deckungsmittel, ermäßigt sich die Zuwendung anteilig.</p>
<h2>3. Nebenbestimmungen</h2>
<p>Die {e(short)} ({e(title)}) sind Bestandteil dieses Bescheids.</p>
{duties}
<h2>4. Termine der Nachweise</h2>
{report_table}
<h2>5. Rechtsbehelfsbelehrung</h2>
<p>Gegen diesen Bescheid kann innerhalb eines Monats nach seiner Bekanntgabe Widerspruch
erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift beim
{e(AUTHORITY_DATIVE)}, {e(AUTHORITY_ADDRESS)}, einzulegen.</p>
<div class="signature">Mit freundlichen Grüßen<br>Im Auftrag<br><br>{e(signer)}</div>
</body>
</html>
"""
