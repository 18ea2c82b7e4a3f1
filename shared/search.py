"""Search that ignores case and accents, the same on SQLite and PostgreSQL.

Neither database folds accents portably (SQLite's ``lower`` knows only ASCII, PostgreSQL's
``unaccent`` is an extension that may be missing), so the text to be found is stored a
second time, folded by :func:`search_key` when it is written, and a query folded the same
way is matched against it with ``LIKE``: ``Haddádi``, ``HADDADI`` and ``haddadi`` all
become ``haddadi``. ``ß`` becomes ``ss``; ``ü`` becomes ``u`` (so ``Muenchen`` does not
find ``München``; ``Munchen`` does).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, SQLColumnExpression

#: The escape character of the ``LIKE`` patterns built here.
ESCAPE = "\\"


def _folded(char: str) -> str:
    if unicodedata.combining(char):
        return ""
    category = unicodedata.category(char)
    if category == "Cc":  # controls (NUL, line breaks): PostgreSQL takes no NUL in text
        return " "
    return "" if category in ("Cf", "Cs", "Co", "Cn") else char


def search_key(text: str) -> str:
    """``text`` folded for search: compatibility-decomposed (NFKD), combining marks and
    invisible characters dropped, controls made spaces, case-folded, runs of whitespace
    made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(_folded(c) for c in decomposed)
    return " ".join(bare.casefold().split())


def _escaped(key: str) -> str:
    return key.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains(column: SQLColumnExpression[str], query: str) -> ColumnElement[bool]:
    """``column`` (holding :func:`search_key` values) contains the folded ``query``."""
    return column.like(f"%{_escaped(search_key(query))}%", escape=ESCAPE)


def starts_with(column: SQLColumnExpression[str], query: str) -> ColumnElement[bool]:
    """``column`` (holding :func:`search_key` values) starts with the folded ``query``."""
    return column.like(f"{_escaped(search_key(query))}%", escape=ESCAPE)
