"""The same command sent twice at the same moment has one effect."""

from __future__ import annotations

import asyncio

from tests import grant_flows
from tests.faults import flows
from tests.faults.conftest import FaultStack
from tests.faults.flows import stored_events


async def test_same_command_twice_concurrently(fault_stack: FaultStack) -> None:
    async with (
        fault_stack.client(fault_stack.applications_url, "petra.officer") as applications,
        fault_stack.client(fault_stack.cases_url, "anna.cm") as cases,
    ):
        org = await flows.organisation(applications, "Vogelsbergkreis")
        round_id = await flows.open_round(applications)
        keyed, unkeyed = [await flows.draft(applications, org, round_id) for _ in range(2)]

        # submit: one workflow; the other request learns it was submitted already
        submits = await asyncio.gather(
            *(applications.post(f"/applications/{keyed}/submit") for _ in range(2))
        )
        assert sorted(r.status_code for r in submits) == [202, 409], [r.text for r in submits]
        await flows.submit(applications, unkeyed)
        for application_id in (keyed, unkeyed):
            await flows.stage_is(applications, f"/applications/{application_id}", "in_review")

        for application_id in (keyed, unkeyed):
            await flows.reviewed(applications, application_id)

        # decide, same Idempotency-Key (a client's retry): both answered, one decision
        decision = {"decision": "approve", "granted_amount": "4000.00"}
        same_key = {"Idempotency-Key": "decide-once", **grant_flows.APPROVER}
        path = f"/applications/{keyed}/decision"
        decided = await asyncio.gather(
            *(applications.post(path, json=decision, headers=same_key) for _ in range(2))
        )
        # the second waits for the first (it holds the key's claim) and gets its result
        codes = [r.status_code for r in decided]
        assert codes == [200, 200], [r.text for r in decided]
        assert {r.json()["stage"] for r in decided} == {"approved"}
        again = await applications.post(path, json=decision, headers=same_key)
        assert again.status_code == 200, again.text
        assert again.json()["stage"] == "approved"
        # decide without a key (two officers at once): one wins, the other gets 409
        path = f"/applications/{unkeyed}/decision"
        raced = await asyncio.gather(
            *(
                applications.post(path, json=decision, headers=grant_flows.APPROVER)
                for _ in range(2)
            )
        )
        assert sorted(r.status_code for r in raced) == [200, 409], [r.text for r in raced]

        # open a case and refer, each twice with the same key
        person = {"given_name": "Test", "family_name": "Person", "languages": ["fa"]}
        intake = {"person": person, "consent": {"given": True, "purposes": ["case_management"]}}
        opened = await asyncio.gather(
            *(
                cases.post("/cases", json=intake, headers={"Idempotency-Key": "intake-1"})
                for _ in range(2)
            )
        )
        assert {r.status_code for r in opened} <= {200, 201}, [r.text for r in opened]
        case_ids = {r.json()["id"] for r in opened}
        assert len(case_ids) == 1
        (case_id,) = case_ids
        await flows.command(cases, f"/cases/{case_id}/assessment", json={"needs": ["language"]})
        (offer_id,) = await flows.offers(cases, 1)
        referred = await asyncio.gather(
            *(
                cases.post(
                    f"/cases/{case_id}/referrals",
                    json={"offer_id": offer_id},
                    headers={"Idempotency-Key": "refer-1"},
                )
                for _ in range(2)
            )
        )
        assert [r.status_code for r in referred] == [200, 200], [r.text for r in referred]
        body = (await cases.get(f"/cases/{case_id}")).json()
        assert len(body["referrals"]) == 1

    events = await stored_events(fault_stack.settings.nats_url)
    flows.exactly_once(events, keyed, flows.APPROVED)
    flows.exactly_once(events, unkeyed, flows.APPROVED)
    flows.exactly_once(events, case_id, ["opened", "assessed", "referral_sent"])
