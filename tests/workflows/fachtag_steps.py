"""Fachtag workflow inputs and steps shared by its tests and the recorded scenario."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts import coordination_activities as fachtage
from shared.contracts.coordination_activities import (
    AttendanceCommand,
    CancelCommand,
    CancelFachtagCommand,
    DocumentCommand,
    FachtagInput,
    FachtagState,
    FachtagUpdates,
    InviteCommand,
    ParticipantKind,
    RegisterCommand,
    StageCommand,
)
from shared.payloads.codec import Keyring, encrypted_data_converter
from tests.servers import binary
from tests.workflows.conftest import Harness, PublishedEvents, register_search_attributes
from tests.workflows.grant_scenarios import Save
from tests.workflows.handles import update

DAY = timedelta(days=1)
COORDINATOR = "clara.coord"


@asynccontextmanager
async def own_harness(name: str) -> AsyncIterator[Harness]:
    """A time-skipping server and worker of a test module's own. The Fachtage skip months;
    on the session's shared server that would move the clock far from the real date that
    the grant tests' inputs start at."""
    from workflows.worker import WORKFLOWS

    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=encrypted_data_converter(Keyring.generate(name)),
    )
    await register_search_attributes(env.client)
    published = PublishedEvents()
    queue = f"{name}-{uuid.uuid4().hex[:8]}"
    worker = Worker(
        env.client,
        task_queue=queue,
        workflows=list(WORKFLOWS),
        activities=[published.publish_event],
    )
    async with worker:
        yield Harness(env=env, task_queue=queue, published=published)
    await env.shutdown()


def fachtag_input(now: datetime, *, capacity: int = 2, **periods: Any) -> FachtagInput:
    """A day four weeks from ``now`` (the test server's time), registration closing a
    week before it."""
    starts = now + 28 * DAY
    return FachtagInput(
        fachtag_id=str(uuid.uuid4()),
        organiser=COORDINATOR,
        capacity=capacity,
        starts_at=starts,
        registration_closes_at=starts - 7 * DAY,
        **periods,
    )


async def start(
    client: Client, queue: str, workflow_input: FachtagInput
) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        fachtage.WORKFLOW_NAME,
        workflow_input,
        id=fachtage.workflow_id(workflow_input.fachtag_id),
        task_queue=queue,
        result_type=FachtagState,
    )


async def open_registration(handle: WorkflowHandle[Any, Any]) -> None:
    await update(
        handle, FachtagUpdates.send_invitations, InviteCommand(actor=COORDINATOR, actor_ids=["a1"])
    )
    await update(handle, FachtagUpdates.open_registration, StageCommand(actor=COORDINATOR))


async def register(
    handle: WorkflowHandle[Any, Any],
    participant_id: str,
    kind: ParticipantKind = ParticipantKind.contact,
    *,
    by: str = COORDINATOR,
) -> str:
    result = await update(
        handle,
        FachtagUpdates.register,
        RegisterCommand(
            actor=by, participant_id=participant_id, kind=kind, ref=f"r-{participant_id}"
        ),
    )
    return result.events[0].type


async def fachtag_full_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Planned, invited, two places for three, a cancellation that moves the waiting list
    up, registration closed at its time, the day held, documentation reminded twice, done."""
    client = env.client
    workflow_input = fachtag_input(await env.get_current_time(), reminder_interval_days=3)
    handle = await start(client, queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1")
    await register(handle, "p2", ParticipantKind.refugee, by="anna.cm")
    await register(handle, "p3", ParticipantKind.staff)
    await update(
        handle, FachtagUpdates.cancel, CancelCommand(actor=COORDINATOR, participant_id="p1")
    )
    await env.sleep(28 * DAY)  # closes a week before, then the day itself
    await update(
        handle,
        FachtagUpdates.record_attendance,
        AttendanceCommand(actor=COORDINATOR, attended=["p2", "p3"]),
    )
    await env.sleep(14 * DAY + 4 * DAY)  # due, and one interval on
    await update(handle, FachtagUpdates.document, DocumentCommand(actor=COORDINATOR))
    await handle.result()
    await save(client, handle.id, handle.result_run_id, "fachtag-full")


async def fachtag_cancelled_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Registration open, one place for three (a contact, a refugee and a member of
    staff waiting), the day called off: each is told, the automatic closing never comes."""
    client = env.client
    workflow_input = fachtag_input(await env.get_current_time(), capacity=1)
    handle = await start(client, queue, workflow_input)
    await open_registration(handle)
    await register(handle, "p1")
    await register(handle, "p2", ParticipantKind.refugee, by="anna.cm")
    await register(handle, "p3", ParticipantKind.staff)
    await update(handle, FachtagUpdates.cancel_fachtag, CancelFachtagCommand(actor=COORDINATOR))
    await handle.result()
    await save(client, handle.id, handle.result_run_id, "fachtag-cancelled")
