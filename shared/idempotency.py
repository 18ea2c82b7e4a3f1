"""Idempotency keys are the user's own: the stored and sent form mixes in who sent it."""

from __future__ import annotations

import hashlib


def scoped_key(actor: str, idempotency_key: str) -> str:
    """A digest of user and key: one user's ``Idempotency-Key`` never finds (nor replays)
    what another user did with the same key."""
    return hashlib.sha256(f"{actor}\n{idempotency_key}".encode()).hexdigest()
