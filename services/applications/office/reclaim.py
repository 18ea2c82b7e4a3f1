"""The Rückforderungsbescheid after a final report's review with reclaim: its content (a
:class:`Letter`), built from the facts kept when the reclaim was set and the reason the
reviewing officer wrote. A pure function: no I/O.

The read model has no repayment deadline, so the letter states the usual term (one month
after notification) without a date; interest is announced, not computed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from services.applications.office.bescheid import appeal_notice
from services.applications.office.letter import (
    PROGRAMME,
    Letter,
    Run,
    Section,
    Table,
    bold,
    euro,
    german_date,
    letterhead,
    local_date,
    paragraph,
    return_address,
)


class ReclaimFacts(BaseModel):
    """What the Rückforderungsbescheid says, as it stood when the reclaim was set."""

    model_config = ConfigDict(frozen=True)

    file_number: str
    round_id: str
    round_title: str
    project_title: str
    address: list[str]
    granted_amount: Decimal
    paid_amount: Decimal
    spent_amount: Decimal | None
    reclaim_amount: Decimal
    approved_at: datetime | None
    decided_at: datetime
    decided_by: str | None
    signer: str


def build_reclaim_notice(facts: ReclaimFacts, *, reason: str | None) -> Letter:
    """The letter; ``reason`` is what the officer wrote with the report review."""
    reclaim = euro(facts.reclaim_amount)
    bescheid_of = f" vom {german_date(facts.approved_at)}" if facts.approved_at else ""
    figures = [
        ["Bewilligte Zuwendung", euro(facts.granted_amount)],
        ["Ausgezahlte Mittel", euro(facts.paid_amount)],
    ]
    if facts.spent_amount is not None:
        figures.append(["Nachgewiesene zuwendungsfähige Ausgaben", euro(facts.spent_amount)])
    figures.append(["Zu erstattender Betrag", reclaim])
    grounds = [
        paragraph(
            "Die Prüfung Ihres Verwendungsnachweises hat ergeben, dass ausgezahlte Mittel in "
            "der genannten Höhe nicht oder nicht für den Zuwendungszweck verwendet worden "
            "sind. Insoweit ist der Zuwendungsbescheid zu widerrufen und die Zuwendung zu "
            "erstatten."
        )
    ]
    if reason:
        grounds.append(paragraph(f"Im Einzelnen: {reason}"))
    sections = [
        Section(
            heading="1. Entscheidung",
            blocks=[
                paragraph(
                    f"Der Zuwendungsbescheid{bescheid_of} wird teilweise widerrufen. Sie "
                    "werden aufgefordert, einen Betrag von ",
                    bold(reclaim),
                    " zu erstatten.",
                )
            ],
        ),
        Section(
            heading="2. Berechnung",
            blocks=[Table(rows=figures, widths=[8, 2], amounts=[1], strong=[len(figures) - 1])],
        ),
        Section(heading="3. Begründung", blocks=grounds),
        Section(
            heading="4. Zahlung",
            blocks=[
                paragraph(
                    "Der Betrag ist innerhalb eines Monats nach Bekanntgabe dieses Bescheids "
                    f"unter Angabe des Aktenzeichens {facts.file_number} zu überweisen; die "
                    "Zahlungsverbindung wird Ihnen gesondert mitgeteilt. Der "
                    "Erstattungsbetrag ist nach den gesetzlichen Vorschriften zu verzinsen; "
                    "über die Zinsen ergeht eine gesonderte Mitteilung."
                )
            ],
        ),
        Section(heading="5. Rechtsbehelfsbelehrung", blocks=[appeal_notice()]),
    ]
    return Letter(
        kind="reclaim_notice",
        title="Rückforderungsbescheid",
        file_number=facts.file_number,
        issued_on=_issued_on(facts.decided_at),
        authority=letterhead(),
        return_address=return_address(),
        address=facts.address,
        reference=[
            ("Aktenzeichen", facts.file_number),
            ("Förderrunde", facts.round_id),
            ("Datum", german_date(facts.decided_at)),
        ],
        subject=[
            [bold("Betreff:"), Run(text=f" {PROGRAMME}, {facts.round_title}")],
            [Run(text=f"Projekt: „{facts.project_title}“")],
            [
                bold("Bezug:"),
                Run(text=f" Zuwendungsbescheid{bescheid_of}; Ihr Verwendungsnachweis"),
            ],
        ],
        sections=sections,
        signer=facts.signer,
    )


def _issued_on(at: datetime) -> date:
    return local_date(at)
