"""Typed references to a workflow's updates and queries, by name and types.

A service sends ``GrantApplicationUpdates.decide`` instead of the string ``"decide"``: the
reference carries the argument and result types, so mypy checks the command a route sends
and the gateway decodes the result without being told its type. The workflow declares the
handler under the same reference (``@workflow.update(name=GrantApplicationUpdates.decide.name)``)
and ``tests/unit/test_contract_refs.py`` checks both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

ArgT = TypeVar("ArgT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


@dataclass(frozen=True)
class UpdateRef(Generic[ArgT, ResultT]):
    """One Update of a workflow: its name, the command it takes and what it answers."""

    name: str
    arg: type[ArgT]
    result: type[ResultT]

    @property
    def action(self) -> str:
        """The update as people read it in an error message (``request changes``)."""
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class QueryRef(Generic[ResultT]):
    """One query of a workflow: its name and what it answers."""

    name: str
    result: type[ResultT]
