"""Property-based fuzzing of every operation in each service's OpenAPI document.

Schemathesis generates requests from the document, valid and invalid ones, a bounded number
per operation (``WIR_FUZZ_EXAMPLES``, default 20), each sent with the bearer token of one of
the roles acting in the service (an admin's among them). The only property checked: no
answer is a 5xx. 4xx are fine (most made-up ids do not exist; invalid input gets 422).

Hypothesis runs in a worker thread: the services are served by the session's event loop,
which must keep running while the blocking requests go out.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation

from shared.auth import Role
from tests import auth

MAX_EXAMPLES = int(os.environ.get("WIR_FUZZ_EXAMPLES", "20"))
# New inputs on every run; WIR_FUZZ_SEED=<int> repeats the inputs of one.
SEED = os.environ.get("WIR_FUZZ_SEED")

pytestmark = pytest.mark.fuzz


def _header_sets(service: str, known: dict[str, list[str]]) -> list[dict[str, str]]:
    """Tokens of the roles that act in ``service``; an admin's in each."""
    admin = auth.headers("ada.admin", Role.admin)
    if service == "applications":
        org = known["organisation_id"][0]
        return [
            auth.headers("petra.officer", Role.programme_officer),
            auth.headers("rita.reviewer", Role.reviewer),
            auth.headers("jonas.approver", Role.approver),
            auth.headers("verein", Role.applicant, organisation=org),
            admin,
        ]
    if service == "cases":
        provider = known["provider_id"][0]
        return [
            auth.headers("anna.cm", Role.case_manager),
            auth.headers("anna.cm", Role.case_manager),
            auth.headers("vhs", Role.provider, provider=provider),
            admin,
        ]
    if service == "coordination":
        return [
            auth.headers("clara.coord", Role.coordinator),
            auth.headers("clara.coord", Role.coordinator),
            auth.headers("anna.cm", Role.case_manager),
            admin,
        ]
    return [auth.headers("olaf.operator", Role.operator), admin]


def _fuzz_operation(
    operation: APIOperation[Any, Any, Any, Any],
    base_url: str,
    header_sets: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> str | None:
    """None, or the first 5xx found for ``operation`` with how to reproduce it."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in known for name in names):
        # as often as the two others together: valid input for a record that exists
        real = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        on_real = real.flatmap(
            lambda values: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values)
        )
        strategies += [on_real, on_real]
    cases = st.one_of(strategies)
    session = requests.Session()

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: report the first 5xx as it came
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=cases, headers=st.sampled_from(header_sets))
    def run(case: Any, headers: dict[str, str]) -> None:
        response = case.call_and_validate(
            base_url=base_url,
            session=session,
            headers=headers,
            checks=[not_a_server_error],
            timeout=30,
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


def _fuzz_service(
    base_url: str,
    header_sets: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    # our tokens, not generated Authorization headers
    schema.config.generation.update(with_security_parameters=False)
    found, count = [], 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            found.append(f"an operation the fuzzer cannot read: {result.err()}")
            continue
        operation = result.ok()
        count += 1
        failure = _fuzz_operation(operation, base_url, header_sets, known, statuses)
        if failure is not None:
            found.append(failure)
    return count, found


@pytest.mark.parametrize("service", ["applications", "cases", "notifications", "coordination"])
async def test_no_operation_answers_5xx(
    service: str, fuzz_urls: dict[str, str], known_ids: dict[str, dict[str, list[str]]]
) -> None:
    header_sets = _header_sets(service, known_ids[service])
    started = time.monotonic()
    statuses: Counter[int] = Counter()
    count, failures = await asyncio.to_thread(
        _fuzz_service, fuzz_urls[service], header_sets, known_ids[service], statuses
    )
    print(
        f"{service}: {count} operations, up to {MAX_EXAMPLES} examples each, "
        f"{time.monotonic() - started:.1f} s, answers {dict(sorted(statuses.items()))}"
    )
    assert count > 10
    assert not failures, "\n\n".join(failures)
