"""Recorded histories of earlier workflow code must replay on the current code.

A failure here means a change would break workflows already running: guard it with
``workflow.patched`` (or a new workflow type) instead of editing the recorded files.
New histories come from ``python -m tests.workflows.record_histories``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.worker import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_cover_both_workflows() -> None:
    names = {path.name.split("-")[0].rstrip("0123456789") for path in HISTORIES}
    assert names == {"grant", "case"}


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"
