"""The attachments an application page shows (services/web/pages/attachments.py has the
upload and download routes)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from services.web.deps import View

REPORT_STAGES = {"active", "report_submitted", "report_corrections", "reclaim", "closed"}


def _years(app: dict[str, Any]) -> int:
    start = date.fromisoformat(str(app["funding_period_start"]))
    end = date.fromisoformat(str(app["funding_period_end"]))
    return max(1, min(10, (end - start).days // 365 + 1))


async def lists(view: View, app: dict[str, Any]) -> dict[str, Any]:
    """The attachments the application page shows: the application's, and in the funding
    period each interim report's and the final report's."""
    base = f"/applications/{app['id']}"
    paths = [base + "/attachments"]
    numbers = list(range(1, _years(app) + 1)) if app["stage"] in REPORT_STAGES else []
    paths += [f"{base}/interim-reports/{n}/attachments" for n in numbers]
    if numbers:
        paths.append(base + "/final-report/attachments")
    found = await asyncio.gather(*(view.api.get("applications", p) for p in paths))
    items = [page["items"] for page in found]
    return {
        "application": items[0],
        "interim": [(n, items[i + 1]) for i, n in enumerate(numbers) if items[i + 1]],
        "final": items[-1] if numbers else [],
        "years": numbers,
        "year_options": [(str(n), str(n)) for n in numbers],
    }
