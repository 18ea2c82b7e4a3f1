"""The one written form of money (shared/money.py)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from shared.money import MoneyOut, money_json, money_text


class _Out(BaseModel):
    amount: MoneyOut
    maybe: MoneyOut | None = None


def test_every_amount_has_two_decimals() -> None:
    assert money_text(Decimal("0")) == "0.00"
    assert money_text(Decimal("1E+3")) == "1000.00"
    assert money_text(Decimal("-5.5")) == "-5.50"
    assert _Out(amount=Decimal("0")).model_dump(mode="json") == {"amount": "0.00", "maybe": None}
    assert _Out(amount=Decimal("7")).model_dump()["amount"] == Decimal("7")  # Python: a number


def test_amounts_kept_as_json_are_rewritten_and_nothing_else() -> None:
    assert [money_json(v) for v in ("0", 0, 12.5, "1000.00")] == [
        "0.00",
        "0.00",
        "12.50",
        "1000.00",
    ]
    assert [money_json(v) for v in (None, "n/a", True)] == [None, "n/a", True]
