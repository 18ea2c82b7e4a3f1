"""The typed update and query references of the contracts match the workflows' handlers."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio import workflow

from shared.contracts.cases import RefugeeCaseQueries, RefugeeCaseUpdates
from shared.contracts.coordination import WorkingGroupQueries, WorkingGroupUpdates
from shared.contracts.coordination_activities import FachtagQueries, FachtagUpdates
from shared.contracts.grants import GrantApplicationQueries, GrantApplicationUpdates
from shared.contracts.refs import QueryRef, UpdateRef
from workflows.coordination_event.workflow import CoordinationEventWorkflow
from workflows.grant_application.workflow import GrantApplicationWorkflow
from workflows.refugee_case.workflow import RefugeeCaseWorkflow
from workflows.working_group.workflow import WorkingGroupWorkflow

PAIRS = [
    (GrantApplicationWorkflow, GrantApplicationUpdates, GrantApplicationQueries),
    (RefugeeCaseWorkflow, RefugeeCaseUpdates, RefugeeCaseQueries),
    (WorkingGroupWorkflow, WorkingGroupUpdates, WorkingGroupQueries),
    (CoordinationEventWorkflow, FachtagUpdates, FachtagQueries),
]


def _refs(holder: type, kind: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ref in vars(holder).values():
        if isinstance(ref, kind):
            found[str(getattr(ref, "name"))] = ref  # noqa: B009
    return found


@pytest.mark.parametrize(("wf", "updates", "queries"), PAIRS, ids=lambda x: x.__name__)
def test_every_update_is_named_in_the_contract_with_its_types(
    wf: type, updates: type, queries: type
) -> None:
    definition = workflow._Definition.from_class(wf)
    assert definition is not None
    refs = _refs(updates, UpdateRef)
    assert set(refs) == set(definition.updates)
    for name, handler in definition.updates.items():
        assert handler.arg_types == [refs[str(name)].arg], name
        assert handler.ret_type is refs[str(name)].result, name
    query_refs = _refs(queries, QueryRef)
    assert set(query_refs) == set(definition.queries)
    for name, query in definition.queries.items():
        assert query.ret_type is query_refs[str(name)].result, name
