"""``CoordinationEventWorkflow``: one specialist day or information event (Fachtag).

planned ─send_invitations─> invitations_sent ─open_registration─> registration_open
 ─(closing time, or close_registration)─> registration_closed ─record_attendance─> held
 ─document─> documented (the workflow ends)
any stage before held ─cancel_fachtag─> cancelled (the workflow ends; ``cancellation``)

Registration gives places up to the capacity, then the waiting list; a cancelled place
goes to the first on the waiting list. After the day, its documentation is due
``documentation_days`` later and reminded every ``reminder_interval_days`` until done.
Only ids and codes pass through here (refugees by case id only).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination_activities import (
        KIND as FACHTAG_KIND,
    )
    from shared.contracts.coordination_activities import (
        WORKFLOW_NAME,
        FachtagInput,
        FachtagQueries,
        FachtagState,
    )
    from shared.contracts.events.coordination_activities import (
        FachtagDocumentationDue,
        FachtagPlanned,
    )
    from shared.temporal import KIND, STAGE
    from workflows.coordination_event.base import Stage
    from workflows.coordination_event.cancellation import FachtagCancellation
    from workflows.coordination_event.commands import FachtagCommands
    from workflows.coordination_event.deadlines import DeadlineKind, next_deadline

#: A run may end cancelled (issue: cancelling a Fachtag); runs recorded before cannot.
CANCELLATION = "fachtag-cancellation"


@workflow.defn(name=WORKFLOW_NAME)
class CoordinationEventWorkflow(FachtagCommands, FachtagCancellation):
    """The run method and its one deadline; the commands live in ``FachtagCommands``
    and ``FachtagCancellation``."""

    @workflow.init
    def __init__(self, input: FachtagInput) -> None:
        super().__init__(input)

    @workflow.run
    async def run(self, input: FachtagInput) -> FachtagState:
        workflow.upsert_search_attributes(
            [KIND.value_set(FACHTAG_KIND), STAGE.value_set(self._state.stage.value)]
        )
        if input.resume is None:
            await self._emit(
                FachtagPlanned,
                actor=input.organiser,
                capacity=input.capacity,
                starts_at=input.starts_at,
                registration_closes_at=input.registration_closes_at,
            )
        while not self._ended():
            deadline = next_deadline(self._state, self._input)
            now = workflow.now()
            if deadline is not None and deadline.at <= now:
                await self._fire(deadline.kind)
                continue
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"resume": self._state}))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    self._changed_since(self._state.seq),
                    timeout=deadline.at - now if deadline else None,
                )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _fire(self, kind: DeadlineKind) -> None:
        if kind is DeadlineKind.close_registration:
            await self._close(actor=None, automatic=True)
            return
        due = self._state.documentation_due_at
        assert due is not None
        self._state.reminders_sent += 1
        await self._emit(
            FachtagDocumentationDue, documentation_due_at=due, reminder=self._state.reminders_sent
        )

    def _ended(self) -> bool:
        if self._state.stage is Stage.documented:
            return True
        # the cancelled stage is new: the marker shows which runs ended by it
        return self._state.stage is Stage.cancelled and workflow.patched(CANCELLATION)

    def _changed_since(self, seq: int) -> Callable[[], bool]:
        return lambda: self._state.seq != seq or workflow.info().is_continue_as_new_suggested()

    @workflow.query(name=FachtagQueries.state.name)
    def state(self) -> FachtagState:
        return self._state
