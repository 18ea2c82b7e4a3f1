"""Each service answers as its OpenAPI document says, not only without 5xx.

- The document is a valid OpenAPI 3.1 document (openapi-spec-validator).
- Schemathesis sends generated requests, valid and invalid, a few per operation
  (``WIR_CONFORMANCE_EXAMPLES``, default 6, per generation mode and on records that exist),
  and checks each answer: its status is one the operation documents, its content type is
  the documented one for that status (``application/problem+json`` for errors), its body
  fits the documented schema, and the headers documented for that status are sent.

The requests are sent with the tokens of the roles acting in the service (see
``test_openapi_fuzz``), so they reach the routes and not only the sign-in check, and some
without a token (401 and its ``WWW-Authenticate`` header are part of the document too).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter

import httpx
import pytest
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.drive import Drive, every_operation, header_sets

EXAMPLES = int(os.environ.get("WIR_CONFORMANCE_EXAMPLES", "6"))
SERVICES = ["applications", "cases", "notifications", "coordination"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# a few per strategy: valid, invalid, and valid on records that exist
CONFORMANCE = Drive(checks=CHECKS, examples=lambda strategies: EXAMPLES * strategies)

pytestmark = pytest.mark.fuzz


@pytest.mark.parametrize("service", SERVICES)
async def test_the_document_is_valid_openapi(service: str, fuzz_urls: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=fuzz_urls[service]) as client:
        document = (await client.get("/openapi.json")).json()
    validate(document)
    text = str(document)
    assert "HTTPValidationError" not in text
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
            assert "422" in errors, f"{method} {path}"
            for status, answer in errors.items():
                where = f"{status} of {method} {path}"
                assert list(answer["content"]) == ["application/problem+json"], where


@pytest.mark.parametrize("service", SERVICES)
async def test_every_answer_conforms_to_the_document(
    service: str, fuzz_urls: dict[str, str], known_ids: dict[str, dict[str, list[str]]]
) -> None:
    headers = [*header_sets(service, known_ids[service]), {}]
    started = time.monotonic()
    statuses: Counter[int] = Counter()
    count, failures = await asyncio.to_thread(
        every_operation, CONFORMANCE, fuzz_urls[service], headers, known_ids[service], statuses
    )
    print(
        f"{service}: {count} operations, {time.monotonic() - started:.1f} s, "
        f"answers {dict(sorted(statuses.items()))}"
    )
    assert count > 10
    assert not failures, "\n\n".join(failures)
