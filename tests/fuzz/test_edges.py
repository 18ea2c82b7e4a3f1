"""Inputs the generated cases of ``test_openapi_fuzz`` reach only by luck, sent on purpose.

- Every query parameter the OpenAPI documents type as a date or date-time, on every GET
  operation, gets the calendar's edges: ``0001-01-01``, ``9999-12-31`` and date-times there
  with the largest UTC offsets, which lie outside years 1-9999 once converted to UTC.
- Tokens signed with the right key whose claims have odd shapes (a roles object, a list of
  numbers, a subject with a newline, an ``exp`` of ``10**400``, strings for numbers, ...),
  drawn by hypothesis and sent to every service.

The property is the same: no answer is a 5xx.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from typing import Any

import httpx
import hypothesis
import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from shared.auth import load_or_create_signing_key
from shared.settings import WirSettings
from tests import auth
from tests.fuzz.drive import SEED, header_sets
from tests.fuzz.test_openapi_fuzz import MAX_EXAMPLES

pytestmark = pytest.mark.fuzz

SERVICES = ["applications", "cases", "notifications", "coordination"]
EDGE_DATES = ["0001-01-01", "9999-12-31", "1900-01-01", "2199-12-31"]
EDGE_TIMES = [
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59",
]


def _formats(schema: dict[str, Any]) -> set[str]:
    found = {schema["format"]} if "format" in schema else set()
    for member in schema.get("anyOf", []) + schema.get("oneOf", []):
        found |= _formats(member)
    return found


def _date_parameters(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, parameter, format) of each date or date-time query parameter of a GET."""
    found = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        for parameter in get.get("parameters", []):
            if parameter["in"] != "query":
                continue
            for fmt in _formats(parameter.get("schema", {})) & {"date", "date-time"}:
                found.append((path, parameter["name"], fmt))
    return found


def _fill(path: str, known: dict[str, list[str]]) -> str | None:
    """The path with known ids for its parameters, or None when one is unknown."""
    while "{" in path:
        name = path[path.index("{") + 1 : path.index("}")]
        if name not in known:
            return None
        path = path.replace(f"{{{name}}}", known[name][0])
    return path


@pytest.mark.parametrize("service", SERVICES)
async def test_dates_at_the_calendar_edges_get_no_5xx(
    service: str, fuzz_urls: dict[str, str], known_ids: dict[str, dict[str, list[str]]]
) -> None:
    known = known_ids[service]
    async with httpx.AsyncClient(base_url=fuzz_urls[service], timeout=30) as client:
        document = (await client.get("/openapi.json")).json()
        parameters = _date_parameters(document)
        failures, sent = [], 0
        for path, name, fmt in parameters:
            filled = _fill(path, known)
            if filled is None:
                continue
            for value in EDGE_DATES if fmt == "date" else EDGE_TIMES:
                for headers in header_sets(service, known):
                    answer = await client.get(filled, params={name: value}, headers=headers)
                    sent += 1
                    if answer.status_code >= 500:
                        failures.append(f"GET {filled}?{name}={value}: {answer.status_code}")
    print(f"{service}: {len(parameters)} date parameters, {sent} requests")
    if service not in ("notifications", "coordination"):
        assert parameters, "the document names no date parameter: has the schema changed?"
    assert not failures, "\n".join(sorted(set(failures)))


# --- tokens with odd claims ---------------------------------------------------------------

#: One clock reading for every drawn token: a strategy must draw the same way when hypothesis
#: replays an example. Valid tokens live an hour (below the 12 h allowed), longer than a run.
NOW = int(dt.datetime.now(dt.UTC).timestamp())

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
_odd_numbers = st.sampled_from([10**400, -(10**400), 1e300, -1.0, 0, True, "1", "x", [1], {}])
_odd_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Cc", "Zl", "Zp", "L", "N"]), max_size=70
)


@st.composite
def _claims(draw: st.DrawFn, settings: WirSettings) -> dict[str, Any]:
    now = NOW
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": "fuzz.user",
        "roles": ["admin"],
        "iat": now,
        "exp": now + 3600,
    }
    for name in draw(
        st.sets(st.sampled_from(["sub", "roles", "iat", "exp", "nbf", "wir_org", "wir_provider"]))
    ):
        kind = draw(st.sampled_from(["json", "number", "text", "roles", "absent"]))
        if kind == "json":
            claims[name] = draw(_json)
        elif kind == "number":
            claims[name] = draw(_odd_numbers | st.integers(now - 10**6, now + 10**9))
        elif kind == "text":
            claims[name] = draw(_odd_text)
        elif kind == "roles":
            claims[name] = draw(st.lists(_json | st.sampled_from(["admin", "reviewer"])))
        else:
            claims.pop(name, None)
    return claims


def _sign(claims: dict[str, Any], settings: WirSettings) -> str:
    """By hand: ``jwt.encode`` itself refuses some of the shapes a forger may send."""

    def part(value: bytes) -> bytes:
        return base64.urlsafe_b64encode(value).rstrip(b"=")

    head = part(json.dumps({"alg": "EdDSA", "typ": "JWT"}).encode())
    body = part(json.dumps(claims).encode())
    signature = load_or_create_signing_key(settings).sign(head + b"." + body)
    return (head + b"." + body + b"." + part(signature)).decode()


def _probe_tokens(base_url: str, settings: WirSettings) -> list[str]:
    import requests

    failures: list[str] = []

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES * 5,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(claims=_claims(settings))
    def run(claims: dict[str, Any]) -> None:
        token = _sign(claims, settings)
        answer = requests.get(
            f"{base_url}/audit", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        if answer.status_code >= 500:
            failures.append(f"{answer.status_code} for claims {claims!r}: {answer.text[:200]}")
        else:
            assert answer.status_code in (200, 401, 403), answer.text

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    run()
    return failures


@pytest.mark.parametrize("service", SERVICES)
async def test_tokens_with_odd_claims_get_no_5xx(service: str, fuzz_urls: dict[str, str]) -> None:
    settings = WirSettings(auth_key_file=auth.key_file(), data_dir=auth.key_file().parent)
    failures = await asyncio.to_thread(_probe_tokens, fuzz_urls[service], settings)
    assert not failures, "\n".join(failures[:5])
