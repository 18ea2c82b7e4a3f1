"""Attachments of applications and reports over real HTTP: upload, list, download, removal,
the size and type checks, access and the audit row of each download."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from services.applications.app import create_app
from shared.auth import Role
from shared.settings import WirSettings
from tests import auth, files
from tests import grant_flows as flow
from tests.attachment_clients import MAX_BYTES, files_settings, served, stored_files, upload

OFFICER = auth.headers("petra.officer", Role.programme_officer)
ADMIN = auth.headers("ada.admin", Role.admin)


@pytest_asyncio.fixture(scope="module")
async def office(settings: WirSettings, worker: None) -> AsyncIterator[httpx.AsyncClient]:
    async with served(create_app(files_settings(settings)), OFFICER) as client:
        yield client


@pytest.fixture
def store_root(settings: WirSettings) -> Path:
    return settings.data_dir / "attachments" / "applications"


async def _draft(office: httpx.AsyncClient, months: int = 12) -> tuple[str, dict[str, str]]:
    round_id = await flow.open_round(office)
    start, end = flow.period(months)
    application_id = await flow.draft(
        office,
        await flow.organisation(office),
        round_id,
        funding_period_start=start.isoformat(),
        funding_period_end=end.isoformat(),
    )
    return application_id, await flow.applicant(office, application_id)


async def test_an_attachment_goes_up_and_comes_back_byte_for_byte(
    office: httpx.AsyncClient, store_root: Path
) -> None:
    application_id, applicant = await _draft(office)
    path = f"/applications/{application_id}/attachments"
    data = files.pdf("Kostenplan Belege")
    name = "Belege Kostenplan März.pdf"

    sent = await office.post(path, headers=applicant, **upload(data, name, description="Belege"))
    assert sent.status_code == 201, sent.text
    attachment = sent.json()
    assert attachment["object_id"] == application_id
    assert attachment["target"] == "application" and attachment["report_number"] is None
    assert attachment["file_name"] == name
    assert attachment["media_type"] == "application/pdf"
    assert attachment["size"] == len(data) and attachment["description"] == "Belege"
    assert attachment["uploaded_by"] == "verein.kontakt"
    assert attachment["sha256"] == hashlib.sha256(data).hexdigest()

    again = await office.post(path, headers=applicant, **upload(data, "copy.pdf"))
    assert again.status_code == 200 and again.json()["id"] == attachment["id"]
    listed = (await office.get(path, headers=applicant)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == attachment["id"]

    # staff who may read the application download it (the officer here)
    download = await office.get(f"{path}/{attachment['id']}")
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "application/pdf"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Belege Kostenplan Marz.pdf"')
    assert "filename*=UTF-8''Belege%20Kostenplan%20M%C3%A4rz.pdf" in disposition

    kept = store_root / attachment["id"][:2] / attachment["id"]
    assert kept.read_bytes() == data
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700

    audit = await office.get(
        "/audit", params={"object_id": attachment["id"], "kind": "read"}, headers=ADMIN
    )
    entries = audit.json()["items"]
    assert [(e["user"], e["action"], e["object_type"]) for e in entries] == [
        ("petra.officer", "download_application_attachment", "attachment")
    ]


async def test_an_upload_may_be_longer_than_other_requests(
    office: httpx.AsyncClient, settings: WirSettings
) -> None:
    application_id, applicant = await _draft(office)
    scan = files.pdf() + b"%" * (settings.max_body_bytes + 1)
    sent = await office.post(
        f"/applications/{application_id}/attachments", headers=applicant, **upload(scan)
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["size"] == len(scan)
    too_long = await office.post(
        "/organisations", content=b" " * len(scan), headers={"Content-Type": "application/json"}
    )
    assert too_long.status_code == 413


async def test_too_large_or_wrong_files_are_refused_and_nothing_is_stored(
    office: httpx.AsyncClient, store_root: Path
) -> None:
    application_id, applicant = await _draft(office)
    path = f"/applications/{application_id}/attachments"
    before = stored_files(store_root)

    too_large = files.pdf() + b"0" * MAX_BYTES
    refused = await office.post(path, headers=applicant, **upload(too_large))
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"] == "application/problem+json"

    for data, name, declared in [
        (files.exe(), "setup.exe", "application/octet-stream"),
        (files.plain_zip(), "Belege.zip", "application/zip"),
        (files.pdf(), "scan.png", "image/png"),  # a PDF declared as PNG
    ]:
        answer = await office.post(path, headers=applicant, **upload(data, name, declared))
        assert answer.status_code == 415, f"{name}: {answer.text}"

    not_multipart = await office.post(path, headers=applicant, content=files.pdf())
    assert not_multipart.status_code == 415
    no_file = await office.post(path, headers=applicant, data={"description": "nichts"})
    assert no_file.status_code in (415, 422)  # httpx sends a form without a file urlencoded
    empty = await office.post(path, headers=applicant, **upload(b""))
    assert empty.status_code == 422

    assert (await office.get(path, headers=applicant)).json()["total"] == 0
    assert stored_files(store_root) == before
    assert not any((store_root / ".incoming").iterdir())


async def test_other_organisations_see_no_attachments(office: httpx.AsyncClient) -> None:
    application_id, applicant = await _draft(office)
    path = f"/applications/{application_id}/attachments"
    sent = await office.post(
        path, headers=applicant, **upload(files.png(), "Foto.png", "image/png")
    )
    assert sent.status_code == 201, sent.text
    other = auth.headers("andere.kontakt", Role.applicant, organisation="org-of-someone-else")
    assert (await office.get(path, headers=other)).status_code == 404
    assert (await office.get(f"{path}/{sent.json()['id']}", headers=other)).status_code == 404
    answer = await office.post(path, headers=other, **upload(files.pdf()))
    assert answer.status_code == 404
    deleted = await office.delete(f"{path}/{sent.json()['id']}", headers=other)
    assert deleted.status_code == 404
    # a reviewer not assigned to the application does not see it either
    assert (await office.get(path, headers=flow.REVIEWER)).status_code == 404


async def test_attachments_change_only_while_the_application_is_a_draft(
    office: httpx.AsyncClient, store_root: Path
) -> None:
    application_id, applicant = await _draft(office)
    path = f"/applications/{application_id}/attachments"
    first = (await office.post(path, headers=applicant, **upload(files.pdf("eins")))).json()
    second = (
        await office.post(
            path, headers=applicant, **upload(files.docx(), "Plan.docx", "application/octet-stream")
        )
    ).json()
    assert second["media_type"].endswith("wordprocessingml.document")

    removed = await office.delete(f"{path}/{first['id']}", headers=applicant)
    assert removed.status_code == 204
    assert not (store_root / first["id"][:2] / first["id"]).exists()
    assert (await office.get(f"{path}/{first['id']}")).status_code == 404

    await flow.submitted_in_review(office, application_id)
    late = await office.post(path, headers=applicant, **upload(files.pdf("zu spät")))
    assert late.status_code == 409, late.text
    kept = await office.delete(f"{path}/{second['id']}", headers=applicant)
    assert kept.status_code == 409
    assert (await office.get(f"{path}/{second['id']}")).content == files.docx()
    assert (await office.get(path)).json()["total"] == 1


async def test_reports_take_attachments_until_they_are_submitted(
    office: httpx.AsyncClient,
) -> None:
    application_id, applicant = await _draft(office, months=24)  # one interim report
    await flow.submitted_in_review(office, application_id)
    await flow.reviewed(office, application_id)
    assert (await flow.approve(office, application_id, "80000.00")).status_code == 200
    await flow.funded(office, application_id)
    base = f"/applications/{application_id}"

    interim = await office.post(
        f"{base}/interim-reports/1/attachments",
        headers=applicant,
        **upload(files.jpeg(), "Quittung.jpg", "image/jpeg"),
    )
    assert interim.status_code == 201, interim.text
    assert interim.json()["target"] == "interim_report"
    assert interim.json()["report_number"] == 1
    final = await office.post(
        f"{base}/final-report/attachments",
        headers=applicant,
        **upload(files.odt(), "Sachbericht", "application/octet-stream"),
    )
    assert final.status_code == 201, final.text
    assert final.json()["file_name"] == "Sachbericht.odt"
    # each report lists its own
    assert (await office.get(f"{base}/interim-reports/2/attachments")).json()["total"] == 0
    assert (await office.get(f"{base}/final-report/attachments")).json()["total"] == 1
    wrong_place = await office.get(f"{base}/final-report/attachments/{interim.json()['id']}")
    assert wrong_place.status_code == 404
    got = await office.get(f"{base}/interim-reports/1/attachments/{interim.json()['id']}")
    assert got.content == files.jpeg()

    # the application's own attachments are closed in the funding period
    closed = await office.post(f"{base}/attachments", headers=applicant, **upload(files.pdf()))
    assert closed.status_code == 409

    submitted = await office.post(
        f"{base}/interim-reports/1", json={"summary": "Erstes Förderjahr"}, headers=applicant
    )
    assert submitted.status_code == 200, submitted.text
    late = await office.post(
        f"{base}/interim-reports/1/attachments", headers=applicant, **upload(files.pdf())
    )
    assert late.status_code == 409, late.text
    removal = await office.delete(
        f"{base}/interim-reports/1/attachments/{interim.json()['id']}", headers=applicant
    )
    assert removal.status_code == 409
    # the final report is still open, until it is submitted
    still_open = await office.post(
        f"{base}/final-report/attachments", headers=applicant, **upload(files.pdf())
    )
    assert still_open.status_code == 201, still_open.text
    report = await office.post(
        f"{base}/final-report", json={"spent_amount": "79000.00"}, headers=applicant
    )
    assert report.status_code == 200, report.text
    late = await office.post(
        f"{base}/final-report/attachments",
        headers=applicant,
        **upload(files.png(), "Foto.png", "image/png"),
    )
    assert late.status_code == 409, late.text
    assert (await office.get(f"{base}/final-report/attachments")).json()["total"] == 2
