"""Finding cases by file number and by the person's name (``GET /cases?q=``) over real
HTTP and database: case and accents do not matter, only cases the caller may see are
found and counted, and each name search is audited without the words searched for."""

from __future__ import annotations

import json
from typing import Any

import httpx

from shared.auth import Role
from tests.case_clients import as_user, new_manager

CONSENT = {"given": True, "purposes": ["case_management"]}


async def _open(client: httpx.AsyncClient, given_name: str, family_name: str) -> dict[str, Any]:
    body = {"person": {"given_name": given_name, "family_name": family_name}, "consent": CONSENT}
    response = await client.post("/cases", json=body)
    assert response.status_code == 201, response.text
    case: dict[str, Any] = response.json()
    return case


async def _found(client: httpx.AsyncClient, q: str, **params: Any) -> tuple[set[str], int]:
    response = await client.get("/cases", params={"q": q, **params})
    assert response.status_code == 200, response.text
    page = response.json()
    return {c["id"] for c in page["items"]}, page["total"]


async def test_names_are_found_whatever_their_case_and_accents_among_your_cases(
    cases: httpx.AsyncClient,
) -> None:
    mine, theirs, colleague = new_manager(), new_manager(), new_manager()
    async with (
        as_user(cases, mine) as me,
        as_user(cases, theirs) as other,
        as_user(cases, colleague) as third,
    ):
        upper = await _open(me, "Amína", "HADDADI")
        accented = await _open(me, "Karim", "Haddádi")
        hyphenated = await _open(me, "Yusuf", "Al-Haddadi")
        await _open(me, "Samira", "Nouridashti")
        elsewhere = await _open(other, "Leila", "Haddadi")
        haddadis = {upper["id"], accented["id"], hyphenated["id"]}

        assert await _found(me, "haddadi") == (haddadis, 3)
        assert await _found(me, "HADDÁDI") == (haddadis, 3)
        assert await _found(me, "amina hadd") == ({upper["id"]}, 1)  # words begin name words
        assert await _found(me, "addadi") == (set(), 0)  # not inside a word
        assert await _found(me, "haddadi", stage="in_progress") == (set(), 0)
        # another case manager finds only their own Haddadi; a third none, not even a count
        assert await _found(other, "haddadi") == ({elsewhere["id"]}, 1)
        assert await _found(third, "haddadi") == (set(), 0)
        # by file number, your own only
        assert await _found(me, upper["file_number"].lower()) == ({upper["id"]}, 1)
        assert await _found(third, upper["file_number"]) == (set(), 0)

        # a case shared with a colleague is found by them, until it is unshared
        path = f"/cases/{elsewhere['id']}/shares"
        assert (await other.post(path, json={"case_manager": colleague})).status_code == 200
        assert await _found(third, "Haddadi") == ({elsewhere["id"]}, 1)
        assert (await other.delete(f"{path}/{colleague}")).status_code == 204
        assert await _found(third, "Haddadi") == (set(), 0)

        # paged like every list
        page = (await me.get("/cases", params={"q": "haddadi", "limit": 2})).json()
        assert page["total"] == 3 and len(page["items"]) == 2
        rest = (await me.get("/cases", params={"q": "haddadi", "limit": 2, "offset": 2})).json()
        assert {c["id"] for c in page["items"] + rest["items"]} == haddadis
        assert all("file_number" in c and "person" not in c for c in page["items"])


async def test_a_search_without_a_word_is_refused(cases: httpx.AsyncClient) -> None:
    for q in ("-", "--- ...", "a b c d e f g h i"):
        response = await cases.get("/cases", params={"q": q})
        assert response.status_code == 422, (q, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["loc"] for e in response.json()["errors"]] == [["query", "q"]]
    assert (await cases.get("/cases", params={"q": "x" * 101})).status_code == 422


async def test_each_name_search_is_audited_without_the_name(cases: httpx.AsyncClient) -> None:
    searcher = new_manager()
    async with as_user(cases, searcher) as me, as_user(cases, "ada.admin", Role.admin) as admin:
        first = await _open(me, "Nadia", "Ouertani")
        second = await _open(me, "Omar", "Ouertáni")
        await _found(me, "ouertani", limit=1)
        await _found(me, "Zzyzx")
        await _found(me, first["file_number"])  # no name: not a personal-data read

        audit = await admin.get(
            "/audit", params={"user": searcher, "kind": "read", "action": "search_cases_by_name"}
        )
        assert audit.status_code == 200, audit.text
        rows = audit.json()["items"]
        searches = sorted(r["object_id"] for r in rows if r["object_type"] == "case_search")
        assert searches == ["0 found", "2 found"]
        # the one case the paged answer carried is on record as read
        read = [r["object_id"] for r in rows if r["object_type"] == "case"]
        assert len(read) == 1 and read[0] in {first["id"], second["id"]}
        assert all(r["outcome"] == "ok" and r["roles"] == ["case_manager"] for r in rows)
        text = json.dumps(rows).casefold()
        assert "ouertani" not in text and "zzyzx" not in text and "nadia" not in text
        # the case's own audit trail shows the search that read it
        trail = await admin.get("/audit", params={"object_id": read[0], "kind": "read"})
        assert [r["action"] for r in trail.json()["items"]] == ["search_cases_by_name"]


async def test_names_on_the_list_only_for_the_cases_you_hold_and_audited(
    cases: httpx.AsyncClient,
) -> None:
    holder, colleague = new_manager(), new_manager()
    async with (
        as_user(cases, holder) as me,
        as_user(cases, colleague) as other,
        as_user(cases, "ada.admin", Role.admin) as admin,
    ):
        mine = await _open(me, "Amína", "Haddádi")
        theirs = await _open(other, "Leila", "Nouri")
        shared = await other.post(f"/cases/{theirs['id']}/shares", json={"case_manager": holder})
        assert shared.status_code == 200, shared.text

        plain = (await me.get("/cases")).json()["items"]
        assert {c["id"] for c in plain} == {mine["id"], theirs["id"]}
        assert all(c["person_name"] is None for c in plain)  # no names unless asked for

        named = {
            c["id"]: c["person_name"] for c in (await me.get("/cases?names=true")).json()["items"]
        }
        # the holder's person by name; a case shared with them shows none
        assert named == {mine["id"]: "Amína Haddádi", theirs["id"]: None}

        audit = await admin.get(
            "/audit", params={"user": holder, "kind": "read", "action": "list_cases_with_names"}
        )
        assert audit.status_code == 200, audit.text
        assert [r["object_id"] for r in audit.json()["items"]] == [mine["id"]]
        assert "Haddádi" not in json.dumps(audit.json())
