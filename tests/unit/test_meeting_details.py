"""Changing a meeting's details (services/coordination/groups/details.py): only the
fields sent change, null clears a place or a link, a meeting keeps one of the two, and a
meeting held or cancelled or of a closed group is settled (409)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from services.coordination.groups.details import changed_details, refuse_unless_changeable
from services.coordination.groups.models import Meeting, WorkingGroup
from services.coordination.groups.schemas import MeetingChange
from shared.problems import ProblemError


def _meeting(**fields: Any) -> Meeting:
    values = {"place": None, "online_link": None, "agenda": "", "status": "scheduled", **fields}
    return Meeting(id="m1", group_id="g1", starts_at=datetime(2027, 3, 9, tzinfo=UTC), **values)


def _change(**fields: Any) -> MeetingChange:
    return MeetingChange.model_validate(fields)


def test_only_the_fields_sent_change() -> None:
    meeting = _meeting(place="Rathaus", agenda="TOP 1")
    assert changed_details(meeting, _change(agenda="TOP 2")) == {"agenda": "TOP 2"}
    link = _change(online_link="https://meet.example.org/ag", place=None)
    assert changed_details(meeting, link) == {
        "online_link": "https://meet.example.org/ag",
        "place": None,
    }


def test_a_meeting_keeps_a_place_or_a_link() -> None:
    with pytest.raises(ProblemError) as refused:
        changed_details(_meeting(place="Rathaus"), _change(place=None))
    assert refused.value.status == 422
    assert refused.value.extra["errors"][0]["loc"] == ["body", "place"]
    # a meeting the cycle planned has neither: its agenda alone may still change
    assert changed_details(_meeting(), _change(agenda="TOP 1")) == {"agenda": "TOP 1"}


@pytest.mark.parametrize(
    "body",
    [{}, {"place": ""}, {"agenda": None}, {"starts_at": "2027-03-09T10:00:00+01:00"},
     {"online_link": "https://example.org/" + "x" * 500}],
)  # fmt: skip
def test_bad_bodies(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        MeetingChange.model_validate(body)


@pytest.mark.parametrize(("status", "stage"), [("held", "active"), ("cancelled", "active"),
                                               ("scheduled", "closed")])  # fmt: skip
def test_settled_meetings_are_409(status: str, stage: str) -> None:
    group = WorkingGroup(id="g1", stage=stage)
    with pytest.raises(ProblemError) as refused:
        refuse_unless_changeable(group=group, meeting=_meeting(status=status))
    assert refused.value.status == 409
    refuse_unless_changeable(group=WorkingGroup(id="g1", stage="active"), meeting=_meeting())
