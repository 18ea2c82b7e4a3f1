"""Request and response bodies of the review: conflicts, reviewer, scores, decision."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.applications.base import PositiveAmount, Strict
from services.applications.catalogue.schemas import MAX_POINTS, CriterionCode
from shared.contracts.grants import Decision


class DecisionIn(Strict):
    decision: Decision
    granted_amount: PositiveAmount | None = None
    reason: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _complete(self) -> DecisionIn:
        if self.decision is Decision.approve and self.granted_amount is None:
            raise ValueError("granted_amount is required to approve")
        if self.decision is not Decision.approve and not (self.reason and self.reason.strip()):
            raise ValueError(f"reason is required to {self.decision.value}")
        return self


class ReviewerIn(Strict):
    reviewer: str = Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")


class ConflictIn(Strict):
    organisation_id: str = Field(min_length=1, max_length=36)
    reason: str = Field(min_length=1, max_length=500)


class ConflictOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reviewer: str
    organisation_id: str
    reason: str
    declared_at: datetime
    declared_by: str


class ReviewIn(Strict):
    scores: dict[CriterionCode, Annotated[int, Field(ge=0, le=MAX_POINTS)]] = Field(
        min_length=1, description="Points per criterion code of the priority"
    )
    comment: str = Field(default="", max_length=20_000)
    recommendation: Decision


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int
    reviewer: str
    scores: dict[str, Any]
    total_score: int
    max_score: int
    comment: str
    recommendation: str
    created_at: datetime
