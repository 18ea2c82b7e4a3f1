"""Temporal sees ciphertext only: a grant application and a refugee case run their first
steps on the real dev server; a client WITHOUT the keys finds no readable input in any
payload, a client with them decodes it all. The codec server decodes for operators only
(bearer token or the cookie its login page sets), answers the Web UI's CORS preflight, and
audits each decode; the ``temporal`` CLI decodes through it too."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from services.codec.app import COOKIE, create_app
from shared.auth import Role
from shared.contracts import cases as case_contract
from shared.contracts import grants
from shared.payloads.codec import ENCODING, EncryptionCodec
from shared.settings import WirSettings
from tests import auth
from tests import grant_flows as flow
from tests.servers import binary, serve

UI = "http://127.0.0.1:8233"
OPERATOR = auth.headers("olaf.operator", Role.operator)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def codec_url(settings: WirSettings) -> AsyncIterator[str]:
    async with serve(create_app(settings.model_copy(update={"temporal_ui_port": 8233}))) as url:
        yield url


@pytest_asyncio.fixture(loop_scope="session")
async def plain_client(temporal_client: Client) -> Client:
    """A client of the same server with the pydantic converter and no keys."""
    return await Client.connect(
        temporal_client.service_client.config.target_host,
        namespace=temporal_client.namespace,
        data_converter=pydantic_data_converter,
    )


def _codec(client: Client) -> EncryptionCodec:
    codec = client.data_converter.payload_codec
    assert isinstance(codec, EncryptionCodec)
    return codec


def _payloads(node: Any, *, readable: bool = False) -> list[tuple[bool, Payload]]:
    """Every payload of a history (JSON form) and whether Temporal may read it: search
    attributes, and what the SDK's core writes into markers itself (patch ids, a local
    activity's sequence number and times); a local activity's result is encrypted."""
    found: list[tuple[bool, Payload]] = []
    if isinstance(node, dict):
        if isinstance(node.get("data"), str) and isinstance(node.get("metadata"), dict):
            payload = json_format.ParseDict(node, Payload(), ignore_unknown_fields=True)
            found.append((readable, payload))
        for key, value in node.items():
            if key == "details" and "markerName" in node:
                for name, detail in value.items():
                    found.extend(_payloads(detail, readable=readable or name != "result"))
            else:
                found.extend(_payloads(value, readable=readable or key == "searchAttributes"))
    elif isinstance(node, list):
        for value in node:
            found.extend(_payloads(value, readable=readable))
    return found


def _leaves(value: Any) -> list[str]:
    """The string and number values of a decoded JSON document."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [str(value)]
    return []


async def _check_history(plain: Client, keyed: Client, workflow_id: str) -> set[str]:
    """Assert the history is ciphertext for ``plain`` and readable for ``keyed``; return
    the values the decrypted payloads hold."""
    history: WorkflowHistory = await plain.get_workflow_handle(workflow_id).fetch_history()
    raw = b"".join(event.SerializeToString() for event in history.events)
    payloads = _payloads(json.loads(history.to_json()))
    secret = [p for readable, p in payloads if not readable]
    assert secret, "no payloads found"
    assert {p.metadata["encoding"] for p in secret} == {ENCODING}
    clear = {p.data.decode() for readable, p in payloads if readable}
    with pytest.raises(KeyError, match="Unknown payload encoding binary/encrypted"):
        await pydantic_data_converter.decode(secret[:1])  # the plain converter cannot read it
    values: set[str] = set()
    for payload in secret:
        decoded = _codec(keyed).decrypt(payload)
        assert decoded.metadata["encoding"] == b"json/plain"
        values.update(_leaves(json.loads(decoded.data)))
    for value in values:
        if len(value) < 6 or value in workflow_id or any(value in c for c in clear):
            continue  # short codes, the id in the workflow id, search attribute values
        assert value.encode() not in raw, f"{value!r} readable in the history"
    return values


async def _grant_in_review(applications: httpx.AsyncClient) -> tuple[str, str]:
    round_id = await flow.open_round(applications)
    organisation = await flow.organisation(applications)
    requested = "73311.17"
    application_id = await flow.draft(applications, organisation, round_id, requested=requested)
    await flow.submitted_in_review(applications, application_id)
    return grants.workflow_id(application_id), organisation


async def test_grant_history_is_ciphertext_without_the_keys(
    applications: httpx.AsyncClient, plain_client: Client, temporal_client: Client
) -> None:
    workflow_id, organisation = await _grant_in_review(applications)
    values = await _check_history(plain_client, temporal_client, workflow_id)
    assert {"73311.17", organisation} <= values  # the input was there, encrypted
    with pytest.raises(KeyError, match="binary/encrypted"):  # so is the answer to a query
        await plain_client.get_workflow_handle(workflow_id).query("state")


