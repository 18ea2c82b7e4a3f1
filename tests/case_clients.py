"""Clients of the cases service acting as one user each, for the integration, e2e and fault
tests: a case manager of their own keeps a test's cases apart from every other test's."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from shared.auth import Role
from shared.settings import WirSettings
from tests import auth


def new_manager() -> str:
    """A case manager no other test uses."""
    return f"cm.{uuid.uuid4().hex[:12]}"


def as_user(
    cases: httpx.AsyncClient,
    user: str,
    *roles: Role,
    provider: str | None = None,
    settings: WirSettings | None = None,
) -> httpx.AsyncClient:
    """A client on the same service as ``cases`` with ``user``'s token (case manager unless
    ``roles`` say otherwise)."""
    headers = auth.headers(
        user, *(roles or (Role.case_manager,)), provider=provider, settings=settings
    )
    return httpx.AsyncClient(base_url=cases.base_url, headers=headers, timeout=cases.timeout)


def provider_headers(
    offer: dict[str, Any], user: str | None = None, settings: WirSettings | None = None
) -> dict[str, str]:
    """The token of an account of the provider an offer belongs to."""
    provider = str(offer["provider_id"])
    return auth.headers(
        user or f"desk.{provider}", Role.provider, provider=provider, settings=settings
    )
