"""The content of a letter, independent of how it is shown: one model, two renderers
(``letter_html`` for the printable page, ``letter_pdf`` for the PDF/A document).

Builders (``bescheid``, ``reclaim``) turn rows into a :class:`Letter`; its text is plain
(renderers escape it). A Zuwendungsbescheid's letter is stored as issued, so the model is
also its storage format: change it only by adding fields with defaults.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from services.applications.catalogue.models import Organisation

AUTHORITY = "Hessisches Ministerium für Soziales und Integration"
AUTHORITY_DATIVE = "Hessischen Ministerium für Soziales und Integration"  # beim …
AUTHORITY_STREET = "Sonnenberger Straße 2/2a"
AUTHORITY_CITY = "65193 Wiesbaden"
AUTHORITY_ADDRESS = f"{AUTHORITY_STREET}, {AUTHORITY_CITY}"
PROGRAMME = "Landesprogramm „WIR“"
DASH = "\u2013"  # shown where a value is missing
BERLIN = ZoneInfo("Europe/Berlin")
#: The address field's line for an organisation without a postal address on file.
NO_ADDRESS = "(keine Postanschrift hinterlegt)"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Run(_Part):
    """A piece of text; a newline in it breaks the line."""

    text: str
    bold: bool = False


class Paragraph(_Part):
    kind: Literal["paragraph"] = "paragraph"
    runs: list[Run]


class Items(_Part):
    """A numbered list."""

    kind: Literal["items"] = "items"
    items: list[str]


class Table(_Part):
    kind: Literal["table"] = "table"
    header: list[str] = Field(default_factory=list)
    rows: list[list[str]]
    #: relative column widths
    widths: list[int]
    #: columns of amounts (right-aligned)
    amounts: list[int] = Field(default_factory=list)
    #: rows shown bold (totals)
    strong: list[int] = Field(default_factory=list)


Block = Annotated[Paragraph | Items | Table, Field(discriminator="kind")]


class Section(_Part):
    heading: str
    blocks: list[Block]


class Letter(_Part):
    """A letter of the granting authority, DIN 5008 in spirit: letterhead, a return line
    and the address in the window, an information block, subject, body, signature."""

    kind: str
    title: str
    file_number: str
    issued_on: date
    authority: list[str]
    return_address: str
    address: list[str]
    #: the information block beside the address: (label, value)
    reference: list[tuple[str, str]]
    subject: list[list[Run]]
    sections: list[Section]
    closing: list[str] = Field(default_factory=lambda: ["Mit freundlichen Grüßen", "Im Auftrag"])
    signer: str


def paragraph(*runs: str | Run) -> Paragraph:
    return Paragraph(runs=[r if isinstance(r, Run) else Run(text=r) for r in runs])


def bold(text: str) -> Run:
    return Run(text=text, bold=True)


def letterhead() -> list[str]:
    return [AUTHORITY, PROGRAMME, AUTHORITY_STREET, AUTHORITY_CITY]


def return_address() -> str:
    return f"{AUTHORITY} · {AUTHORITY_STREET} · {AUTHORITY_CITY}"


def address_lines(organisation: Organisation) -> list[str]:
    """The address field: name, the optional addressee line, street, postal code and city.
    Without a postal address on file the field says so: the letter is issued all the same
    (it is issued from a fact that cannot be refused) and can be sent once one is set."""
    lines = [organisation.name]
    if organisation.street and organisation.postal_code and organisation.city:
        if organisation.addressee:
            lines.append(organisation.addressee)
        lines += [organisation.street, f"{organisation.postal_code} {organisation.city}"]
    else:
        lines.append(NO_ADDRESS)
    return lines


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


def local_date(value: datetime) -> date:
    return value.astimezone(BERLIN).date()
