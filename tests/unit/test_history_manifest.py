"""The history manifest lists every recorded history, and each with the patches it pins."""

from __future__ import annotations

import json

from tests.workflows.manifest import history_files, patches_in, read_manifest, workflow_type
from tests.workflows.record_histories import SCENARIOS


def test_every_history_is_listed_once_and_every_row_has_its_file() -> None:
    listed = [entry.history for entry in read_manifest()]
    assert len(listed) == len(set(listed)), "a history is listed twice"
    assert set(listed) == {path.name for path in history_files()}


def test_each_row_says_what_its_history_holds() -> None:
    files = {path.name: path for path in history_files()}
    for entry in read_manifest():
        history = json.loads(files[entry.history].read_text())
        assert entry.workflow == workflow_type(history), entry.history
        assert entry.patches == patches_in(history), entry.history
        assert entry.scenario in SCENARIOS, entry
