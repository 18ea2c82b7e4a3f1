"""What every domain package of the service builds on: the declarative base its tables
share (one metadata, so the migrations see every table and foreign keys resolve across
packages) and the strict body types its requests share."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Numeric
from sqlalchemy.orm import DeclarativeBase

from shared.db import UtcDateTime
from shared.money import to_cents
from shared.text import AsciiDecimal, amount_schema


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[int]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: UtcDateTime(),
    }


Money = Numeric(14, 2)

# ASCII digits only: Decimal would read Arabic-Indic "\u0665\u0660\u0660\u0660" as 5000.
MAX_AMOUNT = 100_000_000
# Kept to the cent ("0" becomes 0.00), so what is stored and compared has one form.
Amount = Annotated[
    AsciiDecimal,
    Field(ge=0, le=Decimal(MAX_AMOUNT), decimal_places=2),
    AfterValidator(to_cents),
    amount_schema(maximum=MAX_AMOUNT, positive=False),
]
PositiveAmount = Annotated[
    AsciiDecimal,
    Field(gt=0, le=Decimal(MAX_AMOUNT), decimal_places=2),
    AfterValidator(to_cents),
    amount_schema(maximum=MAX_AMOUNT, positive=True),
]


class Strict(BaseModel):
    """A request body: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")
