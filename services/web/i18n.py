"""Message catalogues and the reader's formats: German first, English second.

The ``.po`` files under ``locale/`` are read at start-up (no compile step): each becomes a
gettext translations object. Texts in Python code are marked with :func:`N_` and translated
where they are shown; templates call ``_()``. Dates and amounts follow the reader's locale
(``1.234,56 €``, ``31.01.2027``).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = {"de": "de_DE", "en": "en_GB"}
ZONE = ZoneInfo("Europe/Berlin")
#: shown where a value is missing (an en dash)
NONE = "\u2013"


def N_(message: str) -> str:
    """Marks a text for the catalogues; it is translated where it is shown."""
    return message


def catalogue_files(language: str) -> list[Path]:
    """Every catalogue of ``language``: messages.po first, then one per area (cases.po, …),
    whose texts win where both have one."""
    found = sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))
    return sorted(found, key=lambda path: path.name != "messages.po")


def load_translations(language: str) -> Translations:
    """The catalogues of ``language`` merged into one (an id in two files: the later wins)."""
    merged: Translations | None = None
    for path in catalogue_files(language):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(buffer)
        if merged is None:
            merged = loaded
        else:
            merged.merge(loaded)
    return merged if merged is not None else Translations()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value: object, language: str) -> str:
    amount = _decimal(value)
    if amount is None:
        return NONE
    return str(format_currency(amount, "EUR", locale=LOCALES[language]))


def number(value: object, language: str) -> str:
    amount = _decimal(value)
    return NONE if amount is None else str(format_decimal(amount, locale=LOCALES[language]))


def amount_input(value: object, language: str) -> str:
    """An amount as the reader types it into a field (``1234,56`` in German)."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    text = f"{amount:.2f}"
    return text.replace(".", ",") if language == "de" else text


def _moment(value: object) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


def day(value: object, language: str) -> str:
    moment = _moment(value)
    if moment is None:
        return NONE
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZONE).date()
    return str(format_date(moment, "medium", locale=LOCALES[language]))


def moment(value: object, language: str) -> str:
    when = _moment(value)
    if not isinstance(when, datetime):
        return day(value, language)
    return str(format_datetime(when, "medium", tzinfo=ZONE, locale=LOCALES[language]))


def parse_amount(text: str, language: str) -> Decimal | None:
    """An amount the reader typed: ``1.234,56`` or ``1234,56`` in German, ``1,234.56`` in
    English; None if it is none."""
    cleaned = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if language == "de":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
