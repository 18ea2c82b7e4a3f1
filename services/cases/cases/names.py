"""How a person's name is normalised: for the duplicate flag at intake and for the search.

Accents, case, punctuation and the order of the name parts do not matter. The normalised
name is personal data like the name itself: it lives in ``persons.name_key`` only.
"""

from __future__ import annotations

import unicodedata


def name_tokens(text: str) -> list[str]:
    """The words of ``text`` without accents, case-folded: ``"Al-Haddádi"`` →
    ``["al", "haddadi"]``; ``"HADDADI"`` → ``["haddadi"]``."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return letters.casefold().split()


def name_key(given_name: str, family_name: str) -> str:
    """The person's name as possible duplicates are found by (with the date of birth) and
    as the search matches it: the tokens of both names, sorted. A flag for the case manager
    at intake, never a block, since two people may share both.

    ``("Amína", "Al-Haddadi")`` and ``("al haddadi", "amina")`` give the same key."""
    return " ".join(sorted(name_tokens(f"{given_name} {family_name}")))[:200]
