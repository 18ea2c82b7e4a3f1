"""Calling a Fachtag off: allowed in every stage before the day is held.

The update sets the stage ``cancelled`` (the run loop then ends the workflow, so the
automatic closing and every other deadline are gone), publishes ``fachtag_cancelled`` with
counts and ids, and one ``participant_fachtag_cancelled`` per registration or place on
the waiting list, so each participant's informant is told and a refugee's case history
gets an entry naming that case alone. The office's reason never comes here.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination_activities import (
        CANCELLABLE,
        CancelFachtagCommand,
        FachtagCommandResult,
        FachtagUpdates,
        Participant,
        ParticipantKind,
        ParticipantStatus,
    )
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.coordination_activities import (
        FachtagCancelled,
        ParticipantFachtagCancelled,
    )
    from workflows.coordination_event import registration as rules
    from workflows.coordination_event.base import FachtagWorkflowBase, Stage, require_stage


def _lapsed(p: Participant) -> dict[str, object]:
    """What the participant's event names: ids only, the one ref its informant needs."""
    return {
        "participant_id": p.participant_id,
        "participant_kind": p.kind,
        "case_id": p.case_id,
        "registered_by": p.registered_by,
        "contact_id": p.ref if p.kind is ParticipantKind.contact else None,
        "user_id": p.ref if p.kind is ParticipantKind.staff else None,
    }


class FachtagCancellation(FachtagWorkflowBase):
    @workflow.update(name=FachtagUpdates.cancel_fachtag.name)
    async def cancel_fachtag(self, command: CancelFachtagCommand) -> FachtagCommandResult:
        await self._after_planning()
        previous = self._state.stage
        places = rules.registered(self._state)
        waiting = rules.waiting_list(self._state)
        self._state.cancelled_at = workflow.now()
        self._set_stage(Stage.cancelled)
        events: list[CloudEvent] = [
            await self._emit(
                FachtagCancelled,
                actor=command.actor,
                previous_stage=previous,
                starts_at=self._state.starts_at,
                invited_actor_ids=list(self._state.invited_actor_ids),
                registered_count=len(places),
                waitlisted_count=len(waiting),
            )
        ]
        for p in [*places, *waiting]:
            was_waitlisted = p.status is ParticipantStatus.waitlisted
            p.status = ParticipantStatus.cancelled
            events.append(
                await self._emit(
                    ParticipantFachtagCancelled,
                    actor=command.actor,
                    starts_at=self._state.starts_at,
                    was_waitlisted=was_waitlisted,
                    **_lapsed(p),
                )
            )
        return self._result(events)

    @cancel_fachtag.validator
    def _validate_cancel_fachtag(self, command: CancelFachtagCommand) -> None:
        require_stage("cancel the event", self._state.stage, *CANCELLABLE)
