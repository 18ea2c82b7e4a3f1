"""GrantApplicationWorkflow's review, appeal window and eligibility check across their real
periods on the time-skipping server (the funding period: test_grant_funding_workflow).

Rejected updates are tested against the dev server (tests/integration): the time-skipping
server does not report validator rejections faithfully.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared.contracts import grants
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import (
    AppealCommand,
    ApplicationStage,
    Deadlines,
    DecideCommand,
    Decision,
    GrantApplicationState,
    GrantApplicationUpdates,
    ReviewCommand,
)
from tests.workflows.builders import grant_input
from tests.workflows.conftest import Harness
from tests.workflows.grant_steps import (
    current_state,
    funding_started,
    reviewed,
)
from tests.workflows.handles import update


async def test_appeal_window_makes_the_decision_final_then_funding_starts(
    harness: Harness,
) -> None:
    workflow_input = grant_input()
    handle = await reviewed(harness, workflow_input)
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("40000")),
    )
    await harness.env.sleep(timedelta(days=30))
    assert not (await current_state(handle)).decision_final
    await harness.env.sleep(timedelta(days=2))
    await funding_started(harness, workflow_input.application_id)
    types = harness.published.types(workflow_input.application_id)
    assert types[-2:] == ["decision_final", "funding_started"]


async def test_appeal_inside_the_window_reopens_the_review(harness: Harness) -> None:
    workflow_input = grant_input()
    handle = await reviewed(harness, workflow_input)
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.reject, actor="jonas", reason="budget"),
    )
    await harness.env.sleep(timedelta(days=20))
    appealed = await update(handle, GrantApplicationUpdates.appeal, AppealCommand(actor="verein"))
    assert appealed.state.stage is ApplicationStage.in_review
    await update(
        handle,
        GrantApplicationUpdates.record_review,
        ReviewCommand(actor="rita", total_score=90, max_score=100, recommendation=Decision.approve),
    )
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("30000")),
    )
    await funding_started(harness, workflow_input.application_id)
    assert harness.published.types(workflow_input.application_id) == [
        "submitted",
        "review_started",
        "reviewer_assigned",
        "reviewed",
        "rejected",
        "appeal_lodged",
        "reviewed",
        "approved",
        "decision_final",
        "funding_started",
    ]


async def test_ineligible_application_ends_with_reasons(harness: Harness) -> None:
    workflow_input = grant_input(
        priority="diversity_strategy", applicant_type=ApplicantType.municipality, population=50_001
    )
    handle = await harness.env.client.start_workflow(
        grants.WORKFLOW_NAME,
        workflow_input,
        id=grants.workflow_id(workflow_input.application_id),
        task_queue=harness.task_queue,
        result_type=GrantApplicationState,
    )
    final = await handle.result()
    assert final.stage is ApplicationStage.ineligible
    assert final.ineligible_reasons == ["population 50001 is above the maximum of 50000"]
    assert harness.published.types(workflow_input.application_id) == ["submitted", "ineligible"]


async def test_review_past_the_rounds_review_period_is_flagged_once(harness: Harness) -> None:
    today = (await harness.env.get_current_time()).date()
    workflow_input = grant_input(today=today, deadlines=Deadlines(review_sla_days=60))
    handle = await reviewed(harness, workflow_input)
    await harness.env.sleep(timedelta(days=59))
    assert "review_overdue" not in harness.published.types(workflow_input.application_id)
    await harness.env.sleep(timedelta(days=2))
    assert harness.published.types(workflow_input.application_id)[-1] == "review_overdue"
    await harness.env.sleep(timedelta(days=60))
    await update(
        handle,
        GrantApplicationUpdates.decide,
        DecideCommand(decision=Decision.approve, actor="jonas", granted_amount=Decimal("1000")),
    )
    assert harness.published.types(workflow_input.application_id).count("review_overdue") == 1
