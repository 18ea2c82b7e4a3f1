"""The cases service over HTTP against real Temporal, NATS and database."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from services.cases.app import create_app
from shared.auth import Role
from shared.settings import WirSettings
from tests import auth
from tests.case_clients import as_user, new_manager, provider_headers
from tests.servers import eventually, free_port, serve

PERSON = {
    "given_name": "Samira",
    "family_name": "Nouridashti",
    "birth_date": "1991-03-08",
    "languages": ["fa", "en"],
    "phone": "+49 6641 555 0142",
    "email": "s.nouridashti@example.org",
    "address": "Gartenweg 3, 36304 Ohmstadt",
    "residence_status": "Aufenthaltserlaubnis § 25 Abs. 2 AufenthG",
    "family_situation": "single, one daughter",
}
CONSENT = {"given": True, "purposes": ["case_management", "referral_to_services"]}


async def _intake(
    client: httpx.AsyncClient, *, case_manager: str | None = None, **headers: str
) -> dict[str, Any]:
    body: dict[str, Any] = {"person": PERSON, "consent": CONSENT}
    if case_manager:
        body["case_manager"] = case_manager
    response = await client.post("/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def _offers(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    page = (await client.get("/offers", params={"limit": 3})).json()
    offers: list[dict[str, Any]] = page["items"]
    return offers


def _assert_problem(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    for word in words:
        assert word in response.json()["detail"], response.json()


async def test_offers_are_public_and_kept_by_staff(
    cases_url: str, cases: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=cases_url, timeout=30) as public:
        everything = (await public.get("/offers")).json()
        assert everything["total"] >= 10
        by_category = (await public.get("/offers", params={"category": "job_centre"})).json()
        assert by_category["items"] and all(
            o["category"] == "job_centre" for o in by_category["items"]
        )
        arabic = (await public.get("/offers", params={"language": "ar"})).json()["items"]
        assert arabic and all("ar" in o["languages"] for o in arabic)
        in_place = (await public.get("/offers", params={"place": "OHMSTADT"})).json()["items"]
        assert in_place and all("ohmstadt" in o["place"].lower() for o in in_place)
        found = (await public.get("/offers", params={"q": "jobcenter"})).json()["items"]
        assert [o["provider"] for o in found] == ["Kommunales Jobcenter Ohmtal"]
        # the migration gave every seeded offer a provider id made from the provider's name
        assert found[0]["provider_id"] == "kommunales-jobcenter-ohmtal"
        by_provider = await public.get(
            "/offers", params={"provider_id": "kommunales-jobcenter-ohmtal"}
        )
        assert [o["id"] for o in by_provider.json()["items"]] == [found[0]["id"]]
        first = everything["items"][0]
        assert (await public.get(f"/offers/{first['id']}")).json() == first
        assert (await public.get("/offers", params={"language": "arabic"})).status_code == 422
        _assert_problem(await public.get("/offers/nope"), 404, "nope")
        body = {
            "name": "Sprachcafé",
            "category": "language_course",
            "provider": "Bürgerhaus Lindenau",
            "provider_id": "buergerhaus-lindenau",
            "place": "Lindenau",
            "languages": ["de", "uk", "de"],
            "target_group": "alle",
            "contact": "buergerhaus@lindenau.example",
        }
        assert (await public.post("/offers", json=body)).status_code == 401

    created = await cases.post("/offers", json=body)
    assert created.status_code == 201, created.text
    offer = created.json()
    assert offer["languages"] == ["de", "uk"] and offer["provider_id"] == "buergerhaus-lindenau"
    no_provider_id = {k: v for k, v in body.items() if k != "provider_id"}
    assert (await cases.post("/offers", json=no_provider_id)).status_code == 422
    not_a_slug = await cases.post("/offers", json={**body, "provider_id": "Bürgerhaus"})
    assert not_a_slug.status_code == 422
    updated = await cases.put(
        f"/offers/{offer['id']}",
        json={**body, "opening_hours": "Sa 10:00-12:00", "capacity": 12, "waiting_weeks": 3},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["opening_hours"] == "Sa 10:00-12:00"
    assert (updated.json()["capacity"], updated.json()["waiting_weeks"]) == (12, 3)
    negative = await cases.put(f"/offers/{offer['id']}", json={**body, "waiting_weeks": -1})
    assert negative.status_code == 422
    unknown_field = await cases.post("/offers", json={**body, "owner": "x"})
    assert unknown_field.status_code == 422

    page = (await cases.get("/offers", params={"limit": 2, "offset": 2})).json()
    assert len(page["items"]) == 2 and page["offset"] == 2 and page["total"] > 10


async def test_intake_without_consent_stores_nothing(cases: httpx.AsyncClient) -> None:
    manager = new_manager()
    no_purpose = await cases.post(
        "/cases",
        json={
            "person": PERSON,
            "consent": {"given": True, "purposes": []},
            "case_manager": manager,
        },
    )
    assert no_purpose.status_code == 422
    assert "purpose" in no_purpose.json()["errors"][0]["msg"]
    listed = (await cases.get("/cases", params={"case_manager": manager})).json()
    assert listed["total"] == 0


async def test_case_from_intake_to_reopened(cases: httpx.AsyncClient) -> None:
    offers = await _offers(cases)
    case = await _intake(cases)
    assert case["stage"] == "intake" and case["case_manager"] == "anna.cm"
    assert case["person"]["family_name"] == PERSON["family_name"]
    assert case["consent"]["purposes"] == CONSENT["purposes"]
    path = f"/cases/{case['id']}"

    assessed = await cases.post(
        f"{path}/assessment",
        json={
            "needs": ["language", "recognition", "employment"],
            "languages": ["fa"],
            "vocational_qualification": "Pflegefachkraft (Iran)",
            "notes": "Anerkennung der Pflegeausbildung klären",
        },
    )
    assert assessed.status_code == 200, assessed.text
    body = assessed.json()
    assert body["stage"] == "in_progress" and body["need_count"] == 3
    assert body["assessments"][0]["notes"] == "Anerkennung der Pflegeausbildung klären"

    sent = await cases.post(
        f"{path}/referrals", json={"offer_id": offers[0]["id"], "note": "eilig"}
    )
    assert sent.status_code == 200, sent.text
    (referral,) = sent.json()["referrals"]
    assert referral["status"] == "sent" and referral["note"] == "eilig" and referral["offer_name"]
    twice = await cases.post(f"{path}/referrals", json={"offer_id": offers[0]["id"]})
    _assert_problem(twice, 409, "still open")

    # the provider of the offer answers; it gets the referral back, not the case
    provider = provider_headers(offers[0], "desk.provider")
    accepted = await cases.post(
        f"{path}/referrals/{referral['id']}/response", json={"accepted": True}, headers=provider
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and "person" not in accepted.json()
    completed = await cases.post(
        f"{path}/referrals/{referral['id']}/completion",
        json={"outcome": "successful"},
        headers=provider,
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["outcome"] == "successful"
    assert (await cases.get(path)).json()["referrals"][0]["status"] == "completed"

    # the case manager records the second provider's answer (given by phone) for it
    second = (await cases.post(f"{path}/referrals", json={"offer_id": offers[1]["id"]})).json()
    second_id = second["referrals"][1]["id"]
    no_reason = await cases.post(f"{path}/referrals/{second_id}/response", json={"accepted": False})
    assert no_reason.status_code == 422
    declined = await cases.post(
        f"{path}/referrals/{second_id}/response",
        json={"accepted": False, "decline_reason": "no_capacity", "note": "Warteliste bis März"},
    )
    assert declined.status_code == 200, declined.text
    declined_referral = declined.json()["referrals"][1]
    assert declined_referral["status"] == "declined"
    assert declined_referral["decline_reason"] == "no_capacity"
    assert declined_referral["response_note"] == "Warteliste bis März"

    placed = await cases.post(
        f"{path}/placement",
        json={
            "placement_type": "vocational_training",
            "employer_or_provider": "Pflegeheim Am Lindenhof",
            "start_date": "2027-08-01",
        },
    )
    assert placed.status_code == 200, placed.text
    body = placed.json()
    assert body["stage"] == "placed" and body["placement_type"] == "vocational_training"
    assert body["follow_up_due_at"] is not None
    assert body["placements"][0]["employer_or_provider"] == "Pflegeheim Am Lindenhof"

    closed = await cases.post(
        f"{path}/closure", json={"reason": "placed", "note": "Ausbildung begonnen"}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["stage"] == "closed" and closed.json()["closure_reason"] == "placed"
    _assert_problem(await cases.post(f"{path}/closure", json={"reason": "other"}), 409, "closed")

    reopened = await cases.post(f"{path}/reopen")
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert body["stage"] == "in_progress" and body["closure_reason"] is None
    assert [c["note"] for c in body["closures"]] == ["Ausbildung begonnen"]

    async def full_history() -> dict[str, Any] | None:
        view: dict[str, Any] = (await cases.get(path)).json()
        return view if len(view["history"]) == 10 else None

    view = await eventually(full_history)  # ``opened`` arrives through the event consumer
    assert [e["type"].rsplit(".", 1)[1] for e in view["history"]] == [
        "opened",
        "assessed",
        "referral_sent",
        "referral_accepted",
        "referral_completed",
        "referral_sent",
        "referral_declined",
        "placed",
        "closed",
        "reopened",
    ]
    assert [e["actor"] for e in view["history"]][3:5] == ["desk.provider", "desk.provider"]
    history = json.dumps(view["history"]).lower()
    personal = ["Samira", "Nouridashti", "1991-03-08", "6641 555 0142", "Gartenweg", "Pflege"]
    assert not [value for value in personal if value.lower() in history]


async def test_commands_in_the_wrong_stage_or_on_unknown_cases(cases: httpx.AsyncClient) -> None:
    case = await _intake(cases)
    path = f"/cases/{case['id']}"
    placement = {
        "placement_type": "internship",
        "employer_or_provider": "Autohaus Ohmtal",
        "start_date": "2027-03-01",
    }
    _assert_problem(await cases.post(f"{path}/placement", json=placement), 409, "intake")
    _assert_problem(await cases.post(f"{path}/reopen"), 409, "stage intake")
    follow_up = await cases.post(f"{path}/follow-ups", json={"still_placed": True})
    _assert_problem(follow_up, 409, "stage intake")
    after = (await cases.get(path)).json()
    assert after["stage"] == "intake" and after["placements"] == []

    _assert_problem(await cases.get("/cases/no-such-case"), 404, "no-such-case")
    _assert_problem(
        await cases.post("/cases/no-such-case/assessment", json={"needs": []}), 404, "case"
    )
    _assert_problem(
        await cases.post(f"{path}/referrals", json={"offer_id": "no-such-offer"}), 404, "offer"
    )
    _assert_problem(
        await cases.post(f"{path}/referrals/no-such-referral/response", json={"accepted": True}),
        404,
        "referral",
    )
    assert (await cases.get(path, headers={"Authorization": ""})).status_code == 401
    assert (await cases.get("/cases", headers={"Authorization": ""})).status_code == 401


async def test_repeated_requests_with_an_idempotency_key(cases: httpx.AsyncClient) -> None:
    async with as_user(cases, new_manager()) as mine, as_user(cases, new_manager()) as other:
        await _repeated_requests(mine, other)


async def _repeated_requests(cases: httpx.AsyncClient, other: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": f"intake-{uuid.uuid4()}"}
    first = await _intake(cases, **key)
    again = await cases.post("/cases", json={"person": PERSON, "consent": CONSENT}, headers=key)
    # the same answer as the first time, status included (as POST /applications does)
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first["id"]
    assert (await cases.get("/cases")).json()["total"] == 1
    # another user's same key is another request: it never finds the first user's case
    theirs = await other.post("/cases", json={"person": PERSON, "consent": CONSENT}, headers=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first["id"]

    path = f"/cases/{first['id']}"
    await cases.post(f"{path}/assessment", json={"needs": ["housing"]})
    offer_id = (await _offers(cases))[2]["id"]
    refer_key = {"Idempotency-Key": f"refer-{uuid.uuid4()}"}
    one = await cases.post(f"{path}/referrals", json={"offer_id": offer_id}, headers=refer_key)
    two = await cases.post(f"{path}/referrals", json={"offer_id": offer_id}, headers=refer_key)
    assert one.status_code == two.status_code == 200, two.text
    assert one.json()["referrals"] == two.json()["referrals"]
    assert len(two.json()["referrals"]) == 1
    types = [e["type"] for e in two.json()["history"]]
    assert types.count("wir.case.referral_sent") == 1


async def test_case_list_pages_and_filters(cases: httpx.AsyncClient) -> None:
    manager = new_manager()
    ids = [(await _intake(cases, case_manager=manager))["id"] for _ in range(3)]
    async with as_user(cases, manager) as mine:
        await _pages_and_filters(mine, manager, ids)


async def _pages_and_filters(cases: httpx.AsyncClient, manager: str, ids: list[str]) -> None:
    """Opened by anna.cm for ``manager``: listed for the manager who holds them."""
    page = (await cases.get("/cases", params={"case_manager": manager, "limit": 2})).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["limit"] == 2
    rest = (
        await cases.get("/cases", params={"case_manager": manager, "limit": 2, "offset": 2})
    ).json()
    assert {c["id"] for c in page["items"] + rest["items"]} == set(ids)
    summary = page["items"][0]
    assert set(summary) == {
        "id",
        "file_number",
        "stage",
        "case_manager",
        "need_count",
        "placement_type",
        "follow_up_due_at",
        "created_at",
        "updated_at",
        "person_name",
    }
    assert summary["person_name"] is None  # only with names=true, for the holder

    await cases.post(f"/cases/{ids[1]}/assessment", json={"needs": ["language", "childcare"]})
    in_progress = (
        await cases.get("/cases", params={"case_manager": manager, "stage": "in_progress"})
    ).json()
    assert [c["id"] for c in in_progress["items"]] == [ids[1]]
    assert in_progress["items"][0]["need_count"] == 2
    assert (await cases.get("/cases", params={"stage": "nonsense"})).status_code == 422


async def test_intake_while_temporal_is_down_stores_nothing(settings: WirSettings) -> None:
    unreachable = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with (
        serve(create_app(unreachable)) as url,
        httpx.AsyncClient(
            base_url=url, headers=auth.headers("anna.cm", Role.case_manager), timeout=60
        ) as client,
    ):
        manager = new_manager()
        refused = await client.post(
            "/cases", json={"person": PERSON, "consent": CONSENT, "case_manager": manager}
        )
        _assert_problem(refused, 503, "nothing was changed")
        listed = (await client.get("/cases", params={"case_manager": manager})).json()
        assert listed["total"] == 0
