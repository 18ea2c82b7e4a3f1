"""The worker is SIGKILLed in the middle of reviews and referrals, then started again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.stack import stored_events


async def _kill_worker_while(fault_stack: FaultStack, work: Awaitable[object]) -> None:
    """Let ``work`` start, SIGKILL the worker, keep it dead a moment, start it again."""
    await asyncio.sleep(0.3)
    fault_stack.worker.kill()
    await asyncio.sleep(1.0)
    await fault_stack.restart(fault_stack.worker)
    await work


async def test_worker_killed_mid_review_and_mid_referrals(fault_stack: FaultStack) -> None:
    async with (
        fault_stack.client(fault_stack.applications_url, "petra.officer") as applications,
        fault_stack.client(fault_stack.cases_url, "anna.cm") as cases,
    ):
        org = await flows.organisation(applications, "Landkreis Waldeck-Frankenberg")
        round_id = await flows.open_round(applications)
        drafts = [await flows.draft(applications, org, round_id) for _ in range(3)]
        case_id = await flows.open_case(cases)
        offer_ids = await flows.offers(cases, 3)

        # kill 1: while the applications are submitted and checked, and referrals are sent
        async def first_wave() -> list[str]:
            await asyncio.gather(*(flows.submit(applications, a) for a in drafts))
            sent = await asyncio.gather(
                *(
                    flows.command(cases, f"/cases/{case_id}/referrals", json={"offer_id": o})
                    for o in offer_ids
                )
            )
            assert all(r.status_code == 200 for r in sent), [r.text for r in sent]
            return [r["id"] for r in sent[-1].json()["referrals"]]

        wave = asyncio.ensure_future(first_wave())
        await _kill_worker_while(fault_stack, wave)
        referral_ids = wave.result()
        for application_id in drafts:
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")

        # kill 2: while the decisions and the providers' answers are being carried out
        async def second_wave() -> None:
            provider = {"X-WIR-User": "provider.vhs"}
            await asyncio.gather(
                *(flows.approve(applications, a) for a in drafts),
                *(
                    flows.command(
                        cases,
                        f"/cases/{case_id}/referrals/{r}/response",
                        json={"accepted": True},
                        headers=provider,
                    )
                    for r in referral_ids
                ),
            )

        wave2 = asyncio.ensure_future(second_wave())
        await _kill_worker_while(fault_stack, wave2)

        body = (await cases.get(f"/cases/{case_id}")).json()
        assert sorted(r["status"] for r in body["referrals"]) == ["accepted"] * 3

    events = await stored_events(fault_stack.settings.nats_url)
    for application_id in drafts:
        flows.exactly_once(events, application_id, flows.APPROVED)
    flows.exactly_once(
        events,
        case_id,
        ["opened", "assessed"] + ["referral_sent"] * 3 + ["referral_accepted"] * 3,
    )
    fault_stack.check_alive()
