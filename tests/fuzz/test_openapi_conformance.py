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
from typing import Any

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.test_openapi_fuzz import SEED, _header_sets

EXAMPLES = int(os.environ.get("WIR_CONFORMANCE_EXAMPLES", "6"))
SERVICES = ["applications", "cases", "notifications", "coordination"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

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


def _check_operation(
    operation: APIOperation[Any, Any, Any, Any],
    base_url: str,
    header_sets: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> str | None:
    """None, or the first answer that breaks the document, with how to reproduce it."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in known for name in names):
        real = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        strategies.append(
            real.flatmap(
                lambda values: operation.as_strategy(
                    GenerationMode.POSITIVE, path_parameters=values
                )
            )
        )
    session = requests.Session()

    @hypothesis.settings(
        max_examples=EXAMPLES * len(strategies),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=st.one_of(strategies), headers=st.sampled_from(header_sets))
    def run(case: Any, headers: dict[str, str]) -> None:
        response = case.call_and_validate(
            base_url=base_url, session=session, headers=headers, checks=CHECKS, timeout=30
        )
        statuses[response.status_code] += 1

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    try:
        run()
    except Exception as exc:  # a failed check or a request that could not be made
        return f"{operation.label}: {exc}"
    finally:
        session.close()
    return None


def _check_service(
    base_url: str,
    header_sets: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    schema.config.generation.update(with_security_parameters=False)
    found, count = [], 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            found.append(f"an operation schemathesis cannot read: {result.err()}")
            continue
        count += 1
        failure = _check_operation(result.ok(), base_url, header_sets, known, statuses)
        if failure is not None:
            found.append(failure)
    return count, found


@pytest.mark.parametrize("service", SERVICES)
async def test_every_answer_conforms_to_the_document(
    service: str, fuzz_urls: dict[str, str], known_ids: dict[str, dict[str, list[str]]]
) -> None:
    header_sets = [*_header_sets(service, known_ids[service]), {}]
    started = time.monotonic()
    statuses: Counter[int] = Counter()
    count, failures = await asyncio.to_thread(
        _check_service, fuzz_urls[service], header_sets, known_ids[service], statuses
    )
    print(
        f"{service}: {count} operations, {time.monotonic() - started:.1f} s, "
        f"answers {dict(sorted(statuses.items()))}"
    )
    assert count > 10
    assert not failures, "\n\n".join(failures)
