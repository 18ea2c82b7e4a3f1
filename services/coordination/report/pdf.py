"""The activity report (Sachbericht) as a PDF/A-2U document (fpdf2, Fira Sans embedded),
made the way the applications service makes its letters (office/letter_pdf.py).

A4 portrait: title and grant, then one section per figure group, each a two-column table
(what, how many); "Seite N von M" at the foot of every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.coordination.report.export import (
    KIND_LABELS,
    LEVEL_LABELS,
    PRIORITY_TITLES,
    STATUS_LABELS,
)
from services.coordination.report.figures import ActivityReport

FONT = "FiraSans"
BERLIN = ZoneInfo("Europe/Berlin")
LEFT, RIGHT, TOP = 25.0, 20.0, 20.0
LINE = 6.0


@cache
def _font_file(style: str) -> Path:
    files = resources.files("fontpkg_fira_sans") / "files"
    return Path(str(files / f"FiraSans-{style}.ttf"))


class _ReportPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4", unit="mm", enforce_compliance="PDF/A-2U")
        self.report_title = title
        self.add_font(FONT, "", _font_file("Regular"))
        self.add_font(FONT, "B", _font_file("Bold"))
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()
        self.set_title(title)
        self.set_lang("de-DE")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(0, 4, f"{self.report_title} · Seite {self.page_no()} von {{nb}}", align="R")

    def section(self, heading: str, lines: Sequence[tuple[str, str]]) -> None:
        self.ln(4)
        self.set_font(FONT, "B", 12)
        self.cell(0, LINE + 1, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        width = self.w - LEFT - RIGHT
        for label, value in lines:
            self.cell(width - 30, LINE, label, border="B")
            self.cell(30, LINE, value, border="B", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def report_pdf(report: ActivityReport, *, office: str) -> bytes:
    """The report of ``office`` (e.g. "Landkreis Waldeck-Frankenberg") as PDF bytes."""
    title = f"Sachbericht {report.year}"
    pdf = _ReportPdf(title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    for line in (
        PRIORITY_TITLES[report.priority],
        office,
        "Landesprogramm „WIR“ · Anlage zum Verwendungsnachweis (Sachbericht)",
        f"Berichtsjahr {report.year} · erstellt am "
        + report.generated_at.astimezone(BERLIN).strftime("%d.%m.%Y"),
    ):
        pdf.cell(0, LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.section(
        "Sitzungen der Arbeitsgruppen",
        [("Sitzungen insgesamt", str(report.meetings_held))]
        + [(g.working_group, str(g.meetings)) for g in report.meetings_by_working_group],
    )
    pdf.section(
        "Erreichte Akteure nach Art",
        [("Akteure insgesamt", str(report.actors_reached))]
        + [(t, str(n)) for t, n in report.actors_reached_by_type.items()],
    )
    pdf.section(
        "Fachtage und Informationsveranstaltungen",
        [
            ("Veranstaltungen durchgeführt", str(report.events_held)),
            ("davon dokumentiert", str(report.events_documented)),
            ("Teilnahmen insgesamt", str(report.participants)),
        ]
        + [(KIND_LABELS[k], str(n)) for k, n in report.participants_by_kind.items()]
        + [
            (
                f"{LEVEL_LABELS[lv]}: Veranstaltungen / Teilnahmen",
                f"{n} / {report.participants_by_level.get(lv, 0)}",
            )
            for lv, n in report.events_by_level.items()
        ]
        + [(f"{e.held_on:%d.%m.%Y} {e.title}", str(e.participants)) for e in report.events],
    )
    pdf.section(
        "Maßnahmen der interkulturellen Öffnung",
        [
            ("Begleitete Institutionen", str(report.institutions_accompanied)),
            ("Maßnahmen insgesamt", str(report.measures)),
        ]
        + [(STATUS_LABELS.get(s, s), str(n)) for s, n in report.measures_by_status.items()],
    )
    return bytes(pdf.output())
