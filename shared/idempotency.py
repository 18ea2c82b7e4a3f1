"""Idempotency keys are the user's own: the stored and sent form mixes in who sent it;
beside it the digest of the request's body is kept."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from shared.problems import ProblemError


def scoped_key(actor: str, idempotency_key: str) -> str:
    """A digest of user and key: one user's ``Idempotency-Key`` never finds (nor replays)
    what another user did with the same key."""
    return hashlib.sha256(f"{actor}\n{idempotency_key}".encode()).hexdigest()


def body_digest(body: BaseModel) -> str:
    """A digest of what a request asked for, stored beside its key: the same key with
    another body is a client's mistake, refused with 422, not answered with the first
    result."""
    return hashlib.sha256(body.model_dump_json().encode()).hexdigest()


def key_reused(idempotency_key: str) -> ProblemError:
    return ProblemError(
        422,
        "Idempotency-Key reused",
        f"the Idempotency-Key {idempotency_key!r} was sent before with another request body",
    )
