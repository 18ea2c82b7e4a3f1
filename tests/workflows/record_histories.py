"""Record workflow histories for the replay test.

``python -m tests.workflows.record_histories SCENARIO...`` runs the named scenarios (all
of them without arguments) against the current workflow code and writes their histories to
``tests/workflows/histories/``, one row each in ``histories/MANIFEST.md`` (the patches it
pins, the commit it was recorded from). Existing files are never overwritten: they are what
earlier code left running, and the replay test proves that later code still replays them.
Add a scenario (with a new name) when a workflow gains new paths or a patch; the policy is
in docs/versioning.md. Record from committed workflow code: the manifest names the commit.

Payloads are encrypted like production (shared/payloads/codec.py), with the test-only key in
``history-keys.json``, which the replay test reads too. Never replace that file: the
histories recorded with it would no longer decrypt.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.payloads.codec import Keyring, encrypted_data_converter
from tests.servers import binary
from tests.workflows import case_scenarios, group_scenarios, manifest
from tests.workflows.conftest import PublishedEvents, register_search_attributes
from tests.workflows.fachtag_steps import fachtag_cancelled_scenario, fachtag_full_scenario
from tests.workflows.grant_scenarios import Save, grant_review_overdue_scenario, grant_scenarios
from tests.workflows.manifest import HISTORIES
from workflows.grant_application.activities import check_eligibility
from workflows.worker import WORKFLOWS

HISTORY_KEYS = Path(__file__).parent / "history-keys.json"


def history_data_converter() -> DataConverter:
    """Encryption with the test-only keyring the recorded histories were written with."""
    keyring = Keyring.from_json(HISTORY_KEYS.read_text(), source=str(HISTORY_KEYS))
    return encrypted_data_converter(keyring)


def recording_commit() -> str:
    """The short commit of the workflow code; refused while that code has changes not
    committed, since the manifest could not name the code a history came from."""
    root = Path(__file__).parents[2]
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "workflows", "shared/contracts"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if changed:
        raise SystemExit(f"commit the workflow code before recording:\n{changed}")
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@dataclass
class Recording:
    scenario: str = ""
    commit: str = ""
    written: list[manifest.Entry] = field(default_factory=list)


RECORDING = Recording()


async def _save(client: Client, workflow_id: str, first_run_id: str | None, name: str) -> None:
    """Every run of the workflow (continue-as-new makes several), oldest first."""
    run_id, index = first_run_id, 1
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        target = HISTORIES / f"{name}-run{index}.json"
        if target.exists():
            print(f"kept {target.name} (recorded earlier; never overwritten)")
        else:
            text = history.to_json()
            target.write_text(text)
            parsed = json.loads(text)
            RECORDING.written.append(
                manifest.Entry(
                    history=target.name,
                    workflow=manifest.workflow_type(parsed),
                    scenario=RECORDING.scenario,
                    patches=manifest.patches_in(parsed),
                    commit=RECORDING.commit,
                )
            )
            print(f"wrote {target.name}")
        last = history.events[-1]
        run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
        index += 1


async def _grant(env: WorkflowEnvironment, queue: str) -> None:
    await grant_scenarios(env, queue, _save)


async def _grant_review_overdue(env: WorkflowEnvironment, queue: str) -> None:
    await grant_review_overdue_scenario(env, queue, _save)


def _case(
    scenario: Callable[[WorkflowEnvironment, str, Save], Awaitable[None]],
) -> Callable[[WorkflowEnvironment, str], Awaitable[None]]:
    async def run(env: WorkflowEnvironment, queue: str) -> None:
        await scenario(env, queue, _save)

    return run


SCENARIOS: dict[str, Callable[[WorkflowEnvironment, str], Awaitable[None]]] = {
    "grant": _grant,
    "grant-review-overdue": _grant_review_overdue,
    "case-full": _case(case_scenarios.case_full_scenario),
    "case-deadlines": _case(case_scenarios.case_deadlines_scenario),
    "case-plan": _case(case_scenarios.case_plan_scenario),
    "case-opened-first": _case(case_scenarios.case_opened_first_scenario),
    "case-encrypted": _case(case_scenarios.case_encrypted_scenario),
    "case-checkins-from-start": _case(case_scenarios.case_checkins_from_start_scenario),
    "fachtag-full": _case(fachtag_full_scenario),
    "fachtag-cancelled": _case(fachtag_cancelled_scenario),
    "group-cycle": _case(group_scenarios.group_cycle_scenario),
    "group-meeting-cycle": _case(group_scenarios.group_meeting_cycle_scenario),
}


async def main(names: list[str]) -> None:
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}; known: {sorted(SCENARIOS)}")
    RECORDING.commit = recording_commit()
    HISTORIES.mkdir(exist_ok=True)
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=history_data_converter(),
    )
    await register_search_attributes(env.client)
    queue = "record"
    published = PublishedEvents()
    async with (
        env,
        Worker(
            env.client,
            task_queue=queue,
            workflows=list(WORKFLOWS),
            activities=[published.publish_event, check_eligibility],
        ),
    ):
        try:
            for name in names or list(SCENARIOS):
                RECORDING.scenario = name
                await SCENARIOS[name](env, queue)
        finally:
            manifest.append(RECORDING.written)
    print(f"{len(list(HISTORIES.glob('*.json')))} histories in {HISTORIES}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
