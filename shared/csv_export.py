"""The one CSV format of WIR's exports, and its one alternative.

``de`` (the default) is made for German spreadsheets, which most offices open the files
with: UTF-8 with a byte order mark (without it Excel reads umlauts as Windows-1252), ``;``
as separator and ``,`` as decimal mark (Excel's and LibreOffice's German defaults, so
amounts arrive as numbers), dates as ``30.09.2028``. ``plain`` is for scripts and
spreadsheets in other locales: ``,`` as separator, ``.`` as decimal mark, ISO 8601 dates
(``2028-09-30``), no byte order mark. Both end lines with CRLF (RFC 4180) and write
booleans as ``true`` / ``false``.

Cells are typed values (text, numbers, dates); this module alone turns them into text, so
an export says only which columns it has (and the header row holds stable English column
names for scripts). Text that a spreadsheet would take for a formula gets a leading
apostrophe: a leading ``=``, ``+``, ``-``, ``@``, their full-width forms (U+FF1D, U+FF0B,
U+FF0D, U+FF20), and the characters a spreadsheet may skip before looking (tab, line
breaks, non-breaking space, byte order mark). Numbers are never text, so a negative amount
stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from fastapi import Query, Response


class CsvFormat(StrEnum):
    de = "de"
    plain = "plain"


@dataclass(frozen=True)
class _Style:
    delimiter: str
    decimal_mark: str
    date_format: str
    bom: str


_STYLES = {
    CsvFormat.de: _Style(delimiter=";", decimal_mark=",", date_format="%d.%m.%Y", bom="\ufeff"),
    CsvFormat.plain: _Style(delimiter=",", decimal_mark=".", date_format="%Y-%m-%d", bom=""),
}

#: The query parameter every CSV export takes.
CsvFormatQuery = Annotated[
    CsvFormat,
    Query(
        alias="format",
        description="`de` (default): for German spreadsheets: `;` separated, decimal comma, "
        "dates as 30.09.2028, UTF-8 with byte order mark. `plain`: `,` separated, decimal "
        "point, ISO 8601 dates, no byte order mark.",
    ),
]

Cell = str | int | float | Decimal | date | bool | None

#: First characters that make Excel or LibreOffice read a cell as a formula, or that they
#: drop before looking (line breaks, tab, non-breaking space, byte order mark), and the
#: full-width forms some input methods type for ``= + - @``.
FORMULA_STARTS = frozenset("=+-@\t\r\n\u00a0\ufeff\uff1d\uff0b\uff0d\uff20")


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet shows it: never as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _cell(value: Cell, style: _Style) -> str:
    match value:
        case None:
            return ""
        case bool():
            return "true" if value else "false"
        case int():
            return str(value)
        case Decimal():
            return format(value, "f").replace(".", style.decimal_mark)
        case float():
            return repr(value).replace(".", style.decimal_mark)
        case datetime():
            raise TypeError("give a date: which day a moment falls on depends on the zone")
        case date():
            return value.strftime(style.date_format)
        case _:
            return safe_text(value)


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, csv_format: CsvFormat
) -> str:
    """The header row and ``rows`` as one CSV document in ``csv_format``."""
    style = _STYLES[csv_format]
    out = io.StringIO()
    out.write(style.bom)
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value, style) for value in row])
    return out.getvalue()


def csv_response(text: str, *, filename: str) -> Response:
    """A CSV document as a download."""
    return Response(
        content=text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
