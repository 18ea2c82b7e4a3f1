"""Send a workflow an update or a query by its typed reference from the contracts."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from temporalio.client import WorkflowHandle

from shared.contracts.refs import QueryRef, UpdateRef

ArgT = TypeVar("ArgT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


async def update(
    handle: WorkflowHandle[Any, Any], ref: UpdateRef[ArgT, ResultT], command: ArgT
) -> ResultT:
    result: ResultT = await handle.execute_update(ref.name, command, result_type=ref.result)
    return result


async def query(handle: WorkflowHandle[Any, Any], ref: QueryRef[ResultT]) -> ResultT:
    result: ResultT = await handle.query(ref.name, result_type=ref.result)
    return result
