"""Recorded histories of earlier workflow code must replay on the current code.

A failure here means a change would break workflows already running: guard it with
``workflow.patched`` (or a new workflow type) instead of editing the recorded files
(docs/versioning.md). New histories come from ``python -m tests.workflows.record_histories``
and are listed in ``histories/MANIFEST.md``.

The replayer decodes with the production codec (shared/payloads/codec.py); the histories
are encrypted with the test-only key in ``history-keys.json``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from temporalio.client import WorkflowHistory
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.worker import Replayer

from tests.workflows.manifest import history_files
from tests.workflows.record_histories import history_data_converter
from workflows.worker import WORKFLOWS, workflow_runner

HISTORIES = history_files()


def test_histories_cover_every_workflow() -> None:
    names = {path.name.split("-")[0].rstrip("0123456789") for path in HISTORIES}
    assert names == {"grant", "case", "group", "fachtag"}


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=history_data_converter())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


async def test_histories_replay_as_a_traced_worker_runs_them() -> None:
    """With tracing on (shared/tracing.py) the worker runs Temporal's tracing interceptor
    in its sandbox with OpenTelemetry passed through: every history replays that way too."""
    tracer = TracerProvider().get_tracer("replay")
    replayer = Replayer(
        workflows=list(WORKFLOWS),
        data_converter=history_data_converter(),
        interceptors=[TracingInterceptor(tracer)],
        workflow_runner=workflow_runner(),
    )

    async def histories() -> AsyncIterator[WorkflowHistory]:
        for path in HISTORIES:
            yield WorkflowHistory.from_json(path.stem, path.read_text())

    results = await replayer.replay_workflows(histories(), raise_on_replay_failure=False)
    assert results.replay_failures == {}


def _payload_encodings(node: Any, *, readable: bool = False) -> list[tuple[bool, str]]:
    """(meant to be readable by the server?, encoding) of every payload in a history's JSON.

    Readable by design: search attributes (Temporal indexes them), the patch markers the
    SDK's core writes itself (they hold the patch id only) and the core's bookkeeping in a
    local activity's marker (its ``data``: sequence number, attempt, activity type and
    times); the local activity's result is encrypted like any payload."""
    found: list[tuple[bool, str]] = []
    if isinstance(node, dict):
        if isinstance(node.get("data"), str) and isinstance(node.get("metadata"), dict):
            encoding = base64.b64decode(node["metadata"].get("encoding", "")).decode()
            found.append((readable, encoding))
        readable = readable or node.get("markerName") == "core_patch"
        local_activity = node.get("markerName") == "core_local_activity"
        for key, value in node.items():
            if local_activity and key == "details" and isinstance(value, dict):
                for detail, payloads in value.items():
                    found.extend(_payload_encodings(payloads, readable=detail == "data"))
                continue
            found.extend(_payload_encodings(value, readable=readable or key == "searchAttributes"))
    elif isinstance(node, list):
        for value in node:
            found.extend(_payload_encodings(value, readable=readable))
    return found


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
def test_history_holds_ciphertext_except_search_attributes(path: Path) -> None:
    """Every recorded history is encrypted: every payload but the search attributes and
    the SDK's patch markers, which carry codes and patch ids only."""
    encodings = _payload_encodings(json.loads(path.read_text()))
    assert {e for readable, e in encodings if not readable} == {"binary/encrypted"}
    assert {e for readable, e in encodings if readable} <= {"json/plain"}


def test_case_encrypted_history_shows_its_search_attributes_in_clear() -> None:
    path = next(p for p in HISTORIES if p.name == "case-encrypted-run1.json")
    encodings = _payload_encodings(json.loads(path.read_text()))
    assert {e for readable, e in encodings if not readable} == {"binary/encrypted"}
    assert {e for readable, e in encodings if readable} == {"json/plain"}
