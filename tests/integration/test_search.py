"""Search over HTTP: applications by file number, title or organisation name, organisations
by name, case and accents aside; and no second organisation of the same name by mistake."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow


def _tag() -> str:
    """A word no other test's names hold (the session's tests share one database)."""
    return uuid.uuid4().hex[:8]


async def _found(client: httpx.AsyncClient, q: str, **params: Any) -> list[str]:
    response = await client.get("/applications", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def _draft(
    client: httpx.AsyncClient, organisation_id: str, round_id: str, title: str
) -> tuple[str, str]:
    body = {
        "organisation_id": organisation_id,
        "round_id": round_id,
        "priority_code": "refugee_women",
        **flow.content(title=title),
    }
    response = await client.post("/applications", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.json()["file_number"]


async def test_applications_are_found_by_number_title_and_organisation(
    applications: httpx.AsyncClient,
) -> None:
    tag = _tag()
    round_id = await flow.open_round(applications)
    haddadi = await flow.organisation(
        applications, name=f"Verein Haddádi {tag} e.V.", applicant_type="independent_org"
    )
    other = await flow.organisation(
        applications, name=f"Frauentreff {tag}", applicant_type="independent_org"
    )
    cafe, cafe_number = await _draft(applications, haddadi, round_id, f"Begegnungscafé {tag}")
    course, _ = await _draft(applications, other, round_id, f"STRAßENFEST {tag}")

    for q in (f"haddadi {tag}", f"HADDADI {tag}", f"Haddádi {tag}", f"HADDA\u0301DI\x00{tag}"):
        assert await _found(applications, q) == [cafe], q
    for q in (f"begegnungscafe {tag}", f"BEGEGNUNGSCAFÉ {tag}", f"cafe {tag}"):
        assert await _found(applications, q) == [cafe], q
    assert await _found(applications, f"strassenfest {tag}") == [course]
    assert sorted(await _found(applications, tag)) == sorted([cafe, course])
    assert await _found(applications, cafe_number) == [cafe]
    assert await _found(applications, cafe_number.lower()) == [cafe]
    year_prefix = cafe_number[: len("WIR-2027-")]
    assert cafe in await _found(applications, year_prefix, limit=200, round=round_id)
    # a file number is matched from its start, and wildcards are taken as text
    assert await _found(applications, cafe_number[4:]) == []
    assert await _found(applications, f"%{tag}") == []
    assert await _found(applications, f"caf_ {tag}") == []
    # filters still apply, and the search pages like every list
    assert await _found(applications, tag, priority="coordination") == []
    page = (await applications.get("/applications", params={"q": tag, "limit": 1})).json()
    assert (len(page["items"]), page["total"]) == (1, 2)


async def test_applicants_find_only_their_organisations_applications(
    applications: httpx.AsyncClient,
) -> None:
    tag = _tag()
    round_id = await flow.open_round(applications)
    mine = await flow.organisation(
        applications, name=f"Kulturverein {tag}", applicant_type="independent_org"
    )
    theirs = await flow.organisation(
        applications, name=f"Kulturverein {tag} Nord", applicant_type="independent_org"
    )
    own, _ = await _draft(applications, mine, round_id, f"Sprachcafé {tag}")
    _, their_number = await _draft(applications, theirs, round_id, f"Sprachcafé {tag}")
    me = auth.headers("kontakt.kultur", Role.applicant, organisation=mine)

    response = await applications.get("/applications", params={"q": tag}, headers=me)
    assert [i["id"] for i in response.json()["items"]] == [own]
    by_number = await applications.get("/applications", params={"q": their_number}, headers=me)
    assert by_number.json()["items"] == []
    organisations = await applications.get("/organisations", params={"q": tag}, headers=me)
    assert [o["id"] for o in organisations.json()["items"]] == [mine]


async def test_organisations_are_found_by_name(applications: httpx.AsyncClient) -> None:
    tag = _tag()
    created = await flow.organisation(
        applications, name=f"Stadtteilbüro Müller-Öztürk {tag}", applicant_type="independent_org"
    )
    for q in (f"muller-ozturk {tag}", f"MÜLLER-ÖZTÜRK {tag}", f"STADTTEILBURO muller-Öztürk {tag}"):
        response = await applications.get("/organisations", params={"q": q})
        assert [o["id"] for o in response.json()["items"]] == [created], q
    none = await applications.get("/organisations", params={"q": f"nirgendwo {tag}"})
    assert none.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


async def test_a_second_organisation_of_a_name_is_refused_unless_distinct(
    applications: httpx.AsyncClient,
) -> None:
    name = f"Caritasverband Wetzlar {_tag()}"
    body = {"name": name, "applicant_type": "church_org"}
    first = await applications.post("/organisations", json=body)
    assert first.status_code == 201, first.text
    existing = first.json()["id"]

    again = await applications.post(
        "/organisations", json={**body, "name": f"  {name.upper().replace('A', 'Á')} "}
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert (problem["existing_id"], problem["existing_name"]) == (existing, name)
    # another type is another body
    other_type = await applications.post(
        "/organisations", json={**body, "applicant_type": "independent_org"}
    )
    assert other_type.status_code == 201, other_type.text

    wrong = await applications.post(
        "/organisations", json={**body, "distinct_from": other_type.json()["id"]}
    )
    assert wrong.status_code == 422
    distinct = await applications.post("/organisations", json={**body, "distinct_from": existing})
    assert distinct.status_code == 201, distinct.text
    assert distinct.json()["id"] != existing
    # the first still holds the name: a third without distinct_from is refused again
    third = await applications.post("/organisations", json=body)
    assert (third.status_code, third.json()["existing_id"]) == (409, existing)

    listed = await applications.get(
        "/organisations", params={"q": name, "applicant_type": "church_org"}
    )
    assert sorted(o["id"] for o in listed.json()["items"]) == sorted(
        [existing, distinct.json()["id"]]
    )


async def test_concurrent_organisations_of_one_name_create_one(
    applications: httpx.AsyncClient,
) -> None:
    body = {"name": f"Diakonie Lahn-Dill {_tag()}", "applicant_type": "church_org"}
    responses = await asyncio.gather(
        *(applications.post("/organisations", json=body) for _ in range(8))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    [created] = [r.json()["id"] for r in responses if r.status_code == 201]
    assert {r.json()["existing_id"] for r in responses if r.status_code == 409} == {created}
    listed = await applications.get("/organisations", params={"q": body["name"]})
    assert listed.json()["total"] == 1
