"""Lists that page: the API's page numbers and the filters kept in the pager's links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from services.web.deps import View

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


async def with_organisation_names(view: View, found: dict[str, Any]) -> dict[str, Any]:
    """The page of applications with each organisation's name (one call for the page: the
    list API names organisations by id only)."""
    organisations = await view.api.get("applications", "/organisations", {"limit": 200})
    names = {o["id"]: o["name"] for o in organisations["items"]}
    for item in found["items"]:
        item["organisation_name"] = names.get(item["organisation_id"])
    return found
