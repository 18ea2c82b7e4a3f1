"""Webhook signatures: HMAC-SHA256 over ``<timestamp>.<body>`` with the webhook's secret.

Each call carries ``Wir-Timestamp`` (Unix seconds), ``Wir-Signature: v1=<hex>`` and
``Wir-Delivery-Id``. A receiver recomputes the signature, refuses a timestamp older than
its tolerance (a captured call replayed later fails) and remembers delivery ids it has
handled within that tolerance (a call replayed at once is a duplicate). :func:`verify` is
what a receiver in Python does; docs/events-notifications.md shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SCHEME = "v1"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is the sender's and ``timestamp`` is recent enough."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret=secret, timestamp=sent, body=body), signature)
