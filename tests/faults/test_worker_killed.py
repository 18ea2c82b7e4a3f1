"""The worker is SIGKILLed in the middle of reviews and of referrals, then started again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import httpx

from tests.case_clients import provider_headers
from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.flows import stored_events
from tests.servers import eventually


async def _kill_worker_while(fault_stack: FaultStack, work: Awaitable[object]) -> None:
    """Let ``work`` start, SIGKILL the worker, keep it dead a moment, start it again."""
    await asyncio.sleep(0.3)
    fault_stack.worker.kill()
    await asyncio.sleep(1.0)
    await fault_stack.restart(fault_stack.worker)
    await work


async def test_worker_killed_mid_review(fault_stack: FaultStack) -> None:
    async with fault_stack.client(fault_stack.applications_url, "petra.officer") as applications:
        org = await flows.organisation(applications, "Landkreis Waldeck-Frankenberg")
        round_id = await flows.open_round(applications)
        drafts = [await flows.draft(applications, org, round_id) for _ in range(3)]

        # kill 1: while the applications are submitted and checked for eligibility
        submitting = asyncio.gather(*(flows.submit(applications, a) for a in drafts))
        await _kill_worker_while(fault_stack, submitting)
        for application_id in drafts:
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")
        # kill 2: while reviewers are assigned, reviews recorded and decisions taken
        approving = asyncio.gather(*(flows.approve(applications, a) for a in drafts))
        await _kill_worker_while(fault_stack, approving)

    events = await stored_events(fault_stack.settings.nats_url)
    for application_id in drafts:
        flows.exactly_once(events, application_id, flows.APPROVED)
    fault_stack.check_alive()


async def test_worker_killed_mid_referrals(fault_stack: FaultStack) -> None:
    async with fault_stack.client(fault_stack.cases_url, "anna.cm") as cases:
        case_id = await flows.open_case(cases)
        offer_ids = await flows.offers(cases, 3)

        # kill 1: while the referrals are sent
        async def send() -> list[httpx.Response]:
            return list(
                await asyncio.gather(
                    *(
                        flows.command(cases, f"/cases/{case_id}/referrals", json={"offer_id": o})
                        for o in offer_ids
                    )
                )
            )

        sending = asyncio.ensure_future(send())
        await _kill_worker_while(fault_stack, sending)
        sent = sending.result()
        assert all(r.status_code == 200 for r in sent), [r.text for r in sent]
        # Each answer shows the case as its own command left it; the three ran at once and
        # may finish in any order, so the case is read once all three have answered.
        case = (await cases.get(f"/cases/{case_id}")).json()
        referral_ids = [r["id"] for r in case["referrals"]]
        assert len(referral_ids) == 3

        # kill 2: while the providers' answers are carried out, each by the provider of
        # the offer its referral went to
        offers = {o: (await cases.get(f"/offers/{o}")).json() for o in offer_ids}
        providers = {
            r["id"]: provider_headers(offers[r["offer_id"]], settings=fault_stack.settings)
            for r in case["referrals"]
        }

        async def answer() -> list[httpx.Response]:
            return list(
                await asyncio.gather(
                    *(
                        flows.command(
                            cases,
                            f"/cases/{case_id}/referrals/{r}/response",
                            json={"accepted": True},
                            headers=providers[r],
                        )
                        for r in referral_ids
                    )
                )
            )

        answering = asyncio.ensure_future(answer())
        await _kill_worker_while(fault_stack, answering)
        answers = answering.result()
        assert all(r.status_code == 200 for r in answers), [r.text for r in answers]

        # the read model follows the events (the durable consumer brings any it missed)
        async def all_accepted() -> bool:
            body = (await cases.get(f"/cases/{case_id}")).json()
            return sorted(r["status"] for r in body["referrals"]) == ["accepted"] * 3

        await eventually(all_accepted, timeout=20)

    events = await stored_events(fault_stack.settings.nats_url)
    flows.exactly_once(
        events,
        case_id,
        ["opened", "assessed"] + ["referral_sent"] * 3 + ["referral_accepted"] * 3,
    )
    fault_stack.check_alive()
