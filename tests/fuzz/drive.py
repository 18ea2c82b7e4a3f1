"""What the fuzz and conformance runs share: the roles' tokens per service, and one
schemathesis run over every operation of a document with the checks a test names.

Hypothesis runs in a worker thread: the services are served by the session's event loop,
which must keep running while the blocking requests go out.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation

from shared.auth import Role
from tests import auth

# New inputs on every run; WIR_FUZZ_SEED=<int> repeats the inputs of one.
SEED = os.environ.get("WIR_FUZZ_SEED")

Operation = APIOperation[Any, Any, Any, Any]


def header_sets(service: str, known: dict[str, list[str]]) -> list[dict[str, str]]:
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


@dataclass(frozen=True)
class Drive:
    """How one run drives each operation.

    ``checks``: schemathesis checks on every answer. ``examples``: how many requests for an
    operation, given how many strategies it has. ``on_real``: how often the strategy that
    fills the path with ids of records that exist stands among the valid and the invalid
    one (more: more requests reach a record rather than a 404).
    """

    checks: Sequence[Callable[..., Any]]
    examples: Callable[[int], int]
    on_real: int = 1


def _strategies(operation: Operation, known: dict[str, list[str]], on_real: int) -> list[Any]:
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in known for name in names):
        real = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        valid_on_real = real.flatmap(
            lambda values: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values)
        )
        strategies += [valid_on_real] * on_real
    return strategies


def _operation(
    drive: Drive,
    operation: Operation,
    base_url: str,
    headers_to_use: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> str | None:
    """None, or the first answer that failed a check, with how to reproduce it."""
    strategies = _strategies(operation, known, drive.on_real)
    session = requests.Session()

    @hypothesis.settings(
        max_examples=drive.examples(len(strategies)),
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: report the first failure as it came
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=st.one_of(strategies), headers=st.sampled_from(headers_to_use))
    def run(case: Any, headers: dict[str, str]) -> None:
        response = case.call_and_validate(
            base_url=base_url, session=session, headers=headers, checks=drive.checks, timeout=30
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


def every_operation(
    drive: Drive,
    base_url: str,
    headers_to_use: list[dict[str, str]],
    known: dict[str, list[str]],
    statuses: Counter[int],
) -> tuple[int, list[str]]:
    """How many operations the service's document has, and what failed among them."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    # our tokens, not generated Authorization headers
    schema.config.generation.update(with_security_parameters=False)
    found, count = [], 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            found.append(f"an operation schemathesis cannot read: {result.err()}")
            continue
        count += 1
        failure = _operation(drive, result.ok(), base_url, headers_to_use, known, statuses)
        if failure is not None:
            found.append(failure)
    return count, found
