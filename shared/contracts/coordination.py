"""Contracts of the working groups (issue 15, part 1): the workflow's input, state,
commands and their typed references (shared/contracts/refs.py).

Ids, codes and dates only: members, owners and attendees are actor ids, staff user ids or
contact ids, never names or addresses. Part 2 keeps its contracts in
``coordination_activities.py``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

WORKFLOW_NAME = "WorkingGroupWorkflow"
KIND = "working_group"


def workflow_id(group_id: str) -> str:
    return f"working-group-{group_id}"


class WorkingGroupInput(BaseModel):
    group_id: str = Field(min_length=1, max_length=64)
    #: the coordinator who formed the group (a staff user id)
    formed_by: str = Field(min_length=1, max_length=128)
