"""A :class:`Letter` as a PDF/A-2U document (fpdf2), A4, laid out after DIN 5008 form B.

Fira Sans (regular and bold, from the ``fontpkg_fira_sans`` package) is embedded, so the
file renders the same everywhere and text extraction finds every word. fpdf2 enforces the
PDF/A-2U rules it knows (embedded fonts with Unicode mappings, an sRGB output intent, XMP
metadata, no encryption); the result has not been checked with a PDF/A validator here.

Layout (mm from the page's top-left corner): letterhead at the top, the window's return
line at 47 and the address field 50 to 90 from the left margin at 25, the information
block at 125; the text from 98.5; fold marks at 105 and 210, the punch mark at 148.5;
"Seite N von M" at the foot of every page.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import cache
from importlib import resources
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, XPos, YPos

from services.applications.office.letter import BERLIN, Block, Items, Letter, Paragraph, Run, Table

FONT = "FiraSans"
LEFT, RIGHT, TOP = 25.0, 20.0, 15.0
LINE = 5.0  # line height of body text (10 pt)
INFO_X = 125.0
ADDRESS_LINES = 7  # the address field, 53 to 90 mm from the top


@cache
def _font_file(style: str) -> Path:
    files = resources.files("fontpkg_fira_sans") / "files"
    return Path(str(files / f"FiraSans-{style}.ttf"))


class _LetterPdf(FPDF):
    def __init__(self, letter: Letter) -> None:
        super().__init__(format="A4", unit="mm", enforce_compliance="PDF/A-2U")
        self.letter = letter
        self.add_font(FONT, "", _font_file("Regular"))
        self.add_font(FONT, "B", _font_file("Bold"))
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.cell(0, 4, f"{self.letter.title} · Aktenzeichen {self.letter.file_number}")
        self.ln(8)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(0, 4, f"Seite {self.page_no()} von {{nb}}", align="R")


def _first_page(pdf: _LetterPdf) -> None:
    letter = pdf.letter
    pdf.add_page()
    for mark in (105.0, 148.5, 210.0):  # fold marks and the punch mark
        pdf.line(4, mark, 8 if mark != 148.5 else 10, mark)
    pdf.set_xy(LEFT, TOP)
    for i, line in enumerate(letter.authority):
        pdf.set_font(FONT, "B" if i == 0 else "", 11 if i == 0 else 9)
        pdf.cell(0, 5 if i == 0 else 4.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(LEFT, 47)
    pdf.set_font(FONT, "", 7)
    pdf.cell(85, 3, letter.return_address, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(LEFT, 53)
    pdf.set_font(FONT, "", 10)
    for line in _address_field(pdf, letter.address):
        pdf.cell(85, LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = 50.0
    for label, value in letter.reference:
        pdf.set_xy(INFO_X, y)
        pdf.set_font(FONT, "", 8)
        pdf.cell(25, 4.5, label)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y()
    pdf.set_xy(LEFT, 98.5)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, letter.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for subject in letter.subject:
        _write(pdf, subject)
    pdf.ln(2)


def _address_field(pdf: _LetterPdf, address: list[str]) -> list[str]:
    """The address's lines wrapped to the field's 85 mm. When they are more than the field
    holds, the name (the first) is cut short, then the lines after it are taken from the
    end, so postal code and city stay."""
    name, *rest = [_lines(pdf, line) for line in address]
    below = [line for lines in rest for line in lines]
    room = max(1, ADDRESS_LINES - len(below))
    if len(name) > room:
        name = [*name[: room - 1], name[room - 1].rstrip() + " …"]
    return [*name, *below[-(ADDRESS_LINES - len(name)) :]]


def _lines(pdf: _LetterPdf, text: str) -> list[str]:
    lines = pdf.multi_cell(85, LINE, text, dry_run=True, output=MethodReturnValue.LINES)
    assert isinstance(lines, list)
    return [str(line) for line in lines]


def _write(pdf: _LetterPdf, runs: list[Run]) -> None:
    """Flowing text in regular and bold, then a new line."""
    pdf.set_x(LEFT)
    right = pdf.w - pdf.r_margin
    for run in runs:
        pdf.set_font(FONT, "B" if run.bold else "", 10)
        if run.bold and pdf.get_string_width(run.text) > right - pdf.get_x():
            pdf.ln(LINE)  # an amount in bold is never split across lines
        pdf.write(LINE, run.text)
    pdf.ln(LINE)


def _table(pdf: _LetterPdf, table: Table) -> None:
    pdf.set_font(FONT, "", 9)
    align = tuple("RIGHT" if i in table.amounts else "LEFT" for i in range(len(table.widths)))
    strong = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=tuple(table.widths),
        text_align=align,
        first_row_as_headings=bool(table.header),
        line_height=4.8,
        padding=1,
        headings_style=strong,
    ) as rendered:
        if table.header:
            rendered.row(table.header)
        for i, values in enumerate(table.rows):
            row = rendered.row()
            for value in values:
                row.cell(value, style=strong if i in table.strong else None)
    pdf.ln(2)


def _block(pdf: _LetterPdf, block: Block) -> None:
    match block:
        case Paragraph():
            _write(pdf, block.runs)
            pdf.ln(1.5)
        case Items():
            pdf.set_font(FONT, "", 10)
            for number, item in enumerate(block.items, start=1):
                pdf.set_x(LEFT)
                pdf.cell(7, LINE, f"{number}.")
                pdf.multi_cell(0, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(1)
        case Table():
            _table(pdf, block)


def render_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes; the same letter gives the same document (its dates are the
    letter's, not the time of rendering)."""
    pdf = _LetterPdf(letter)
    issued = datetime.combine(letter.issued_on, time(12), tzinfo=BERLIN)
    pdf.set_creation_date(issued)
    pdf.set_title(f"{letter.title} {letter.file_number}")
    pdf.set_subject(letter.title)
    pdf.set_author(letter.authority[0])
    pdf.set_creator("WIR")
    pdf.set_lang("de-DE")
    _first_page(pdf)
    for section in letter.sections:
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_font(FONT, "B", 11)
        pdf.ln(2)
        pdf.cell(0, 6, section.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for block in section.blocks:
            _block(pdf, block)
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(FONT, "", 10)
    for line in letter.closing:
        pdf.cell(0, LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(LINE * 2)
    pdf.cell(0, LINE, letter.signer, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
