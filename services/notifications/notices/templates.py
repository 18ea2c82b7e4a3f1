"""Notification texts: Jinja2 templates per event type and language (templates/<lang>/).

A template's first line is the subject, the rest the body. Templates see the event's
typed payload as ``e`` and three filters: ``money`` and ``day`` format amounts and dates
the way the language writes them (dates as the calendar day in Hessen), ``ref`` names an
application by its file number and title (``WIR-2027-00042 „WIR-Fallmanagement 2027“``),
or by its id for an event from before file numbers. They are plain text: no HTML
escaping, and nothing but what the event carries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from shared.contracts.envelope import EventData

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def euro(amount: Decimal) -> str:
    """``Decimal("75000")`` → ``"75.000,00 EUR"``."""
    english = f"{amount:,.2f}"
    return english.translate(str.maketrans(",.", ".,")) + " EUR"


def euro_en(amount: Decimal) -> str:
    """``Decimal("75000")`` → ``"EUR 75,000.00"``."""
    return f"EUR {amount:,.2f}"


def _day(moment: datetime | date) -> date:
    """A moment's calendar day in Hessen; a date (an action item's due date) as it is."""
    return moment.astimezone(_hessen()) if isinstance(moment, datetime) else moment


def date_de(moment: datetime | date) -> str:
    """The calendar day of ``moment`` in Hessen, as ``31.12.2027``."""
    return _day(moment).strftime("%d.%m.%Y")


def date_en(moment: datetime | date) -> str:
    """The calendar day of ``moment`` in Hessen, as ``31 December 2027``."""
    day = _day(moment)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _application_ref(data: EventData, opening: str, closing: str) -> str:
    number = getattr(data, "file_number", None) or getattr(data, "application_id", "")
    # one line whatever the title holds: the first line of a text is its subject
    title = " ".join((getattr(data, "title", None) or "").split())
    return f"{number} {opening}{title}{closing}" if title else str(number)


def application_ref_de(data: EventData) -> str:
    """``WIR-2027-00042 „WIR-Fallmanagement 2027“``; the id when the event has neither."""
    return _application_ref(data, "\u201e", "\u201c")


def application_ref_en(data: EventData) -> str:
    """``WIR-2027-00042 “WIR case management 2027”``; the id when the event has neither."""
    return _application_ref(data, "\u201c", "\u201d")


def _hessen() -> tzinfo:
    try:
        return ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:  # no time zone database (e.g. Windows without tzdata)
        return UTC


@cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES / language),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text mail and in-app text
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["money"] = euro if language == "de" else euro_en
    env.filters["day"] = date_de if language == "de" else date_en
    env.filters["ref"] = application_ref_de if language == "de" else application_ref_en
    return env


def has_template(event_type: str) -> bool:
    return (TEMPLATES / DEFAULT_LANGUAGE / f"{event_type}.txt.j2").is_file()


def render(event_type: str, data: EventData, language: str) -> tuple[str, str]:
    """(subject, body) of the notification about ``data`` in ``language`` (German when
    the language has no template)."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        template = _environment(lang).get_template(f"{event_type}.txt.j2")
    except TemplateNotFound:
        template = _environment(DEFAULT_LANGUAGE).get_template(f"{event_type}.txt.j2")
    subject, _, body = template.render(e=data).strip().partition("\n")
    return subject.strip(), body.strip()
