"""The baseline: a bare Temporal workflow with as many no-op activities as a grant
application's happy path from submission to approval (publish ``submitted``, check
eligibility, publish ``review_started``, ``reviewer_assigned``, ``reviewed`` and
``approved``), and its worker.

``python -m bench.baseline`` runs the worker (``WIR_*`` settings, like the WIR worker).
"""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

from pydantic import BaseModel
from temporalio import activity, workflow
from temporalio.worker import Worker

#: activities on the grant application's path from submission to approval
ACTIVITIES = 6
TASK_QUEUE_SUFFIX = "-baseline"


class NoopInput(BaseModel):
    step: int


class BaselineInput(BaseModel):
    activities: int = ACTIVITIES


@activity.defn(name="bench_noop")
async def noop(input: NoopInput) -> int:
    return input.step


@workflow.defn(name="BenchBaselineWorkflow")
class BaselineWorkflow:
    @workflow.run
    async def run(self, input: BaselineInput) -> int:
        for step in range(input.activities):
            await workflow.execute_activity(
                noop, NoopInput(step=step), start_to_close_timeout=timedelta(seconds=10)
            )
        return input.activities


async def main() -> None:
    from shared.settings import WirSettings
    from shared.temporal import connect_temporal

    settings = WirSettings()
    client = await connect_temporal(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Worker(
        client,
        task_queue=settings.task_queue + TASK_QUEUE_SUFFIX,
        workflows=[BaselineWorkflow],
        activities=[noop],
    ):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
