"""The network of actors over real HTTP and database: create, change, search (case and
accents do not matter), contact persons kept and erased on request, idempotent creation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from shared.auth import Role
from tests import auth

PLACE = f"Lauterbach-{uuid.uuid4().hex[:6]}"


def _actor(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "migrant_org", "place": PLACE, **fields}


async def _create(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/actors", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _found(client: httpx.AsyncClient, **params: Any) -> set[str]:
    response = await client.get("/actors", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return {a["id"] for a in response.json()["items"]}


async def test_actors_are_created_changed_and_found_whatever_case_and_accents(
    coordination: httpx.AsyncClient,
) -> None:
    verein = await _create(
        coordination,
        _actor(
            "Türkisch-Deutscher Kulturverein",
            languages=["tr", "de"],
            topics=["Elternarbeit", "Sprachförderung"],
            applicant_organisation_id="org-42",
        ),
    )
    church = await _create(
        coordination, _actor("Evangelische Kirchengemeinde", type="church", topics=["Café"])
    )
    assert verein["languages"] == ["tr", "de"] and verein["applicant_organisation_id"] == "org-42"

    assert await _found(coordination, q="TURKISCH") == {verein["id"]}
    assert await _found(coordination, q="türkisch-deutscher") == {verein["id"]}
    assert await _found(coordination, q=PLACE.upper()) == {verein["id"], church["id"]}
    assert await _found(coordination, topic="sprachforderung") == {verein["id"]}
    assert await _found(coordination, q="cafe") == {church["id"]}
    assert await _found(coordination, q=PLACE, type="church") == {church["id"]}
    assert await _found(coordination, q=PLACE, language="tr") == {verein["id"]}
    assert await _found(coordination, applicant_organisation_id="org-42") >= {verein["id"]}

    page = await coordination.get("/actors", params={"q": PLACE, "limit": 1})
    assert page.json()["total"] == 2 and len(page.json()["items"]) == 1

    changed = await coordination.put(
        f"/actors/{church['id']}", json=_actor("Katholische Pfarrei St. Josef", type="church")
    )
    assert changed.status_code == 200, changed.text
    assert await _found(coordination, q="st. josef") == {church["id"]}
    assert church["id"] not in await _found(coordination, q="kirchengemeinde")

    # case managers read the network, but do not keep it
    reader = auth.headers("anna.cm", Role.case_manager)
    assert (await coordination.get(f"/actors/{verein['id']}", headers=reader)).status_code == 200
    refused = await coordination.post("/actors", json=_actor("X"), headers=reader)
    assert refused.status_code == 403


async def test_creating_with_an_idempotency_key_creates_once(
    coordination: httpx.AsyncClient,
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = _actor(f"Jobcenter {uuid.uuid4().hex[:6]}", type="job_centre")
    first = await coordination.post("/actors", json=body, headers=key)
    again = await coordination.post("/actors", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = await coordination.post("/actors", json={**body, "place": "Alsfeld"}, headers=key)
    assert other.status_code == 422


async def test_contact_persons_are_kept_and_erased_on_request(
    coordination: httpx.AsyncClient,
) -> None:
    actor = await _create(coordination, _actor("Diakonisches Werk", type="welfare_org"))
    path = f"/actors/{actor['id']}/contacts"
    person = {"name": "Miriam Schäfer", "email": "m.schaefer@example.org", "phone": "06641 123"}
    added = await coordination.post(path, json=person)
    assert added.status_code == 201, added.text
    contact = added.json()
    listed = (await coordination.get(path)).json()
    assert [c["name"] for c in listed["items"]] == ["Miriam Schäfer"]

    erased = await coordination.delete(f"{path}/{contact['id']}")
    assert erased.status_code == 200, erased.text
    assert erased.json()["erased_at"] is not None
    (after,) = (await coordination.get(path)).json()["items"]
    assert after["id"] == contact["id"]
    assert (after["name"], after["email"], after["phone"], after["function"]) == (None,) * 4
    # nothing of the person left to change; erasing again changes nothing
    changed = await coordination.put(f"{path}/{contact['id']}", json=person)
    assert changed.status_code == 404
    assert (await coordination.delete(f"{path}/{contact['id']}")).status_code == 200
    # another actor's contact is not found under this one
    other = await _create(coordination, _actor("Grundschule am Park", type="school"))
    assert (
        await coordination.delete(f"/actors/{other['id']}/contacts/{contact['id']}")
    ).status_code == 404
