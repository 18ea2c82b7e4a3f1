"""Commands of a Fachtag: invitations, registration (places, waiting list, cancellations),
attendance and documentation. The rules themselves are in ``registration``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination_activities import (
        AttendanceCommand,
        CancelCommand,
        DocumentCommand,
        FachtagCommandResult,
        FachtagUpdates,
        InviteCommand,
        Participant,
        ParticipantStatus,
        RegisterCommand,
        StageCommand,
    )
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.coordination_activities import (
        FachtagDocumented,
        FachtagHeld,
        FachtagInvitationsSent,
        FachtagRegistrationClosed,
        FachtagRegistrationOpened,
        ParticipantAttended,
        ParticipantCancelled,
        ParticipantMovedUp,
        ParticipantRegistered,
        ParticipantWaitlisted,
    )
    from workflows.coordination_event import registration as rules
    from workflows.coordination_event.base import (
        FachtagWorkflowBase,
        Stage,
        conflict,
        invalid,
        require_stage,
    )


def _who(p: Participant) -> dict[str, Any]:
    return {
        "participant_id": p.participant_id,
        "participant_kind": p.kind,
        "case_id": p.case_id,
        "registered_by": p.registered_by,
    }


class FachtagCommands(FachtagWorkflowBase):
    @workflow.update(name=FachtagUpdates.send_invitations.name)
    async def send_invitations(self, command: InviteCommand) -> FachtagCommandResult:
        await self._after_planning()
        new = [a for a in command.actor_ids if a not in self._state.invited_actor_ids]
        self._state.invited_actor_ids.extend(new)
        if self._state.stage is Stage.planned:
            self._set_stage(Stage.invitations_sent)
        event = await self._emit(
            FachtagInvitationsSent,
            actor=command.actor,
            invited_actor_ids=new,
            starts_at=self._state.starts_at,
            registration_closes_at=self._state.registration_closes_at,
        )
        return self._result([event])

    @send_invitations.validator
    def _validate_invite(self, command: InviteCommand) -> None:
        require_stage(
            "send invitations",
            self._state.stage,
            Stage.planned,
            Stage.invitations_sent,
            Stage.registration_open,
        )

    @workflow.update(name=FachtagUpdates.open_registration.name)
    async def open_registration(self, command: StageCommand) -> FachtagCommandResult:
        await self._after_planning()
        self._set_stage(Stage.registration_open)
        event = await self._emit(
            FachtagRegistrationOpened, actor=command.actor, capacity=self._state.capacity
        )
        return self._result([event])

    @open_registration.validator
    def _validate_open(self, command: StageCommand) -> None:
        require_stage(
            "open the registration", self._state.stage, Stage.planned, Stage.invitations_sent
        )
        if workflow.now() >= self._state.registration_closes_at:
            raise conflict("cannot open the registration: its closing time has passed")

    @workflow.update(name=FachtagUpdates.register.name)
    async def register(self, command: RegisterCommand) -> FachtagCommandResult:
        await self._after_planning()
        p = rules.admit(
            self._state,
            participant_id=command.participant_id,
            kind=command.kind,
            ref=command.ref,
            registered_by=command.actor,
        )
        if p.status is ParticipantStatus.registered:
            count = len(rules.registered(self._state))
            event = await self._emit(
                ParticipantRegistered, actor=command.actor, registered_count=count, **_who(p)
            )
        else:
            place = rules.position(self._state, p.participant_id)
            event = await self._emit(
                ParticipantWaitlisted, actor=command.actor, position=place, **_who(p)
            )
        return self._result([event])

    @register.validator
    def _validate_register(self, command: RegisterCommand) -> None:
        require_stage("register", self._state.stage, Stage.registration_open)
        try:
            rules.check_new(
                self._state,
                participant_id=command.participant_id,
                kind=command.kind,
                ref=command.ref,
            )
        except rules.RegistrationRefused as exc:
            raise invalid(str(exc)) from None

    @workflow.update(name=FachtagUpdates.cancel.name)
    async def cancel(self, command: CancelCommand) -> FachtagCommandResult:
        await self._after_planning()
        done = rules.cancel(self._state, command.participant_id)
        events = [
            await self._emit(
                ParticipantCancelled,
                actor=command.actor,
                was_waitlisted=done.was_waitlisted,
                **_who(done.cancelled),
            )
        ]
        if done.moved_up is not None:
            events.append(
                await self._emit(
                    ParticipantMovedUp,
                    actor=command.actor,
                    freed_by=done.cancelled.participant_id,
                    **_who(done.moved_up),
                )
            )
        return self._result(events)

    @cancel.validator
    def _validate_cancel(self, command: CancelCommand) -> None:
        require_stage(
            "cancel a registration",
            self._state.stage,
            Stage.registration_open,
            Stage.registration_closed,
        )
        p = self._state.participant(command.participant_id)
        if p is None or p.status is ParticipantStatus.cancelled:
            raise invalid(f"participant {command.participant_id} holds no registration")

    @workflow.update(name=FachtagUpdates.close_registration.name)
    async def close_registration(self, command: StageCommand) -> FachtagCommandResult:
        await self._after_planning()
        return self._result([await self._close(actor=command.actor, automatic=False)])

    @close_registration.validator
    def _validate_close(self, command: StageCommand) -> None:
        require_stage("close the registration", self._state.stage, Stage.registration_open)

    async def _close(self, *, actor: str | None, automatic: bool) -> CloudEvent:
        self._set_stage(Stage.registration_closed)
        return await self._emit(
            FachtagRegistrationClosed,
            actor=actor,
            registered_count=len(rules.registered(self._state)),
            waitlisted_count=len(rules.waiting_list(self._state)),
            automatic=automatic,
        )

    @workflow.update(name=FachtagUpdates.record_attendance.name)
    async def record_attendance(self, command: AttendanceCommand) -> FachtagCommandResult:
        await self._after_planning()
        came = rules.record_attendance(self._state, command.attended)
        now = workflow.now()
        self._state.held_at = now
        self._state.documentation_due_at = now + timedelta(days=self._input.documentation_days)
        self._set_stage(Stage.held)
        events = [
            await self._emit(ParticipantAttended, actor=command.actor, **_who(p)) for p in came
        ]
        events.append(
            await self._emit(
                FachtagHeld,
                actor=command.actor,
                attended_by_kind=rules.attended_by_kind(self._state),
                registered_count=len(rules.registered(self._state)),
                documentation_due_at=self._state.documentation_due_at,
            )
        )
        return self._result(events)

    @record_attendance.validator
    def _validate_attendance(self, command: AttendanceCommand) -> None:
        require_stage("record the attendance", self._state.stage, Stage.registration_closed)
        if workflow.now() < self._state.starts_at:
            raise conflict("cannot record the attendance before the event has begun")
        places = {p.participant_id for p in rules.registered(self._state)}
        unknown = sorted(set(command.attended) - places)
        if unknown:
            raise invalid(f"not registered for the event: {', '.join(unknown)}")

    @workflow.update(name=FachtagUpdates.document.name)
    async def document(self, command: DocumentCommand) -> FachtagCommandResult:
        await self._after_planning()
        self._state.documented_at = workflow.now()
        self._set_stage(Stage.documented)
        event = await self._emit(
            FachtagDocumented, actor=command.actor, reminders_sent=self._state.reminders_sent
        )
        return self._result([event])

    @document.validator
    def _validate_document(self, command: DocumentCommand) -> None:
        require_stage("document the event", self._state.stage, Stage.held)
