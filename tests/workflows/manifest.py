"""``histories/MANIFEST.md``: which recorded history pins which patch, and from which commit.

One table row per history file. ``record_histories`` appends the rows of the files it
writes; ``tests/unit/test_history_manifest.py`` holds the table and the files equal, and
each row's patches equal the patch markers in its history (see docs/versioning.md).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HISTORIES = Path(__file__).parent / "histories"
MANIFEST = HISTORIES / "MANIFEST.md"
NONE = "-"
_ROW = re.compile(r"^\| `([^`]+)` \| (\S+) \| (\S+) \| ([^|]+) \| `([0-9a-f]{7,40})` \|$")


@dataclass(frozen=True)
class Entry:
    history: str  # file name in histories/
    workflow: str  # workflow type
    scenario: str  # record_histories scenario that wrote it
    patches: tuple[str, ...]  # patch ids the history's run passed through (its markers)
    commit: str  # short commit of the code that recorded it

    def row(self) -> str:
        patches = ", ".join(self.patches) or NONE
        return (
            f"| `{self.history}` | {self.workflow} | {self.scenario} | {patches} "
            f"| `{self.commit}` |"
        )


def history_files() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


def read_manifest() -> list[Entry]:
    entries = []
    for line in MANIFEST.read_text().splitlines():
        match = _ROW.match(line.strip())
        if match is None:
            continue
        history, workflow, scenario, patches, commit = match.groups()
        pinned = tuple(p.strip() for p in patches.split(",") if p.strip() not in ("", NONE))
        entries.append(Entry(history, workflow, scenario, pinned, commit))
    return entries


def append(entries: list[Entry]) -> None:
    """Add rows at the end of the table (the retired histories follow it)."""
    lines = MANIFEST.read_text().splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("|"))
    lines[last + 1 : last + 1] = [entry.row() for entry in entries]
    MANIFEST.write_text("\n".join(lines) + "\n")


def workflow_type(history: dict[str, Any]) -> str:
    started = history["events"][0]["workflowExecutionStartedEventAttributes"]
    return str(started["workflowType"]["name"])


def patches_in(history: dict[str, Any]) -> tuple[str, ...]:
    """The patch ids of the history's ``core_patch`` markers, in order, each once."""
    found: list[str] = []
    for event in history["events"]:
        marker = event.get("markerRecordedEventAttributes")
        if not marker or marker.get("markerName") != "core_patch":
            continue
        for payload in marker["details"]["patch-data"]["payloads"]:
            patch = json.loads(base64.b64decode(payload["data"]))["id"]
            if patch not in found:
                found.append(patch)
    return tuple(found)
