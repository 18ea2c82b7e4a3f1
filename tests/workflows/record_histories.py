"""Record workflow histories for the replay test.

``python -m tests.workflows.record_histories SCENARIO...`` runs the named scenarios (all
of them without arguments) against the current workflow code and writes their histories to
``tests/workflows/histories/``. Existing files are never overwritten: they are what earlier
code left running, and the replay test proves that later code still replays them. Add a
scenario (with a new name) when a workflow gains new paths.

Payloads are encrypted like production (shared/payloads/codec.py), with the test-only key in
``history-keys.json``, which the replay test reads too. Never replace that file: the
histories recorded with it would no longer decrypt.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client, WorkflowHandle
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts import cases
from shared.contracts.cases import (
    AssessCommand,
    CaseCommandResult,
    CloseCommand,
    ClosureReason,
    CompleteReferralCommand,
    DeclineReason,
    FollowUpCommand,
    PlaceCommand,
    PlacementType,
    ReferCommand,
    ReferralOutcome,
    ReferralResponseCommand,
    ReopenCommand,
    RevisePlanCommand,
    TransferCommand,
)
from shared.contracts.grants import (
    CommandResult,
)
from shared.payloads.codec import Keyring, encrypted_data_converter
from tests.servers import binary
from tests.workflows.builders import case_input
from tests.workflows.conftest import PublishedEvents, register_search_attributes
from tests.workflows.grant_scenarios import grant_review_sla_scenario, grant_scenarios
from workflows.grant_application.activities import check_eligibility
from workflows.worker import WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"
HISTORY_KEYS = Path(__file__).parent / "history-keys.json"


def history_data_converter() -> DataConverter:
    """Encryption with the test-only keyring the recorded histories were written with."""
    keyring = Keyring.from_json(HISTORY_KEYS.read_text(), source=str(HISTORY_KEYS))
    return encrypted_data_converter(keyring)


async def _save(client: Client, workflow_id: str, first_run_id: str | None, name: str) -> None:
    """Every run of the workflow (continue-as-new makes several), oldest first."""
    run_id, index = first_run_id, 1
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        target = HISTORIES / f"{name}-run{index}.json"
        if target.exists():
            print(f"kept {target.name} (recorded earlier; never overwritten)")
        else:
            target.write_text(history.to_json())
            print(f"wrote {target.name}")
        last = history.events[-1]
        run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
        index += 1


async def _update(handle: WorkflowHandle[object, object], name: str, arg: object) -> None:
    result_type = CommandResult if handle.id.startswith("grant") else CaseCommandResult
    await handle.execute_update(name, arg, result_type=result_type)


async def _grant_scenarios(env: WorkflowEnvironment, queue: str) -> None:
    await grant_scenarios(env, queue, _save)


async def _grant_review_sla(env: WorkflowEnvironment, queue: str) -> None:
    await grant_review_sla_scenario(env, queue, _save)


async def _case_scenario(env: WorkflowEnvironment, queue: str) -> None:
    client = env.client
    case = case_input(follow_up_days=30, reopen_window_days=60)
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await _update(handle, "assess", AssessCommand(actor="c", need_count=2))
    await _update(handle, "refer", ReferCommand(actor="c", referral_id=first, offer_id="o1"))
    await _update(handle, "refer", ReferCommand(actor="c", referral_id=second, offer_id="o2"))
    await _update(
        handle,
        "respond_to_referral",
        ReferralResponseCommand(actor="p", referral_id=first, accepted=True),
    )
    await _update(
        handle,
        "respond_to_referral",
        ReferralResponseCommand(
            actor="p", referral_id=second, accepted=False, decline_reason=DeclineReason.no_capacity
        ),
    )
    await _update(
        handle,
        "complete_referral",
        CompleteReferralCommand(actor="p", referral_id=first, outcome=ReferralOutcome.successful),
    )
    await _update(handle, "place", PlaceCommand(actor="c", placement_type=PlacementType.employment))
    await env.sleep(timedelta(days=31))
    await _update(handle, "record_follow_up", FollowUpCommand(actor="c", still_placed=True))
    await _update(handle, "close", CloseCommand(actor="c", reason=ClosureReason.placed))
    await _update(handle, "reopen", ReopenCommand(actor="c"))
    await _update(handle, "close", CloseCommand(actor="c", reason=ClosureReason.moved_away))
    await env.sleep(timedelta(days=61))
    await handle.result()
    await _save(client, wid, started.first_execution_run_id, "case-full")


async def _case_deadlines_scenario(env: WorkflowEnvironment, queue: str) -> None:
    """Referral reminder and escalation, a transfer, three follow-ups, inactivity reminders,
    erasure after the retention period; and erasure at once on withdrawn consent."""
    client = env.client
    periods = {"referral_reminder_days": 7, "inactivity_days": 60, "retention_days": 400}
    case = case_input(follow_up_days=30).model_copy(update=periods)
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await _update(handle, "assess", AssessCommand(actor="c", need_count=2))
    await _update(handle, "refer", ReferCommand(actor="c", referral_id=first, offer_id="o1"))
    await _update(handle, "refer", ReferCommand(actor="c", referral_id=second, offer_id="o2"))
    await env.sleep(timedelta(days=2))
    await _update(
        handle,
        "respond_to_referral",
        ReferralResponseCommand(actor="p", referral_id=second, accepted=True),
    )
    await env.sleep(timedelta(days=15))
    await _update(handle, "transfer", TransferCommand(actor="l", case_manager="d"))
    await _update(handle, "place", PlaceCommand(actor="d", placement_type=PlacementType.employment))
    await env.sleep(timedelta(days=31))
    await _update(handle, "record_follow_up", FollowUpCommand(actor="d", still_placed=True))
    await env.sleep(timedelta(days=160))
    await _update(handle, "close", CloseCommand(actor="d", reason=ClosureReason.placed))
    await env.sleep(timedelta(days=401))
    await handle.result()
    await _save(client, wid, started.first_execution_run_id, "case-deadlines")

    withdrawn = case_input()
    wid = cases.workflow_id(withdrawn.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, withdrawn, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await _update(handle, "close", CloseCommand(actor="c", reason=ClosureReason.consent_withdrawn))
    await handle.result()
    await _save(client, wid, started.first_execution_run_id, "case-consent-withdrawn")


async def _case_plan_scenario(env: WorkflowEnvironment, queue: str) -> None:
    """A plan revised twice, then consent withdrawn."""
    client = env.client
    case = case_input()
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await _update(handle, "assess", AssessCommand(actor="c", need_count=2))
    await _update(handle, "revise_plan", RevisePlanCommand(actor="c", goal_areas=["language"]))
    await _update(
        handle, "revise_plan", RevisePlanCommand(actor="c", goal_areas=["language", "housing"])
    )
    await _update(handle, "close", CloseCommand(actor="c", reason=ClosureReason.consent_withdrawn))
    await handle.result()
    await _save(client, wid, started.first_execution_run_id, "case-plan")


async def _case_opened_first_scenario(
    env: WorkflowEnvironment, queue: str, name: str = "case-opened-first"
) -> None:
    """Commands right after the start (patch case-opened-first), a referral left to its
    reminder, a transfer, then consent withdrawn."""
    client = env.client
    case = case_input()
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await _update(handle, "assess", AssessCommand(actor="c", need_count=1))
    referral = str(uuid.uuid4())
    await _update(handle, "refer", ReferCommand(actor="c", referral_id=referral, offer_id="o1"))
    await env.sleep(timedelta(days=8))
    await _update(handle, "transfer", TransferCommand(actor="l", case_manager="d"))
    await _update(handle, "close", CloseCommand(actor="d", reason=ClosureReason.consent_withdrawn))
    await handle.result()
    await _save(client, wid, started.first_execution_run_id, name)


async def _case_encrypted_scenario(env: WorkflowEnvironment, queue: str) -> None:
    """The case-v4 path again, recorded with encrypted payloads (the earlier ones are plain)."""
    await _case_opened_first_scenario(env, queue, name="case-encrypted")


async def _grant_lean_start(env: WorkflowEnvironment, queue: str) -> None:
    """The grant paths again since the patch lean-start (eligibility checked by a local
    activity, no first upsert of search attributes the service set already)."""
    await grant_scenarios(env, queue, _save, prefix="grant4")
    await grant_review_sla_scenario(env, queue, _save, prefix="grant4")


SCENARIOS: dict[str, Callable[[WorkflowEnvironment, str], Awaitable[None]]] = {
    "grant-v2": _grant_scenarios,
    "grant-v3": _grant_review_sla,
    "case-v1": _case_scenario,
    "case-v2": _case_deadlines_scenario,
    "case-v3": _case_plan_scenario,
    "case-v4": _case_opened_first_scenario,
    "case-v5": _case_encrypted_scenario,
    "grant-v4": _grant_lean_start,
}


async def main(names: list[str]) -> None:
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}; known: {sorted(SCENARIOS)}")
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
        for name in names or list(SCENARIOS):
            await SCENARIOS[name](env, queue)
    print(f"{len(list(HISTORIES.glob('*.json')))} histories in {HISTORIES}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