PERSON = {
    "given_name": f"Zerihun{uuid.uuid4().hex[:6]}",
    "family_name": "Tesfamariam-Brandt",
    "birth_date": "1991-11-03",
    "phone": "+49 6421 555 0199",
}


async def test_case_history_ids_and_search_attributes_hold_no_personal_data(
    cases: httpx.AsyncClient, plain_client: Client, temporal_client: Client
) -> None:
    opened = await cases.post(
        "/cases",
        json={"person": PERSON, "consent": {"given": True, "purposes": ["case_management"]}},
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    assessed = await cases.post(f"/cases/{case_id}/assessment", json={"needs": ["language"]})
    assert assessed.status_code == 200, assessed.text
    offer = (await cases.get("/offers", params={"limit": 1})).json()["items"][0]["id"]
    referred = await cases.post(f"/cases/{case_id}/referrals", json={"offer_id": offer})
    assert referred.status_code == 200, referred.text

    workflow_id = case_contract.workflow_id(case_id)
    assert re.fullmatch(r"refugee-case-[0-9a-f-]{36}", workflow_id)
    values = await _check_history(plain_client, temporal_client, workflow_id)
    assert {case_id, "anna.cm", offer} <= values

    history = (await plain_client.get_workflow_handle(workflow_id).fetch_history()).to_json()
    described = await plain_client.get_workflow_handle(workflow_id).describe()
    attributes = {pair.key.name: pair.value for pair in described.typed_search_attributes}
    assert attributes["WirKind"] == "refugee_case" and attributes["WirStage"] == "in_progress"
    for value in PERSON.values():
        assert value not in history
        assert value not in workflow_id
        assert not [a for a in attributes.values() if value in str(a)]


async def _encrypted_payloads(temporal_client: Client, workflow_id: str) -> list[dict[str, Any]]:
    history = await temporal_client.get_workflow_handle(workflow_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    return [json_format.MessageToDict(p) for p in started.input.payloads]


async def test_codec_server_decodes_for_operators_only(
    applications: httpx.AsyncClient,
    temporal_client: Client,
    codec_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    workflow_id, organisation = await _grant_in_review(applications)
    body = {"payloads": await _encrypted_payloads(temporal_client, workflow_id)}
    async with httpx.AsyncClient(base_url=codec_url) as codec:
        anonymous = await codec.post("/decode", json=body)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
        forged = await codec.post("/decode", json=body, headers={"Authorization": "Bearer x.y.z"})
        assert forged.status_code == 401
        case_manager = auth.headers("anna.cm", Role.case_manager)
        refused = await codec.post("/decode", json=body, headers=case_manager)
        assert refused.status_code == 403
        assert refused.json()["status"] == 403

        with caplog.at_level(logging.INFO, logger="wir.codec.audit"):
            decoded = await codec.post(
                "/decode", json=body, headers={**OPERATOR, "X-Namespace": "default"}
            )
        assert decoded.status_code == 200, decoded.text
        [payload] = decoded.json()["payloads"]
        content = json.loads(json_format.ParseDict(payload, Payload()).data)
        assert content["organisation_id"] == organisation
        lines = [r.getMessage() for r in caplog.records if r.name == "wir.codec.audit"]
        [line] = [line for line in lines if "decoded" in line]
        assert "olaf.operator" in line and "1 payloads, 1 encrypted" in line
        assert organisation not in line and "default" in line
        refusals = [line for line in lines if "refused" in line]
        assert len(refusals) == 3 and "anna.cm" in refusals[2]  # no token, forged, no role
        assert not [line for line in lines if organisation in line]

        # encode, then decode again: the round trip of the UI's "encode" path
        encoded = await codec.post("/encode", json={"payloads": [payload]}, headers=OPERATOR)
        assert encoded.status_code == 200
        [sealed] = encoded.json()["payloads"]
        assert sealed["metadata"]["encoding"] == "YmluYXJ5L2VuY3J5cHRlZA=="  # binary/encrypted
        again = await codec.post("/decode", json={"payloads": [sealed]}, headers=OPERATOR)
        assert again.json()["payloads"] == [payload]

        garbage = await codec.post("/decode", content=b"{", headers=OPERATOR)
        assert garbage.status_code == 422


async def test_web_ui_preflight_and_cookie_sign_in(
    applications: httpx.AsyncClient, temporal_client: Client, codec_url: str
) -> None:
    workflow_id, _ = await _grant_in_review(applications)
    body = {"payloads": await _encrypted_payloads(temporal_client, workflow_id)}
    async with httpx.AsyncClient(base_url=codec_url) as browser:
        preflight = await browser.options(
            "/decode",
            headers={
                "Origin": UI,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-namespace",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == UI
        assert preflight.headers["access-control-allow-credentials"] == "true"
        assert "x-namespace" in preflight.headers["access-control-allow-headers"].lower()
        other = await browser.options(
            "/decode",
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in other.headers

        token = auth.token("olaf.operator", Role.operator)
        refused = await browser.post(
            "/login", data={"token": auth.token("anna.cm", Role.case_manager)}
        )
        assert refused.status_code == 403 and COOKIE not in browser.cookies
        signed_in = await browser.post("/login", data={"token": token})
        assert signed_in.status_code == 200, signed_in.text
        cookie = signed_in.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie

        from_ui = {"Origin": UI, "X-Namespace": "default"}
        decoded = await browser.post("/decode", json=body, headers=from_ui)
        assert decoded.status_code == 200, decoded.text
        assert decoded.headers["access-control-allow-origin"] == UI
        assert decoded.headers["access-control-allow-credentials"] == "true"
        elsewhere = await browser.post(
            "/decode", json=body, headers={"Origin": "http://evil.example"}
        )
        assert elsewhere.status_code == 403

        await browser.post("/logout")
        assert (await browser.post("/decode", json=body, headers=from_ui)).status_code == 401


async def test_temporal_cli_decodes_through_the_codec_server(
    applications: httpx.AsyncClient, temporal_client: Client, codec_url: str
) -> None:
    workflow_id, organisation = await _grant_in_review(applications)
    address = temporal_client.service_client.config.target_host
    show = [binary("temporal"), "workflow", "show", "--address", address, "-w", workflow_id]
    show += ["--output", "json"]

    async def started_input(*extra: str) -> Payload:
        process = await asyncio.create_subprocess_exec(
            *show, *extra, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        assert process.returncode == 0, err.decode()
        started = json.loads(out)["events"][0]["workflowExecutionStartedEventAttributes"]
        return json_format.ParseDict(started["input"]["payloads"][0], Payload())

    assert (await started_input()).metadata["encoding"] == ENCODING
    token = auth.token("olaf.operator", Role.operator)
    decoded = await started_input("--codec-endpoint", codec_url, "--codec-auth", f"Bearer {token}")
    assert decoded.metadata["encoding"] == b"json/plain"
    assert json.loads(decoded.data)["organisation_id"] == organisation


async def test_codec_server_bounds_bodies_before_sign_in(codec_url: str) -> None:
    from services.codec.app import MAX_BODY_BYTES

    async def endless() -> AsyncIterator[bytes]:  # chunked: no Content-Length to refuse by
        chunk = b"x" * 65536
        for _ in range(MAX_BODY_BYTES // len(chunk) + 2):
            yield chunk

    async with httpx.AsyncClient(base_url=codec_url, timeout=30) as anonymous:
        response = await anonymous.post("/login", content=endless())
    assert response.status_code == 413


async def test_codec_server_refuses_deeply_nested_bodies(codec_url: str) -> None:
    deep = "[" * 1000 + "]" * 1000
    nested = '{"payloads": [{"metadata": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}]}"
    async with httpx.AsyncClient(base_url=codec_url, headers=OPERATOR) as codec:
        for body in (deep, nested, "[" * 100_000 + "]" * 100_000):
            for path in ("/decode", "/encode"):
                answer = await codec.post(path, content=body.encode())
                assert answer.status_code == 422, (path, body[:40], answer.text)
        assert (await codec.post("/decode", json={"payloads": []})).status_code == 200


async def test_codec_audit_log_holds_one_line_per_record(
    codec_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    forged = auth.token(
        "mallory\n2026-12-01 INFO payloads decoded for olaf.operator", Role.operator
    )
    with caplog.at_level(logging.INFO, logger="wir.codec.audit"):
        async with httpx.AsyncClient(base_url=codec_url) as codec:
            bearer = {"Authorization": f"Bearer {forged}"}
            refused = await codec.post("/decode", json={"payloads": []}, headers=bearer)
            assert refused.status_code == 401
            assert "control characters" in refused.json()["detail"]
            signed_in = await codec.post("/login", data={"token": forged})
            assert signed_in.status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "wir.codec.audit"]
    assert len(lines) == 2
    assert not [line for line in lines if "\n" in line or "mallory" in line]


async def test_codec_server_answers_carry_security_headers(codec_url: str) -> None:
    async with httpx.AsyncClient(base_url=codec_url) as browser:
        page = await browser.get("/login")
        health = await browser.get("/health")
        refused = await browser.post("/decode", json={"payloads": []})
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy and "script-src" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    for answer in (page, health, refused):
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in health.headers
