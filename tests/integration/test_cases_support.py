"""Volunteer pools and matching, lay interpreter bookings, the employment track and
employer contacts, over HTTP against the real service and database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.servers import eventually

CONSENT = {"given": True, "purposes": ["case_management"]}


def _tag() -> str:
    return uuid.uuid4().hex[:8]


async def _volunteer(cases: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Volunteer {_tag()}", "place": "Ohmstadt", **fields}
    response = await cases.post("/volunteers", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_volunteers_are_matched_by_language_and_place(cases: httpx.AsyncClient) -> None:
    # a language no other test uses, so the matches are this test's volunteers only
    lang = "ku"
    near = await _volunteer(cases, role="mentor", languages=["de", lang], place="Lindenau")
    far = await _volunteer(cases, role="mentor", languages=[lang, "ar"], place="Hohenroth")
    both = await _volunteer(cases, role="mentor", languages=[lang, "tr"], place="Hohenroth")
    await _volunteer(cases, role="mentor", languages=["ps"], place="Lindenau")  # no shared
    await _volunteer(cases, role="integration_guide", languages=[lang], place="Lindenau")
    inactive = await _volunteer(cases, role="mentor", languages=[lang], active=False)

    opened = await cases.post(
        "/cases",
        json={
            "person": {"given_name": "Rojda", "family_name": f"K{_tag()}", "languages": [lang]},
            "consent": CONSENT,
        },
    )
    path = f"/cases/{opened.json()['id']}"
    await cases.post(f"{path}/assessment", json={"needs": ["language"], "languages": ["tr"]})

    matches = await cases.get(
        f"{path}/volunteer-matches", params={"role": "mentor", "place": "lindenau"}
    )
    assert matches.status_code == 200, matches.text
    ranked = [
        (m["volunteer"]["id"], m["shared_languages"], m["same_place"]) for m in matches.json()
    ]
    assert ranked[0] == (both["id"], [lang, "tr"], False)  # two shared languages
    assert ranked[1] == (near["id"], [lang], True)  # then the same place
    assert (far["id"], [lang], False) in ranked[2:]
    assert inactive["id"] not in [r[0] for r in ranked]
    assert all(m["volunteer"]["role"] == "mentor" for m in matches.json())
    best = await cases.get(
        f"{path}/volunteer-matches", params={"role": "mentor", "place": "lindenau", "limit": 1}
    )
    assert [m["volunteer"]["id"] for m in best.json()] == [both["id"]]

    listed = (
        await cases.get("/volunteers", params={"language": lang, "place": "Hohenroth"})
    ).json()
    assert {v["id"] for v in listed["items"]} == {far["id"], both["id"]}

    assigned = await cases.post(f"{path}/volunteers", json={"volunteer_id": near["id"]})
    assert assigned.status_code == 201 and assigned.json()["role"] == "mentor"
    assert [v["volunteer_id"] for v in (await cases.get(f"{path}/volunteers")).json()] == [
        near["id"]
    ]


async def test_lay_interpreter_booked_and_appointment_recorded(cases: httpx.AsyncClient) -> None:
    interpreter = await _volunteer(cases, role="lay_interpreter", languages=["ti", "de"])
    mentor = await _volunteer(cases, role="mentor", languages=["ti"])
    opened = await cases.post(
        "/cases",
        json={"person": {"given_name": "Selam", "family_name": f"T{_tag()}"}, "consent": CONSENT},
    )
    path = f"/cases/{opened.json()['id']}"
    booking = {
        "volunteer_id": interpreter["id"],
        "appointment_at": "2027-03-04T09:30:00+01:00",
        "place": "Ausländerbehörde, Kreishaus Ohmstadt",
        "language": "ti",
        "purpose": "Verlängerung des Aufenthaltstitels",
    }
    wrong_language = await cases.post(
        f"{path}/interpreter-bookings", json={**booking, "language": "ar"}
    )
    assert wrong_language.status_code == 422 and "does not speak ar" in wrong_language.text
    not_interpreter = await cases.post(
        f"{path}/interpreter-bookings", json={**booking, "volunteer_id": mentor["id"]}
    )
    assert not_interpreter.status_code == 422

    ahead = await cases.post(f"{path}/interpreter-bookings", json=booking)
    assert ahead.status_code == 201, ahead.text
    assert ahead.json()["status"] == "booked"
    assert ahead.json()["appointment_at"].startswith("2027-03-04T08:30:00")
    too_early = await cases.post(
        f"/interpreter-bookings/{ahead.json()['id']}/outcome", json={"took_place": True}
    )
    assert too_early.status_code == 422, too_early.text
    assert "is on 04.03.2027" in too_early.json()["detail"]
    [still_booked] = [
        b
        for b in (await cases.get(f"{path}/interpreter-bookings")).json()
        if b["id"] == ahead.json()["id"]
    ]
    assert still_booked["status"] == "booked" and still_booked["recorded_by"] is None

    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    booked = await cases.post(
        f"{path}/interpreter-bookings", json={**booking, "appointment_at": yesterday}
    )
    assert booked.status_code == 201, booked.text
    outcome = await cases.post(
        f"/interpreter-bookings/{booked.json()['id']}/outcome", json={"took_place": True}
    )
    assert outcome.status_code == 200 and outcome.json()["status"] == "took_place"
    assert outcome.json()["recorded_by"] == "anna.cm"
    twice = await cases.post(
        f"/interpreter-bookings/{booked.json()['id']}/outcome", json={"took_place": False}
    )
    assert twice.status_code == 409
    of_volunteer = (await cases.get(f"/volunteers/{interpreter['id']}/bookings")).json()
    assert [b["status"] for b in of_volunteer] == ["took_place", "booked"]


async def test_employment_track_and_employer_contacts(cases: httpx.AsyncClient) -> None:
    before = (await cases.get("/statistics")).json()
    opened = await cases.post(
        "/cases",
        json={"person": {"given_name": "Omar", "family_name": f"S{_tag()}"}, "consent": CONSENT},
    )
    path = f"/cases/{opened.json()['id']}"
    employer = f"Metallbau Ohmtal {_tag()}"
    steps = [
        {"kind": "application", "employer": employer, "start_date": "2027-01-10", "status": "sent"},
        {"kind": "interview", "employer": employer, "start_date": "2027-01-24"},
        {
            "kind": "vocational_training",
            "employer": employer,
            "start_date": "2027-08-01",
            "end_date": "2030-07-31",
            "status": "ongoing",
        },
    ]
    ids = []
    for step in steps:
        response = await cases.post(f"{path}/employment", json=step)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    bad_dates = await cases.post(
        f"{path}/employment",
        json={
            "kind": "internship",
            "employer": employer,
            "start_date": "2027-02-01",
            "end_date": "2027-01-01",
        },
    )
    assert bad_dates.status_code == 422
    done = await cases.patch(
        f"{path}/employment/{ids[1]}", json={"status": "successful", "note": "Zusage"}
    )
    assert done.status_code == 200 and done.json()["status"] == "successful"
    track = (await cases.get(f"{path}/employment")).json()
    assert [(s["kind"], s["status"]) for s in track] == [
        ("application", "sent"),
        ("interview", "successful"),
        ("vocational_training", "ongoing"),
    ]
    assert (
        await cases.patch(f"{path}/employment/nope", json={"status": "completed"})
    ).status_code == 404

    contact = await cases.post(
        "/employer-contacts",
        json={
            "employer": employer,
            "contact_person": "Personalabteilung",
            "topics": ["work_permit", "subsidies"],
            "advice": "Beschäftigungserlaubnis über die Ausländerbehörde; EQ-Förderung möglich",
        },
    )
    assert contact.status_code == 201, contact.text
    found = (await cases.get("/employer-contacts", params={"employer": employer.upper()})).json()
    assert [c["id"] for c in found["items"]] == [contact.json()["id"]]

    after = (await cases.get("/statistics")).json()
    key = "vocational_training:ongoing"
    assert after["employment_steps"][key] == before["employment_steps"].get(key, 0) + 1

    # withdrawing consent erases the employer names and notes of the track too
    await cases.post(f"{path}/closure", json={"reason": "consent_withdrawn"})

    async def erased() -> list[dict[str, Any]] | None:
        rows: list[dict[str, Any]] = (await cases.get(f"{path}/employment")).json()
        return rows if all(r["employer"] is None for r in rows) else None

    rows = await eventually(erased)
    assert [r["kind"] for r in rows] == ["application", "interview", "vocational_training"]
    assert all(r["note"] is None for r in rows)
    refused = await cases.post(f"{path}/employment", json=steps[0])
    assert refused.status_code == 409
