"""Refugee case scenarios whose histories the replay test keeps (record_histories)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from shared.contracts import cases
from shared.contracts.cases import (
    AssessCommand,
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
    RefugeeCaseUpdates,
    ReopenCommand,
    RevisePlanCommand,
    TransferCommand,
)
from tests.workflows.builders import case_input
from tests.workflows.grant_scenarios import Save
from tests.workflows.handles import update


async def case_full_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Assessment, two referrals (one accepted and completed, one declined), placement,
    a follow-up, closure, reopening, closure again and erasure after the retention period."""
    client = env.client
    case = case_input(follow_up_days=30, reopen_window_days=60)
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="c", need_count=2))
    await update(
        handle, RefugeeCaseUpdates.refer, ReferCommand(actor="c", referral_id=first, offer_id="o1")
    )
    await update(
        handle, RefugeeCaseUpdates.refer, ReferCommand(actor="c", referral_id=second, offer_id="o2")
    )
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(actor="p", referral_id=first, accepted=True),
    )
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(
            actor="p", referral_id=second, accepted=False, decline_reason=DeclineReason.no_capacity
        ),
    )
    await update(
        handle,
        RefugeeCaseUpdates.complete_referral,
        CompleteReferralCommand(actor="p", referral_id=first, outcome=ReferralOutcome.successful),
    )
    await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="c", placement_type=PlacementType.employment),
    )
    await env.sleep(timedelta(days=31))
    await update(
        handle, RefugeeCaseUpdates.record_follow_up, FollowUpCommand(actor="c", still_placed=True)
    )
    await update(
        handle, RefugeeCaseUpdates.close, CloseCommand(actor="c", reason=ClosureReason.placed)
    )
    await update(handle, RefugeeCaseUpdates.reopen, ReopenCommand(actor="c"))
    await update(
        handle, RefugeeCaseUpdates.close, CloseCommand(actor="c", reason=ClosureReason.moved_away)
    )
    await env.sleep(timedelta(days=1096))  # the retention period: erased, the run ends
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "case-full")


async def case_deadlines_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Referral reminder and escalation, a transfer, three follow-ups, inactivity reminders,
    erasure after the retention period; and erasure at once on withdrawn consent."""
    client = env.client
    periods = {"referral_reminder_days": 7, "inactivity_days": 60, "retention_days": 400}
    case = case_input(follow_up_days=30).model_copy(update=periods)
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="c", need_count=2))
    await update(
        handle, RefugeeCaseUpdates.refer, ReferCommand(actor="c", referral_id=first, offer_id="o1")
    )
    await update(
        handle, RefugeeCaseUpdates.refer, ReferCommand(actor="c", referral_id=second, offer_id="o2")
    )
    await env.sleep(timedelta(days=2))
    await update(
        handle,
        RefugeeCaseUpdates.respond_to_referral,
        ReferralResponseCommand(actor="p", referral_id=second, accepted=True),
    )
    await env.sleep(timedelta(days=15))
    await update(handle, RefugeeCaseUpdates.transfer, TransferCommand(actor="l", case_manager="d"))
    await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="d", placement_type=PlacementType.employment),
    )
    await env.sleep(timedelta(days=31))
    await update(
        handle, RefugeeCaseUpdates.record_follow_up, FollowUpCommand(actor="d", still_placed=True)
    )
    await env.sleep(timedelta(days=160))
    await update(
        handle, RefugeeCaseUpdates.close, CloseCommand(actor="d", reason=ClosureReason.placed)
    )
    await env.sleep(timedelta(days=401))
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "case-deadlines")

    withdrawn = case_input()
    wid = cases.workflow_id(withdrawn.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, withdrawn, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="c", reason=ClosureReason.consent_withdrawn),
    )
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "case-consent-withdrawn")


async def case_plan_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """A plan revised twice, then consent withdrawn."""
    client = env.client
    case = case_input()
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="c", need_count=2))
    await update(
        handle,
        RefugeeCaseUpdates.revise_plan,
        RevisePlanCommand(actor="c", goal_areas=["language"]),
    )
    await update(
        handle,
        RefugeeCaseUpdates.revise_plan,
        RevisePlanCommand(actor="c", goal_areas=["language", "housing"]),
    )
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="c", reason=ClosureReason.consent_withdrawn),
    )
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "case-plan")


async def case_opened_first_scenario(
    env: WorkflowEnvironment, queue: str, save: Save, name: str = "case-opened-first"
) -> None:
    """Commands right after the start (``opened`` still takes sequence number 1), a
    referral left to its reminder, a transfer, then consent withdrawn."""
    client = env.client
    case = case_input()
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="c", need_count=1))
    referral = str(uuid.uuid4())
    await update(
        handle,
        RefugeeCaseUpdates.refer,
        ReferCommand(actor="c", referral_id=referral, offer_id="o1"),
    )
    await env.sleep(timedelta(days=8))
    await update(handle, RefugeeCaseUpdates.transfer, TransferCommand(actor="l", case_manager="d"))
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="d", reason=ClosureReason.consent_withdrawn),
    )
    await handle.result()
    await save(client, wid, started.first_execution_run_id, name)


async def case_encrypted_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """The opened-first path again, kept as the history whose payloads the replay test
    checks for ciphertext (every history is recorded encrypted)."""
    await case_opened_first_scenario(env, queue, save, name="case-encrypted")


async def case_checkins_from_start_scenario(
    env: WorkflowEnvironment, queue: str, save: Save
) -> None:
    """A placement that starts six weeks after it is recorded (patch
    ``checkins-from-start-date``): its first check-in, a follow-up, then consent withdrawn."""
    client = env.client
    case = case_input(follow_up_days=30)
    wid = cases.workflow_id(case.case_id)
    started = await client.start_workflow(cases.WORKFLOW_NAME, case, id=wid, task_queue=queue)
    handle = client.get_workflow_handle(wid)
    await update(handle, RefugeeCaseUpdates.assess, AssessCommand(actor="c", need_count=1))
    start = (await env.get_current_time() + timedelta(days=42)).date()
    await update(
        handle,
        RefugeeCaseUpdates.place,
        PlaceCommand(actor="c", placement_type=PlacementType.internship, start_date=start),
    )
    await env.sleep(timedelta(days=73))  # the first check-in, 30 days after the start
    await update(
        handle, RefugeeCaseUpdates.record_follow_up, FollowUpCommand(actor="c", still_placed=True)
    )
    await update(
        handle,
        RefugeeCaseUpdates.close,
        CloseCommand(actor="c", reason=ClosureReason.consent_withdrawn),
    )
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "case-checkins-from-start")
