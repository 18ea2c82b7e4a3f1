"""``GET /dead-letters``: messages WIR's consumers gave up on, for operators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.notifications.access import Operator
from shared.deps import RuntimeDep

router = APIRouter(tags=["operations"])


class DeadLetterOut(BaseModel):
    seq: int
    consumer: str
    subject: str
    reason: str
    deliveries: int
    # Where the original event still is in the stream WIR, for a replay.
    stream_seq: int
    dead_at: datetime
    body: str


@router.get("/dead-letters")
async def list_dead_letters(
    runtime: RuntimeDep,
    _: Operator,
    consumer: Annotated[str | None, Query(max_length=64, description="e.g. notifications")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeadLetterOut]:
    """Newest first, from the stream WIR_DEADLETTER (subjects ``deadletter.<consumer>``)."""
    letters = await runtime.bus.dead_letters(consumer=consumer, limit=limit)
    return [DeadLetterOut.model_validate(letter, from_attributes=True) for letter in letters]
