"""``RefugeeCaseWorkflow``: one case of the district's WIR case management.

intake ─assess─> in_progress (referrals: sent ─> accepted | declined, accepted ─> completed)
 ─place─> placed ─(check-in due)─> follow_up ─record_follow_up─> …
any open stage ─close─> closed ─reopen─> in_progress (within the reopen window)

The workflow keeps every deadline of the case in one loop (see ``deadlines``): referral
reminders and escalations, the check-ins at +1, +3 and +6 months, inactivity reminders,
and the erasure of the person's data after the retention period (at once when consent is
withdrawn), after which the workflow ends.

Only pseudonymous ids and codes pass through here; the person is known to the cases
service's database alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import KIND as CASE_KIND
    from shared.contracts.cases import (
        WORKFLOW_NAME,
        RefugeeCaseInput,
        RefugeeCaseQueries,
        RefugeeCaseState,
    )
    from shared.contracts.events.case import CaseOpened
    from shared.temporal import KIND, STAGE
    from workflows.refugee_case.casework import CaseworkCommands
    from workflows.refugee_case.deadlines import deadlines
    from workflows.refugee_case.referrals import ReferralCommands
    from workflows.refugee_case.timers import CaseTimers


@workflow.defn(name=WORKFLOW_NAME)
class RefugeeCaseWorkflow(CaseworkCommands, ReferralCommands):
    """The run method and its deadline loop; commands live in the casework and referral
    mixins, what a deadline does in ``timers``."""

    @workflow.init
    def __init__(self, input: RefugeeCaseInput) -> None:
        super().__init__(input)

    @workflow.run
    async def run(self, input: RefugeeCaseInput) -> RefugeeCaseState:
        workflow.upsert_search_attributes(
            [KIND.value_set(CASE_KIND), STAGE.value_set(self._state.stage.value)]
        )
        if input.resume is None:
            await self._emit(
                CaseOpened, actor=input.opened_by, consent_purposes=list(input.consent_purposes)
            )
        await self._run_deadlines()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _run_deadlines(self) -> None:
        """Fire each deadline that has passed, then sleep until the next one or a command."""
        timers = CaseTimers(self._state, self._input, self._emit, self._set_stage)
        if self._state.last_activity_at is None:  # quiet time counts from the opening
            self._state.last_activity_at = workflow.now()
        while not self._state.erased:
            pending = deadlines(self._state, self._input)
            now = workflow.now()
            if pending and pending[0].at <= now:
                await timers.fire(pending[0], now)
                continue
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"resume": self._state}))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    self._changed_since(self._state.seq),
                    timeout=pending[0].at - now if pending else None,
                )

    def _changed_since(self, seq: int) -> Callable[[], bool]:
        return lambda: self._state.seq != seq or workflow.info().is_continue_as_new_suggested()

    @workflow.query(name=RefugeeCaseQueries.state.name)
    def state(self) -> RefugeeCaseState:
        return self._state
