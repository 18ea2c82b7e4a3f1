"""Attachments of cases over real HTTP: only the case managers who may work on the case see
them, every list and download is audited as a personal-data read, nothing about the file
reaches NATS, and the case's erasure takes the files off the disk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import nats
import pytest
import pytest_asyncio
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.cases.app import create_app
from shared.auth import Role
from shared.settings import WirSettings
from tests import auth, files
from tests.attachment_clients import MAX_BYTES, files_settings, served, stored_files, upload
from tests.case_clients import as_user, new_manager
from tests.servers import eventually

ADMIN = auth.headers("ada.admin", Role.admin)
PERSON = {"given_name": "Amina", "family_name": "Haddad-Yilmaz", "birth_date": "1991-05-03"}
CONSENT = {"given": True, "purposes": ["case_management"]}


@pytest.fixture
def manager() -> str:
    return new_manager()


@pytest_asyncio.fixture
async def desk(
    settings: WirSettings, worker: None, manager: str
) -> AsyncIterator[httpx.AsyncClient]:
    headers = auth.headers(manager, Role.case_manager)
    async with served(create_app(files_settings(settings)), headers) as client:
        yield client


@pytest.fixture
def store_root(settings: WirSettings) -> Path:
    return settings.data_dir / "attachments" / "cases"


async def _case(desk: httpx.AsyncClient) -> str:
    opened = await desk.post("/cases", json={"person": PERSON, "consent": CONSENT})
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"])


async def _published_since(settings: WirSettings, since: datetime) -> list[bytes]:
    """Every message the stream took since ``since``, as any subscriber could read it."""
    nc = await nats.connect(settings.nats_url)
    try:
        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since)
        sub = await nc.jetstream().subscribe("wir.>", ordered_consumer=True, config=config)
        found: list[bytes] = []
        try:
            while True:
                found.append((await sub.next_msg(timeout=1)).data)
        except nats.errors.TimeoutError:
            pass
        await sub.unsubscribe()
        return found
    finally:
        await nc.drain()


async def test_a_consent_form_scan_is_kept_listed_downloaded_and_audited(
    desk: httpx.AsyncClient, manager: str, store_root: Path, settings: WirSettings
) -> None:
    started = datetime.now(UTC)
    case_id = await _case(desk)
    path = f"/cases/{case_id}/attachments"
    scan = files.jpeg()
    sent = await desk.post(
        path, **upload(scan, "Einwilligung Amina Haddad.jpg", "image/jpeg", description="Scan")
    )
    assert sent.status_code == 201, sent.text
    attachment = sent.json()
    assert attachment["object_id"] == case_id
    assert attachment["media_type"] == "image/jpeg" and attachment["size"] == len(scan)
    assert attachment["uploaded_by"] == manager

    repeated = await desk.post(path, **upload(scan, "again.jpg", "image/jpeg"))
    assert repeated.status_code == 200 and repeated.json()["id"] == attachment["id"]
    listed = (await desk.get(path)).json()
    assert [item["id"] for item in listed["items"]] == [attachment["id"]]

    download = await desk.get(f"{path}/{attachment['id']}")
    assert download.status_code == 200 and download.content == scan
    assert (
        "filename*=UTF-8''Einwilligung%20Amina%20Haddad.jpg"
        in download.headers["content-disposition"]
    )
    assert (store_root / attachment["id"][:2] / attachment["id"]).read_bytes() == scan

    reads = await desk.get(
        "/audit", params={"object_id": attachment["id"], "kind": "read"}, headers=ADMIN
    )
    assert [(e["user"], e["action"]) for e in reads.json()["items"]] == [
        (manager, "download_case_attachment")
    ]
    # the upload's audit event is on NATS, but nothing of the file: neither name nor content
    published = await _published_since(settings, started)
    assert any(attachment["object_id"].encode() in message for message in published)
    assert not [m for m in published if b"Haddad" in m or b"Einwilligung" in m or scan in m]


async def test_other_case_managers_see_nothing(desk: httpx.AsyncClient) -> None:
    case_id = await _case(desk)
    path = f"/cases/{case_id}/attachments"
    sent = await desk.post(path, **upload(files.pdf()))
    assert sent.status_code == 201, sent.text
    async with as_user(desk, new_manager()) as other:
        assert (await other.get(path)).status_code == 404
        assert (await other.get(f"{path}/{sent.json()['id']}")).status_code == 404
        assert (
            await other.post(path, **upload(files.png(), "x.png", "image/png"))
        ).status_code == 404
        assert (await other.delete(f"{path}/{sent.json()['id']}")).status_code == 404
    async with as_user(desk, "ada.admin", Role.admin) as admin:
        assert (await admin.get(path)).status_code == 403
    assert (await desk.get(path)).json()["total"] == 1


async def test_wrong_files_are_refused_and_removal_takes_the_file(
    desk: httpx.AsyncClient, store_root: Path
) -> None:
    case_id = await _case(desk)
    path = f"/cases/{case_id}/attachments"
    before = stored_files(store_root)
    assert (await desk.post(path, **upload(files.exe(), "a.exe", ""))).status_code == 415
    big = files.png() + b"\x00" * (MAX_BYTES + 1)
    assert (await desk.post(path, **upload(big, "gross.png", "image/png"))).status_code == 413
    assert stored_files(store_root) == before

    legacy = await desk.post(path, **upload(files.compound("WordDocument"), "Zeugnis.doc", ""))
    assert legacy.status_code == 201, legacy.text
    assert legacy.json()["media_type"] == "application/msword"
    macros = files.compound("WordDocument", "Macros")
    assert (await desk.post(path, **upload(macros, "Makro.doc", ""))).status_code == 415
    sent = (await desk.post(path, **upload(files.docx(), "Lebenslauf.docx", ""))).json()
    kept = store_root / sent["id"][:2] / sent["id"]
    assert kept.exists()
    assert (await desk.delete(f"{path}/{sent['id']}")).status_code == 204
    assert not kept.exists()
    assert (await desk.get(path)).json()["total"] == 1  # the .doc


async def test_the_erasure_takes_the_files_off_the_disk(
    desk: httpx.AsyncClient, store_root: Path
) -> None:
    case_id = await _case(desk)
    path = f"/cases/{case_id}/attachments"
    ids = []
    for data, name, media_type in [
        (files.pdf("Einwilligung"), "Einwilligung.pdf", "application/pdf"),
        (files.png(), "Ausweis.png", "image/png"),
    ]:
        sent = await desk.post(path, **upload(data, name, media_type))
        assert sent.status_code == 201, sent.text
        ids.append(sent.json()["id"])
    kept = [store_root / key[:2] / key for key in ids]
    assert all(p.exists() for p in kept)

    closed = await desk.post(f"/cases/{case_id}/closure", json={"reason": "consent_withdrawn"})
    assert closed.status_code == 200, closed.text

    async def erased() -> bool:
        return bool((await desk.get(f"/cases/{case_id}")).json()["erased_at"])

    await eventually(erased)
    assert not any(p.exists() for p in kept)
    assert (await desk.get(path)).json()["total"] == 0
    assert (await desk.get(f"{path}/{ids[0]}")).status_code == 404
    late = await desk.post(path, **upload(files.pdf("später")))
    assert late.status_code == 409, late.text
