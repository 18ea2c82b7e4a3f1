"""The local file store of attachments (shared/files/store.py): private folder and files
even under a permissive umask, whole files or none, opaque keys only, deleting twice."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.files.download import content_disposition
from shared.files.store import LocalFileStore, MissingFile


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
async def test_files_are_private_and_come_back_whole(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path / "data" / "attachments" / "cases")
    data = os.urandom(200_000)
    await store.put("0f1e2d3c-aaaa", io.BytesIO(data))
    path = store.path("0f1e2d3c-aaaa")
    assert path.read_bytes() == data
    assert _mode(path) == 0o600
    assert {_mode(p) for p in (path.parent, store.root, store.root.parent)} == {0o700}
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    chunks = [chunk async for chunk in await store.get("0f1e2d3c-aaaa")]
    assert len(chunks) > 1 and b"".join(chunks) == data


async def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("disk gone")

    store = LocalFileStore(tmp_path)
    with pytest.raises(OSError):
        await store.put("key-of-broken", Broken(b"x"))
    assert not store.path("key-of-broken").exists()
    assert list(store.path("key-of-broken").parent.iterdir()) == []


async def test_missing_files_and_deleting_twice(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    with pytest.raises(MissingFile):
        await store.get("never-stored")
    await store.put("stored-once", io.BytesIO(b"%PDF-"))
    await store.delete("stored-once")
    await store.delete("stored-once")  # an erasure repeated finds nothing and is fine
    assert not store.path("stored-once").exists()


@pytest.mark.parametrize("key", ["../../etc/passwd", "short", "a/b/c/defgh", "x" * 101, ""])
def test_keys_are_opaque_names_not_paths(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        LocalFileStore(tmp_path).path(key)


def test_the_download_name_has_an_ascii_fallback_and_the_utf8_original() -> None:
    header = content_disposition('Sachbericht "für" 2026 \u2013 Müller\\.pdf')
    assert header == (
        'attachment; filename="Sachbericht _fur_ 2026 _ Muller_.pdf"; '
        "filename*=UTF-8''Sachbericht%20%22f%C3%BCr%22%202026%20%E2%80%93%20M%C3%BCller%5C.pdf"
    )
