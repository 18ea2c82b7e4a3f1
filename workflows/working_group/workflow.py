"""``WorkingGroupWorkflow``: one working group of the WIR coordination office.

The skeleton's placeholder: it starts and waits; the meeting cycle and the action items'
deadlines follow (issue 15, part 1).
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination import KIND as GROUP_KIND
    from shared.contracts.coordination import WORKFLOW_NAME, WorkingGroupInput
    from shared.temporal import KIND, STAGE


@workflow.defn(name=WORKFLOW_NAME)
class WorkingGroupWorkflow:
    def __init__(self) -> None:
        self._closed = False

    @workflow.run
    async def run(self, input: WorkingGroupInput) -> None:
        workflow.upsert_search_attributes([KIND.value_set(GROUP_KIND), STAGE.value_set("active")])
        await workflow.wait_condition(lambda: self._closed)
