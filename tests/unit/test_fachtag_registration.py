"""The registration rules of a Fachtag: capacity, waiting list order, move-up on a
cancellation, attendance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.contracts.coordination_activities import (
    FachtagState,
    ParticipantKind,
    ParticipantStatus,
)
from workflows.coordination_event import registration as rules

DAY = datetime(2027, 3, 10, 9, tzinfo=UTC)


def _state(capacity: int) -> FachtagState:
    return FachtagState(
        fachtag_id="f1",
        organiser="clara.coord",
        capacity=capacity,
        registration_closes_at=DAY,
        starts_at=DAY,
    )


def _admit(state: FachtagState, pid: str, kind: ParticipantKind = ParticipantKind.contact) -> str:
    return rules.admit(
        state, participant_id=pid, kind=kind, ref=f"ref-{pid}", registered_by="clara.coord"
    ).status.value


def test_places_up_to_capacity_then_the_waiting_list() -> None:
    state = _state(2)
    assert [_admit(state, p) for p in ("a", "b", "c", "d")] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    assert [p.participant_id for p in rules.waiting_list(state)] == ["c", "d"]
    assert rules.position(state, "d") == 2


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list() -> None:
    state = _state(2)
    for p in ("a", "b", "c", "d"):
        _admit(state, p)
    result = rules.cancel(state, "a")
    assert result.moved_up is not None and result.moved_up.participant_id == "c"
    assert not result.was_waitlisted
    assert [p.participant_id for p in rules.registered(state)] == ["b", "c"]
    assert [p.participant_id for p in rules.waiting_list(state)] == ["d"]
    assert rules.position(state, "d") == 1


def test_leaving_the_waiting_list_moves_nobody_up() -> None:
    state = _state(1)
    for p in ("a", "b", "c"):
        _admit(state, p)
    result = rules.cancel(state, "b")
    assert result.was_waitlisted and result.moved_up is None
    assert [p.participant_id for p in rules.registered(state)] == ["a"]
    assert [p.participant_id for p in rules.waiting_list(state)] == ["c"]


def test_a_cancellation_with_nobody_waiting_frees_the_place() -> None:
    state = _state(2)
    _admit(state, "a")
    assert rules.cancel(state, "a").moved_up is None
    assert _admit(state, "b") == "registered"


def test_the_same_person_or_id_is_not_registered_twice() -> None:
    state = _state(5)
    _admit(state, "a")
    with pytest.raises(rules.RegistrationRefused):
        _admit(state, "a")
    with pytest.raises(rules.RegistrationRefused):
        rules.admit(
            state, participant_id="a2", kind=ParticipantKind.contact, ref="ref-a", registered_by="x"
        )
    rules.cancel(state, "a")
    # after a cancellation the same person may register again, under a new id
    rules.admit(
        state, participant_id="a3", kind=ParticipantKind.contact, ref="ref-a", registered_by="x"
    )


def test_cancelling_twice_or_an_unknown_participant_is_refused() -> None:
    state = _state(1)
    _admit(state, "a")
    rules.cancel(state, "a")
    with pytest.raises(rules.RegistrationRefused):
        rules.cancel(state, "a")
    with pytest.raises(rules.RegistrationRefused):
        rules.cancel(state, "zz")


def test_attendance_counts_registered_participants_by_kind() -> None:
    state = _state(3)
    _admit(state, "a")
    _admit(state, "r", ParticipantKind.refugee)
    _admit(state, "s", ParticipantKind.staff)
    _admit(state, "w")  # waiting: cannot have attended
    came = rules.record_attendance(state, ["a", "r"])
    assert [p.participant_id for p in came] == ["a", "r"]
    assert rules.attended_by_kind(state) == {
        ParticipantKind.contact: 1,
        ParticipantKind.staff: 0,
        ParticipantKind.refugee: 1,
    }
    assert state.participant("s").attended is False  # type: ignore[union-attr]
    with pytest.raises(rules.RegistrationRefused):
        rules.record_attendance(state, ["w"])
    assert state.participant("w").status is ParticipantStatus.waitlisted  # type: ignore[union-attr]
