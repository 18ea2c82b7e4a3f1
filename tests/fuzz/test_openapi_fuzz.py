"""Property-based fuzzing of every operation in each service's OpenAPI document.

Schemathesis generates requests from the document, valid and invalid ones, a bounded number
per operation (``WIR_FUZZ_EXAMPLES``, default 20), each sent with the bearer token of one of
the roles acting in the service (an admin's among them). The only property checked: no
answer is a 5xx. 4xx are fine (most made-up ids do not exist; invalid input gets 422).
The driving itself is in ``tests/fuzz/drive.py``, shared with the conformance run.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter

import pytest
from schemathesis.checks import not_a_server_error

from tests.fuzz.drive import Drive, every_operation, header_sets

MAX_EXAMPLES = int(os.environ.get("WIR_FUZZ_EXAMPLES", "20"))
# valid input on records that exist as often as the valid and the invalid together
FUZZ = Drive(checks=[not_a_server_error], examples=lambda _: MAX_EXAMPLES, on_real=2)

pytestmark = pytest.mark.fuzz


@pytest.mark.parametrize("service", ["applications", "cases", "notifications", "coordination"])
async def test_no_operation_answers_5xx(
    service: str, fuzz_urls: dict[str, str], known_ids: dict[str, dict[str, list[str]]]
) -> None:
    headers = header_sets(service, known_ids[service])
    started = time.monotonic()
    statuses: Counter[int] = Counter()
    count, failures = await asyncio.to_thread(
        every_operation, FUZZ, fuzz_urls[service], headers, known_ids[service], statuses
    )
    print(
        f"{service}: {count} operations, up to {MAX_EXAMPLES} examples each, "
        f"{time.monotonic() - started:.1f} s, answers {dict(sorted(statuses.items()))}"
    )
    assert count > 10
    assert not failures, "\n\n".join(failures)
