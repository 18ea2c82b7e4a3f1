"""No personal data of a refugee leaves the cases service's database: not in the events on
NATS, not in a log line, not in the workflow's Temporal payloads (even decrypted).

One case goes through intake, a duplicate intake, assessment, referrals (one declined with
a note), placement, transfer, closure, reopening and withdrawal of consent; an anonymous
contact is recorded beside it. Then everything the outside world can see is scanned for
the person's data.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import nats
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.client import Client

from shared.contracts import cases as case_contract
from shared.payloads.codec import EncryptionCodec
from shared.settings import WirSettings
from tests.case_clients import as_user, provider_headers
from tests.servers import eventually

PERSON = {
    "given_name": "Yohannes",
    "family_name": "Gebremedhin-Okafor",
    "birth_date": "1987-02-14",
    "languages": ["ti", "ar"],
    "phone": "+49 6641 555 0177",
    "email": "y.gebremedhin@example.org",
    "address": "Kastanienallee 21, 36304 Ohmstadt",
    "residence_status": "Aufenthaltsgestattung",
    "family_situation": "widowed, one son",
}
FREE_TEXT = {
    "notes": "Diabetes Typ 1, braucht Insulin",
    "vocational_qualification": "Elektriker (Eritrea)",
    "work_experience": "Acht Jahre Elektroinstallation in Asmara",
    "referral_note": "spricht kaum Deutsch",
    "decline_note": "Warteliste voll bis Oktober",
    "employer": "Elektro Kesselring KG",
    "closure_note": "Rückzug per Brief vom Sohn",
    "goal": "Termin beim Diabetologen in Gießen",
}
# what must never appear outside the database (the languages are codes, allowed)
SECRETS = [
    "Yohannes",
    "Gebremedhin",
    "Okafor",
    "1987-02-14",
    "14.02.1987",
    "6641 555 0177",
    "y.gebremedhin",
    "Kastanienallee",
    "Aufenthaltsgestattung",
    "widowed",
    "Diabetes",
    "Insulin",
    "Elektriker",
    "Asmara",
    "kaum Deutsch",
    "Warteliste",
    "Kesselring",
    "Rückzug",
    "Diabetologen",
]


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [s for s in SECRETS if s.lower() in lowered]


def _decoded_payloads(node: Any, codec: EncryptionCodec) -> list[str]:
    """Every Temporal payload in a history (JSON form), decrypted (shared/payloads/codec.py): even
    with the keys, the payloads hold no personal data."""
    found: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get("data"), str) and "metadata" in node:
            payload = codec.decrypt(
                json_format.ParseDict(node, Payload(), ignore_unknown_fields=True)
            )
            found.append(payload.data.decode("utf-8", errors="replace"))
        for value in node.values():
            found.extend(_decoded_payloads(value, codec))
    elif isinstance(node, list):
        for value in node:
            found.extend(_decoded_payloads(value, codec))
    return found


async def _stored_events(settings: WirSettings, case_id: str) -> list[bytes]:
    nc = await nats.connect(settings.nats_url)
    try:
        sub = await nc.jetstream().subscribe(f"wir.case.*.{case_id}", ordered_consumer=True)
        raw: list[bytes] = []
        try:
            while True:
                raw.append((await sub.next_msg(timeout=2)).data)
        except nats.errors.TimeoutError:
            pass
        await sub.unsubscribe()
        return raw
    finally:
        await nc.drain()


async def test_personal_data_stays_in_the_cases_database(
    cases: httpx.AsyncClient,
    settings: WirSettings,
    temporal_client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # WIR's own code and the Temporal SDK at DEBUG, everything else at INFO (the database
    # drivers log SQL parameters at DEBUG: never run them at DEBUG where real data lives)
    caplog.set_level(logging.INFO)
    for name in ("services", "shared", "workflows", "temporalio", "uvicorn", "nats"):
        caplog.set_level(logging.DEBUG, logger=name)
    consent = {"given": True, "purposes": ["case_management", "referral_to_services"]}
    opened = await cases.post("/cases", json={"person": PERSON, "consent": consent})
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    twin = await cases.post("/cases", json={"person": PERSON, "consent": consent})
    assert twin.json()["possible_duplicates"] == [case_id]
    anonymous = await cases.post(
        "/cases", json={"person": PERSON, "consent": {"given": False}, "topics": ["health_access"]}
    )
    assert anonymous.status_code == 200 and not _leaks(anonymous.text)
    path = f"/cases/{case_id}"
    offers = (await cases.get("/offers", params={"limit": 2})).json()["items"]

    steps: list[tuple[str, dict[str, Any] | None]] = [
        (
            "assessment",
            {
                "needs": ["employment", "health_access", "recognition"],
                "notes": FREE_TEXT["notes"],
                "vocational_qualification": FREE_TEXT["vocational_qualification"],
                "work_experience": FREE_TEXT["work_experience"],
            },
        ),
        (
            "plan",
            {"goals": [{"area": "health_access", "goal": FREE_TEXT["goal"]}]},
        ),
        ("referrals", {"offer_id": offers[0]["id"], "note": FREE_TEXT["referral_note"]}),
        ("referrals", {"offer_id": offers[1]["id"]}),
    ]
    for step, body in steps:
        answer = await cases.post(f"{path}/{step}", json=body)
        assert answer.status_code == 200, answer.text
    first, second = (r["id"] for r in answer.json()["referrals"])
    # the providers answer, each for its own offer
    answers: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (f"referrals/{first}/response", {"accepted": True}, offers[0]),
        (
            f"referrals/{second}/response",
            {"accepted": False, "decline_reason": "no_capacity", "note": FREE_TEXT["decline_note"]},
            offers[1],
        ),
        (f"referrals/{first}/completion", {"outcome": "successful"}, offers[0]),
    ]
    for step, body, offer in answers:
        answer = await cases.post(f"{path}/{step}", json=body, headers=provider_headers(offer))
        assert answer.status_code == 200, f"{step}: {answer.text}"
        assert not _leaks(answer.text)
    Steps = list[tuple[str, dict[str, Any] | None]]
    by_anna: Steps = [
        (
            "placement",
            {
                "placement_type": "employment",
                "employer_or_provider": FREE_TEXT["employer"],
                "start_date": "2027-06-01",
            },
        ),
        ("transfer", {"case_manager": "ben.cm"}),
    ]
    by_ben: Steps = [  # ben holds the case after the transfer
        ("closure", {"reason": "placed", "note": FREE_TEXT["closure_note"]}),
        ("reopen", None),
        ("closure", {"reason": "consent_withdrawn", "note": FREE_TEXT["closure_note"]}),
    ]
    async with as_user(cases, "ben.cm") as ben:
        for client, steps in ((cases, by_anna), (ben, by_ben)):
            for step, body in steps:
                answer = await client.post(f"{path}/{step}", json=body)
                assert answer.status_code == 200, f"{step}: {answer.text}"

        async def erased() -> bool:
            return bool((await ben.get(path)).json()["erased_at"])

        await eventually(erased)

    # 1. the events, as any subscriber of the stream reads them
    raw = await _stored_events(settings, case_id)
    types = [json.loads(body)["type"].rsplit(".", 1)[1] for body in raw]
    assert types[0] == "opened" and types[-1] == "erasure_due" and "transferred" in types
    assert len(types) == 14, types
    leaked = {t: _leaks(body.decode()) for t, body in zip(types, raw, strict=True)}
    assert not {t: found for t, found in leaked.items() if found}

    # 2. the workflow's history: input, update arguments and results, activity inputs
    handle = temporal_client.get_workflow_handle(case_contract.workflow_id(case_id))
    history = json.loads((await handle.fetch_history()).to_json())
    codec = temporal_client.data_converter.payload_codec
    assert isinstance(codec, EncryptionCodec)
    payloads = _decoded_payloads(history, codec)
    assert any(case_id in p for p in payloads)  # the decoding found the real payloads
    assert not [_leaks(p) for p in payloads if _leaks(p)]

    # 3. every log line written meanwhile, by services, worker and libraries alike
    assert caplog.records, "no log lines were captured"
    lines = [record.getMessage() for record in caplog.records]
    assert not [line for line in lines if _leaks(line)]
