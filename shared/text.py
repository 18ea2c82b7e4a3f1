"""Validated text and amount types for request bodies.

``Name``: a name of a person or organisation. Surrounding whitespace is stripped; a name
with a control character (NUL, a newline, …) or one that is blank once whitespace and the
invisible format characters (zero-width, bidi controls) are set aside is refused, and so is
any bidi embedding, override or isolate (they make a name read differently from what it
holds). A zero-width joiner or non-joiner inside a visible name stays: Persian and Indic
names need them.

``AsciiDecimal``: money as JSON numbers or as strings of ASCII digits only. ``Decimal``
reads any Unicode digit (Arabic-Indic five thousand would become 5000.00), which a form
field must not do. :func:`amount_schema` gives an amount its JSON Schema, with the bounds
and the two decimal places as keywords a client's validator knows (pydantic would write
its own ``decimal_places``, ``gt`` and ``le``, which no validator reads).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

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


#: What the document says of a name (check_name is the rule): no C0/C1 control character,
#: no bidi embedding, override or isolate, and something besides whitespace.
_REFUSED = r"\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
#: whitespace and the common invisible format characters (soft hyphen, zero-width, BOM)
_INVISIBLE = r"\s\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff"
NAME_PATTERN = f"^[^{_REFUSED}]*[^{_INVISIBLE}{_REFUSED}][^{_REFUSED}]*$"
_NAME_DOC = Field(
    json_schema_extra={"pattern": NAME_PATTERN},
    description="No control characters or bidi controls; at least one visible character",
)

#: A required name; give its ``max_length`` with ``Field`` where it is used.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_name),
    _NAME_DOC,
]
#: A name that may be absent: blank (whitespace or invisible characters only) is none.
OptionalName = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_check_optional_name)
]
#: A decimal read from a JSON number or from a string of ASCII digits only; amounts add
#: their bounds and ``decimal_places`` with ``Field``.
AsciiDecimal = Annotated[Decimal, BeforeValidator(check_amount_text)]


def amount_schema(*, maximum: int, positive: bool) -> WithJsonSchema:
    """The JSON Schema of an amount from 0 (or above 0 when ``positive``) to ``maximum`` (a
    power of ten) with at most two decimal places: a number, or a string of ASCII digits.
    The string's pattern leaves out some spellings the service also reads (``5.``, ``+5``),
    never one it refuses."""
    digits = len(str(maximum)) - 1
    if str(maximum) != "1" + "0" * digits:
        raise ValueError("maximum must be a power of ten")
    cents = r"(?:\.[0-9]{1,2})?"
    if positive:
        below = rf"0*[1-9][0-9]{{0,{digits - 1}}}{cents}|0*\.(?:[1-9][0-9]?|0[1-9])"
    else:
        below = rf"[0-9]{{1,{digits}}}{cents}"
    number: dict[str, Any] = {"type": "number", "maximum": maximum, "multipleOf": 0.01}
    number |= {"exclusiveMinimum": 0} if positive else {"minimum": 0}
    text = {"type": "string", "pattern": rf"^(?:{below}|{maximum}(?:\.0{{1,2}})?)$"}
    description = f"{'Above' if positive else 'From'} 0 to {maximum}, at most two decimal places"
    return WithJsonSchema({"anyOf": [number, text], "description": description})
