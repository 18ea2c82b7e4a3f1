"""The registration rules of a Fachtag: capacity, waiting list, moving up on a cancellation.

Pure functions over the workflow's state (no I/O, no clock), so the workflow stays
deterministic and the rules are tested on their own (tests/unit/test_fachtag_registration.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.coordination_activities import (
    FachtagState,
    Participant,
    ParticipantKind,
    ParticipantStatus,
)


class RegistrationRefused(ValueError):
    """The registration or cancellation breaks a rule (the command is invalid)."""


def registered(state: FachtagState) -> list[Participant]:
    return [p for p in state.participants if p.status is ParticipantStatus.registered]


def waiting_list(state: FachtagState) -> list[Participant]:
    """The waiting list in the order it moves up: first registered, first served."""
    waiting = [p for p in state.participants if p.status is ParticipantStatus.waitlisted]
    return sorted(waiting, key=lambda p: p.number)


def check_new(state: FachtagState, *, participant_id: str, kind: ParticipantKind, ref: str) -> None:
    """Refuse a second registration under the same id or of the same person."""
    if state.participant(participant_id) is not None:
        raise RegistrationRefused(f"participant {participant_id} is registered already")
    for p in state.participants:
        if p.kind is kind and p.ref == ref and p.status is not ParticipantStatus.cancelled:
            raise RegistrationRefused(
                f"this {kind.value} is registered already (participant {p.participant_id})"
            )


def admit(
    state: FachtagState,
    *,
    participant_id: str,
    kind: ParticipantKind,
    ref: str,
    registered_by: str,
) -> Participant:
    """Add the participant: a place while the day has one, else the end of the waiting list."""
    check_new(state, participant_id=participant_id, kind=kind, ref=ref)
    full = len(registered(state)) >= state.capacity
    participant = Participant(
        participant_id=participant_id,
        kind=kind,
        ref=ref,
        registered_by=registered_by,
        status=ParticipantStatus.waitlisted if full else ParticipantStatus.registered,
        number=len(state.participants) + 1,
    )
    state.participants.append(participant)
    return participant


@dataclass(frozen=True)
class Cancellation:
    cancelled: Participant
    was_waitlisted: bool
    #: the first of the waiting list, who got the freed place (None: nobody was waiting,
    #: or the cancelled one held no place)
    moved_up: Participant | None


def cancel(state: FachtagState, participant_id: str) -> Cancellation:
    """Cancel a registration; a freed place goes to the first of the waiting list."""
    participant = state.participant(participant_id)
    if participant is None or participant.status is ParticipantStatus.cancelled:
        raise RegistrationRefused(f"participant {participant_id} holds no registration")
    was_waitlisted = participant.status is ParticipantStatus.waitlisted
    participant.status = ParticipantStatus.cancelled
    moved_up = None
    if not was_waitlisted:
        waiting = waiting_list(state)
        if waiting and len(registered(state)) < state.capacity:
            moved_up = waiting[0]
            moved_up.status = ParticipantStatus.registered
    return Cancellation(cancelled=participant, was_waitlisted=was_waitlisted, moved_up=moved_up)


def position(state: FachtagState, participant_id: str) -> int:
    """1-based place of a participant on the waiting list."""
    ids = [p.participant_id for p in waiting_list(state)]
    return ids.index(participant_id) + 1


def record_attendance(state: FachtagState, attended: list[str]) -> list[Participant]:
    """Mark who came; only registered participants can have attended."""
    present = set(attended)
    places = {p.participant_id for p in registered(state)}
    unknown = sorted(present - places)
    if unknown:
        raise RegistrationRefused(f"not registered for the day: {', '.join(unknown)}")
    came = []
    for p in registered(state):
        p.attended = p.participant_id in present
        if p.attended:
            came.append(p)
    return came


def attended_by_kind(state: FachtagState) -> dict[ParticipantKind, int]:
    counts = dict.fromkeys(ParticipantKind, 0)
    for p in state.participants:
        if p.attended:
            counts[p.kind] += 1
    return counts
