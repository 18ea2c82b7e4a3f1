"""The file number and title of the workflow input are in every event, also after the
funding period continued the run as new; an input without them (a run started before
file numbers) publishes events without them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared.contracts.grants import DecideCommand, Decision, GrantApplicationUpdates
from tests.workflows.builders import grant_input
from tests.workflows.conftest import Harness
from tests.workflows.grant_steps import funding_started, reviewed
from tests.workflows.handles import update


async def test_every_event_names_file_number_and_title(harness: Harness) -> None:
    # the funding period from the test server's day: earlier tests skip its clock months ahead
    today = (await harness.env.get_current_time()).date()
    workflow_input = grant_input(today=today).model_copy(
        update={"file_number": "WIR-2027-00042", "title": "WIR-Fallmanagement 2027"}
    )
    handle = await reviewed(harness, workflow_input)
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
    )
    await harness.env.sleep(timedelta(days=32))
    await funding_started(harness, workflow_input.application_id)
    events = [e for e in harness.published.events if e.subject == workflow_input.application_id]
    assert [e.type.rsplit(".", 1)[1] for e in events][-1] == "funding_started"
    assert {(e.data["file_number"], e.data["title"]) for e in events} == {
        ("WIR-2027-00042", "WIR-Fallmanagement 2027")
    }


async def test_an_older_input_publishes_events_without_them(harness: Harness) -> None:
    workflow_input = grant_input(today=(await harness.env.get_current_time()).date())
    await reviewed(harness, workflow_input)
    events = [e for e in harness.published.events if e.subject == workflow_input.application_id]
    assert events
    assert all(e.data.get("file_number") is None and e.data.get("title") is None for e in events)
