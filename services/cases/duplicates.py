"""Possible duplicate persons: the same normalised name and date of birth.

A flag for the case manager at intake, never a block: two people may share both.
"""

from __future__ import annotations

import unicodedata


def name_key(given_name: str, family_name: str) -> str:
    """Accents, case, punctuation and the order of the name parts do not matter:
    ``("Amína", "Al-Haddadi")`` and ``("al haddadi", "amina")`` give the same key."""
    text = unicodedata.normalize("NFKD", f"{given_name} {family_name}")
    letters = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(sorted(letters.casefold().split()))[:200]
