"""Intercultural-opening measures over HTTP and the activity report's three formats."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import httpx
from pypdf import PdfReader


async def test_measures_show_how_far_each_institution_got(coordination: httpx.AsyncClient) -> None:
    institution = str(uuid.uuid4())
    training = await coordination.post(
        "/measures",
        json={
            "institution_id": institution,
            "kind": "staff_training",
            "title": "Schulung interkulturelle Kompetenz",
            "goal": "Alle Übungsleitenden geschult",
            "started_on": "2027-02-01",
        },
    )
    assert training.status_code == 201, training.text
    assert training.json()["status"] == "planned"
    leaflet = await coordination.post(
        "/measures",
        json={
            "institution_id": institution,
            "kind": "multilingual_information",
            "title": "Flyer in fünf Sprachen",
            "goal": "Vereinsangebote mehrsprachig",
            "status": "in_progress",
        },
    )
    assert leaflet.status_code == 201, leaflet.text
    done = await coordination.patch(
        f"/measures/{training.json()['id']}", json={"status": "completed"}
    )
    assert done.status_code == 200, done.text
    assert done.json()["completed_on"] == datetime.now(UTC).date().isoformat()
    bad = await coordination.patch(
        f"/measures/{leaflet.json()['id']}",
        json={"started_on": "2027-05-01", "completed_on": "2027-04-01"},
    )
    assert bad.status_code == 422, bad.text

    listed = await coordination.get("/measures", params={"institution_id": institution})
    assert listed.json()["total"] == 2
    progress = [
        p
        for p in (await coordination.get("/measures/institutions")).json()
        if p["institution_id"] == institution
    ]
    assert progress == [
        {
            "institution_id": institution,
            "measures": 2,
            "by_status": {"in_progress": 1, "completed": 1},
            "furthest": "completed",
            "first_started_on": "2027-02-01",
            "last_completed_on": datetime.now(UTC).date().isoformat(),
        }
    ]


async def test_the_report_as_json_csv_and_pdf(coordination: httpx.AsyncClient) -> None:
    year = datetime.now(UTC).year
    report = await coordination.get(f"/reports/{year}", params={"priority": "case_management"})
    assert report.status_code == 200, report.text
    assert report.json()["year"] == year and report.json()["priority"] == "case_management"
    csv = await coordination.get(f"/reports/{year}/csv", params={"format": "plain"})
    assert csv.status_code == 200 and csv.text.startswith("section,item,date,count\r\n")
    pdf = await coordination.get(
        f"/reports/{year}/pdf", params={"office": "Landkreis Waldeck-Frankenberg"}
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"Sachbericht {year}" in text and "Landkreis Waldeck-Frankenberg" in text
    assert (await coordination.get("/reports/1999")).status_code == 422
