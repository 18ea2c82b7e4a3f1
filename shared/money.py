"""One written form for every amount of money WIR answers with: euros with exactly two
decimals, as a JSON string (``"0.00"``, ``"50000.00"``), whether the amount came from a
request (``"0"``, ``50000``), a database column or a sum.

``MoneyOut`` is the type of every amount in a response body; ``to_cents`` makes an amount
of a request exact to the cent before anything stores or compares it; ``money_json``
rewrites an amount already kept as JSON (revision contents, cost lines) the same way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import PlainSerializer

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    """``value`` with exactly two decimals (requests allow no more, so nothing is rounded)."""
    return value.quantize(CENT)


def money_text(value: Decimal) -> str:
    """``Decimal("0")`` → ``"0.00"``; ``Decimal("1E+3")`` → ``"1000.00"``."""
    return format(to_cents(value), "f")


def money_json(value: Any) -> Any:
    """An amount kept as JSON (string or number) in the written form; anything else (None,
    text that is no number) as it is."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    try:
        return money_text(Decimal(str(value)))
    except InvalidOperation:
        return value


MoneyOut = Annotated[Decimal, PlainSerializer(money_text, return_type=str, when_used="json")]
