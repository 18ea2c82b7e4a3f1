"""What every domain package of the service builds on: the declarative base its tables
share (one metadata, so the migrations see every table and foreign keys resolve across
packages) and the strict body types its requests share."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Numeric
from sqlalchemy.orm import DeclarativeBase

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[int]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: UtcDateTime(),
    }


Money = Numeric(14, 2)

Amount = Annotated[Decimal, Field(ge=0, le=Decimal("100000000"), decimal_places=2)]
PositiveAmount = Annotated[Decimal, Field(gt=0, le=Decimal("100000000"), decimal_places=2)]


class Strict(BaseModel):
    """A request body: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")
