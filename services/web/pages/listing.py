"""Lists that page: the API's page numbers and the filters kept in the pager's links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

PAGE_SIZE = 20


def offset_of(raw: str | None) -> int:
    try:
        return max(0, min(int(raw or 0), 10_000_000))
    except ValueError:
        return 0


def base_query(filters: dict[str, Any]) -> str:
    """The filters as a query string ending in ``&`` (the pager appends ``offset=``)."""
    kept = {k: v for k, v in filters.items() if v not in (None, "")}
    return urlencode(kept) + "&" if kept else ""
