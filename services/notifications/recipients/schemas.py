"""Request and response bodies of recipients and webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

# Enough to route mail; full validation is the SMTP server's (no email-validator dependency).
EmailAddress = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Language = Literal["de", "en"]


class RecipientIn(BaseModel):
    """Where an addressee gets e-mail, in which language, and whether it opted out."""

    email: EmailAddress | None = None
    language: Language = "de"
    # Mutes every notification except statutory notices (Bescheide), which are always sent.
    opted_out: bool = False


class RecipientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    addressee: str
    email: str | None
    language: str
    opted_out: bool
    created_at: datetime
    updated_at: datetime


class WebhookIn(BaseModel):
    url: HttpUrl
    # Event types it receives, e.g. ["wir.application.approved"]; empty: all.
    event_types: list[Annotated[str, Field(pattern=r"^wir\.[a-z_]+\.[a-z_]+$")]] = []
    # Shared secret for the signature; generated when not given.
    secret: Annotated[str | None, Field(min_length=16, max_length=128)] = None


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime
    created_by: str


class WebhookCreated(WebhookOut):
    """Returned once, at registration: the only time the secret is shown."""

    secret: str
