"""The change requests (Änderungsanträge) of an application as its history tells them: the
application view has no list of its own, so each ``change_requested`` event is one request
and a later ``change_decided`` of the same id its decision."""

from __future__ import annotations

from typing import Any


def from_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for entry in history:
        data = entry.get("data") or {}
        change_id = data.get("change_id")
        if not change_id:
            continue
        if entry.get("type", "").endswith("change_requested"):
            changes[change_id] = {
                "id": change_id,
                "kind": data.get("kind"),
                "new_period_end": data.get("new_period_end"),
                "requested_at": entry.get("time"),
                "requested_by": entry.get("actor"),
                "status": "requested",
            }
        elif entry.get("type", "").endswith("change_decided") and change_id in changes:
            changes[change_id]["status"] = "approved" if data.get("approved") else "rejected"
            changes[change_id]["decided_at"] = entry.get("time")
    return list(changes.values())
