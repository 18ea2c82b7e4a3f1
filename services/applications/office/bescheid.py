"""The Zuwendungsbescheid of an approved application: its content (a :class:`Letter`),
built from the rows; ``letter_html`` and ``letter_pdf`` show it.

A pure function of the rows: no I/O, so it can be tested without a database. The
Nebenbestimmungen (``nebenbestimmungen``) follow the applicant type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from services.applications.applications.models import Application
from services.applications.catalogue.models import Organisation
from services.applications.office.letter import (
    AUTHORITY_ADDRESS,
    AUTHORITY_DATIVE,
    BERLIN,
    DASH,
    PROGRAMME,
    Block,
    Letter,
    Run,
    Section,
    Table,
    address_lines,
    bold,
    euro,
    german_date,
    letterhead,
    local_date,
    paragraph,
    percent,
    return_address,
)
from services.applications.office.letter_html import render_html
from services.applications.office.nebenbestimmungen import duties, is_municipal, nebenbestimmungen
from services.applications.rounds.models import FundingRound
from shared.contracts.grants import ApplicationStage, Deadlines

__all__ = [
    "APPROVAL_STAGES",
    "BERLIN",
    "Approval",
    "euro",
    "german_date",
    "nebenbestimmungen",
    "render_bescheid",
]

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

COST_CATEGORIES = {
    "personnel": "Personalausgaben",
    "mini_job": "Personalausgaben (Minijob)",
    "material": "Sachausgaben",
    "fees": "Honorare",
    "other": "Sonstige Ausgaben",
}


@dataclass(frozen=True)
class Approval:
    """The facts of an approval as its event states them: the read model's row may not
    show them yet (the Bescheid is issued while the approval is projected)."""

    granted_amount: Decimal
    decided_by: str | None
    decided_at: datetime


def file_number(application: Application) -> str:
    """The Aktenzeichen: the application's file number (a row built without one, as in
    tests, by its id)."""
    return application.file_number or application.id


def _amount(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None


def _cost_table(lines: Iterable[dict[str, Any]]) -> tuple[Table, Decimal]:
    rows, total = [], Decimal("0")
    for line in lines:
        category = str(line.get("category", ""))
        amount = _amount(line.get("amount"))
        shown = str(line.get("amount", "")) if amount is None else euro(amount)
        total += amount or Decimal("0")
        label = COST_CATEGORIES.get(category, category)
        rows.append([label, str(line.get("description", "")), shown])
    rows.append(["Zuwendungsfähige Gesamtausgaben", "", euro(total)])
    table = Table(
        header=["Kostenposition", "Beschreibung", "Betrag"],
        rows=rows,
        widths=[3, 5, 2],
        amounts=[2],
        strong=[len(rows) - 1],
    )
    return table, total


def _report_table(reports: list[tuple[int, datetime]]) -> Block:
    if not reports:
        return paragraph("Die Termine der Nachweise werden gesondert mitgeteilt.")
    rows = []
    for number, due in sorted(reports, key=lambda r: (r[1], r[0])):
        what = (
            "Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis)"
            if number == 0
            else f"{number}. Zwischennachweis"
        )
        rows.append([what, german_date(due)])
    return Table(header=["Nachweis", "vorzulegen bis"], rows=rows, widths=[7, 3])


def build_bescheid(
    *,
    application: Application,
    organisation: Organisation,
    round_: FundingRound,
    priority_title: str,
    deadlines: Deadlines,
    reports: list[tuple[int, datetime]] | None,
    approval: Approval | None = None,
    signer: str | None = None,
) -> Letter:
    """The Bescheid's content; ``reports`` are (number, due) with 0 for the final report.
    Without them, the final report's due date of the application is listed. ``approval``
    gives the decision's facts (else read from the row); ``signer`` the deciding officer's
    display name (else their user id)."""
    if approval is None:
        if application.granted_amount is None:
            raise ValueError(f"application {application.id} has no granted amount")
        approval = Approval(
            granted_amount=application.granted_amount,
            decided_by=application.decided_by,
            decided_at=application.decided_at or datetime.now(BERLIN),
        )
    granted = approval.granted_amount
    short, title = nebenbestimmungen(organisation.applicant_type)
    cost_table, total_costs = _cost_table(application.cost_lines or [])
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
    number = file_number(application)
    contributions = Table(
        rows=[
            ["Eigenanteil", euro(application.own_contribution)],
            ["Mittel Dritter", euro(application.third_party_contribution)],
            ["Beantragte Zuwendung", euro(application.requested_amount)],
            ["Bewilligte Zuwendung", euro(granted)],
        ],
        widths=[8, 2],
        amounts=[1],
        strong=[3],
    )
    sections = [
        Section(
            heading="1. Bewilligung",
            blocks=[
                paragraph(
                    "Auf Ihren Antrag bewillige ich Ihnen auf der Grundlage der §§ 23 und 44 "
                    "der Hessischen Landeshaushaltsordnung und der Förderrichtlinie zum "
                    f"{PROGRAMME} für den Bewilligungszeitraum {period} eine Zuwendung in "
                    "Höhe von bis zu ",
                    bold(euro(granted)),
                    " (Höchstbetrag) als Projektförderung im Wege der Anteilfinanzierung in "
                    f"Form eines nicht rückzahlbaren Zuschusses.{share}",
                ),
                paragraph(
                    f"Zielgruppe: {application.target_group or DASH}\n"
                    f"Durchführungsort: {application.place or DASH}"
                ),
            ],
        ),
        Section(
            heading="2. Finanzierungsplan",
            blocks=[
                cost_table,
                contributions,
                paragraph(
                    "Der Finanzierungsplan ist verbindlich. Ermäßigen sich die "
                    "zuwendungsfähigen Ausgaben oder erhöhen sich die Deckungsmittel, "
                    "ermäßigt sich die Zuwendung anteilig."
                ),
            ],
        ),
        Section(
            heading="3. Nebenbestimmungen",
            blocks=[
                paragraph(f"Die {short} ({title}) sind Bestandteil dieses Bescheids."),
                *duties(
                    short=short,
                    funds_use_months=round_.funds_use_months,
                    deadlines=deadlines,
                    final_due=final_due,
                    municipal=is_municipal(organisation.applicant_type),
                ),
            ],
        ),
        Section(heading="4. Termine der Nachweise", blocks=[_report_table(reports)]),
        Section(heading="5. Rechtsbehelfsbelehrung", blocks=[appeal_notice()]),
    ]
    return Letter(
        kind="bescheid",
        title="Zuwendungsbescheid",
        file_number=number,
        issued_on=local_date(approval.decided_at),
        authority=letterhead(),
        return_address=return_address(),
        address=address_lines(organisation),
        reference=[
            ("Aktenzeichen", number),
            ("Förderrunde", round_.id),
            ("Datum", german_date(approval.decided_at)),
        ],
        subject=[
            [
                bold("Betreff:"),
                Run(
                    text=f" {PROGRAMME}, {round_.title} {DASH} Förderschwerpunkt „{priority_title}“"
                ),
            ],
            [Run(text=f"Projekt: „{application.title}“")],
            [
                bold("Bezug:"),
                Run(
                    text=f" Ihr Antrag vom {german_date(application.created_at)} "
                    f"(Fassung {application.revision})"
                ),
            ],
        ],
        sections=sections,
        signer=signer or approval.decided_by or "",
    )


def appeal_notice() -> Block:
    return paragraph(
        "Gegen diesen Bescheid kann innerhalb eines Monats nach seiner Bekanntgabe "
        "Widerspruch erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift "
        f"beim {AUTHORITY_DATIVE}, {AUTHORITY_ADDRESS}, einzulegen."
    )


def render_bescheid(**rows: Any) -> str:
    """The Bescheid as HTML (``build_bescheid``'s arguments)."""
    return render_html(build_bescheid(**rows))
