"""The Temporal dev server goes down and comes back on its database file."""

from __future__ import annotations

import httpx

from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.flows import stored_events


def _unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Temporal" in response.json()["detail"], response.text


async def test_temporal_restarted_workflows_continue(fault_stack: FaultStack) -> None:
    async with (
        fault_stack.client(fault_stack.applications_url, "petra.officer") as applications,
        fault_stack.client(fault_stack.cases_url, "anna.cm") as cases,
    ):
        org = await flows.organisation(applications, "Hochtaunuskreis")
        round_id = await flows.open_round(applications)
        running = await flows.draft(applications, org, round_id)
        waiting = await flows.draft(applications, org, round_id)
        await flows.submit(applications, running)
        await flows.stage_is(applications, f"/applications/{running}", "in_review")
        case_id = await flows.open_case(cases)
        (offer_id,) = await flows.offers(cases, 1)

        fault_stack.temporal.stop()
        # a command the read model cannot refuse, so it has to reach the workflow (a decision
        # without a review is refused 422 before Temporal is asked: four-eyes comes first)
        assign = await applications.post(
            f"/applications/{running}/reviewer", json={"reviewer": "rita.reviewer"}
        )
        _unavailable(assign)
        _unavailable(await applications.post(f"/applications/{waiting}/submit"))
        _unavailable(await cases.post(f"/cases/{case_id}/referrals", json={"offer_id": offer_id}))
        # reads need no Temporal, and nothing changed
        assert (await applications.get(f"/applications/{running}")).json()["stage"] == "in_review"
        assert (await applications.get(f"/applications/{waiting}")).json()["stage"] == "draft"
        assert (await cases.get(f"/cases/{case_id}")).json()["referrals"] == []

        await fault_stack.restart(fault_stack.temporal)
        await flows.approve(applications, running)
        await flows.submit(applications, waiting)
        await flows.stage_is(applications, f"/applications/{waiting}", "in_review")
        referred = await flows.command(
            cases, f"/cases/{case_id}/referrals", json={"offer_id": offer_id}
        )
        assert referred.status_code == 200, referred.text

    events = await stored_events(fault_stack.settings.nats_url)
    flows.exactly_once(events, running, flows.APPROVED)
    flows.exactly_once(events, waiting, ["submitted", "review_started"])
    flows.exactly_once(events, case_id, ["opened", "assessed", "referral_sent"])
    fault_stack.check_alive()
