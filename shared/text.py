"""Validated text and amount types for request bodies.

``Name``: a name of a person or organisation. Surrounding whitespace is stripped; a name
with a control character (NUL, a newline, …) or one that is blank once whitespace and the
invisible format characters (zero-width, bidi controls) are set aside is refused, and so is
any bidi embedding, override or isolate (they make a name read differently from what it
holds). A zero-width joiner or non-joiner inside a visible name stays: Persian and Indic
names need them.

``AsciiDecimal``: money as JSON numbers or as strings of ASCII digits only. ``Decimal``
reads any Unicode digit (Arabic-Indic five thousand would become 5000.00), which a form
field must not do.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

#: Embeddings, overrides and isolates (LRE … RLO, LRI … PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


#: What ends or breaks a line of a log: C0/C1 controls (newline, escape, ...) and the Unicode
#: line and paragraph separators.
LINE_BREAKING_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def breaks_lines(char: str) -> bool:
    return unicodedata.category(char) in LINE_BREAKING_CATEGORIES


def has_control_character(text: str) -> bool:
    """Whether ``text`` holds a character that could forge or break a log line."""
    return any(breaks_lines(c) for c in text)


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def check_name(value: str) -> str:
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"must not contain the control character U+{ord(char):04X}")
        if char in BIDI_CONTROLS:
            raise ValueError(f"must not contain the bidi control U+{ord(char):04X}")
    if all(_invisible(char) for char in value):
        raise ValueError("must contain a visible character")
    return value


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if all(_invisible(char) for char in value):
            return None
    return value


def _check_optional_name(value: str | None) -> str | None:
    return None if value is None else check_name(value)


def check_amount_text(value: Any) -> Any:
    """Strings must be ASCII digits (a sign and a decimal point allowed), nothing else."""
    if isinstance(value, str) and not _AMOUNT.fullmatch(value):
        raise ValueError("an amount is written in ASCII digits, e.g. 5000.00")
    return value


#: A required name; give its ``max_length`` with ``Field`` where it is used.
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_name)
]
#: A name that may be absent: blank (whitespace or invisible characters only) is none.
OptionalName = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_check_optional_name)
]
#: A decimal read from a JSON number or from a string of ASCII digits only; amounts add
#: their bounds and ``decimal_places`` with ``Field``.
AsciiDecimal = Annotated[Decimal, BeforeValidator(check_amount_text)]
