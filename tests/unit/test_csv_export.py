"""The one CSV format of WIR's exports (shared/csv_export.py): German spreadsheets by
default, ``plain`` on request, typed cells turned into text in one place."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from shared.csv_export import Cell, CsvFormat, csv_text

ROW: list[Cell] = [
    "=SUM(A1)",
    Decimal("1234.50"),
    Decimal("-5.00"),
    0.667,
    7,
    date(2028, 9, 30),
    True,
    None,
]


def test_the_default_is_for_german_spreadsheets() -> None:
    text = csv_text(("a", "b"), [ROW], csv_format=CsvFormat.de)
    assert text.startswith("\ufeffa;b\r\n")
    [row] = list(csv.reader(text.removeprefix("\ufeff").splitlines()[1:], delimiter=";"))
    assert row == ["'=SUM(A1)", "1234,50", "-5,00", "0,667", "7", "30.09.2028", "true", ""]


def test_plain_has_commas_decimal_points_iso_dates_and_no_bom() -> None:
    text = csv_text(("a", "b"), [ROW], csv_format=CsvFormat.plain)
    assert text.startswith("a,b\r\n")
    [row] = list(csv.reader(text.splitlines()[1:]))
    assert row == ["'=SUM(A1)", "1234.50", "-5.00", "0.667", "7", "2028-09-30", "true", ""]


def test_a_moment_must_be_given_as_its_day() -> None:
    with pytest.raises(TypeError):
        csv_text(("a",), [[datetime(2028, 9, 30, tzinfo=UTC)]], csv_format=CsvFormat.de)
