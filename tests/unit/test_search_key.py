"""Folding for search: case, accents, whitespace and invisible characters aside."""

from __future__ import annotations

import pytest

from shared.search import search_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Haddádi", "haddadi"),
        ("HADDADI", "haddadi"),
        ("Haddádi", "haddadi"),  # a + combining acute
        ("Straße", "strasse"),
        ("  Verein\u00a0 der\tKulturen\n", "verein der kulturen"),
        ("Caf\u00e9\u200b", "cafe"),  # zero-width space dropped
        ("Nul\x00byte", "nul byte"),
        ("ﬁnanz", "finanz"),  # ligature decomposed
        ("WIR-2027-00042", "wir-2027-00042"),
        ("Şahin Çelik", "sahin celik"),
    ],
)
def test_search_key_folds(text: str, key: str) -> None:
    assert search_key(text) == key
