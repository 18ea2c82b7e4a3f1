"""Where attached files live: the :class:`FileStore` protocol and its local-folder store.

A store keeps bytes under an opaque key (the attachment's id); the owning service's table
says what the bytes are. :class:`LocalFileStore` is the embedded default: a folder under the
service's data folder (``<data_dir>/attachments/<service>``), created 0700, each file 0600,
written to a temporary file in the same folder, flushed to disk and then renamed into place,
so a reader or a crash never sees half a file.

An S3-compatible object store (MinIO, Ceph, a cloud bucket) fits behind the same protocol
(``put`` = upload the staged file, ``get`` = a streamed ``GetObject``, ``delete`` =
``DeleteObject``) for installations of more than one machine. It is not built: no S3 client
is among WIR's dependencies, and WIR tests its parts for real. Until then replicas of a
service share the folder (a network file system mounted at the same path).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import private_folder
from shared.settings import WirSettings

#: Bytes read or written at a time.
CHUNK = 64 * 1024

_KEY = re.compile(r"[A-Za-z0-9_-]{8,100}")


class MissingFile(Exception):
    """The store holds nothing under this key."""


class FileStore(Protocol):
    """Bytes by opaque key. Keys are 8-100 characters of ``A-Z a-z 0-9 _ -``."""

    async def put(self, key: str, source: BinaryIO) -> None:
        """Store everything ``source`` holds (read from its start) under ``key``."""
        ...

    async def get(self, key: str) -> AsyncIterator[bytes]:
        """The bytes under ``key`` in chunks; :class:`MissingFile` if there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove what ``key`` holds; nothing there is no error (erasing twice is fine)."""
        ...


def attachment_store(settings: WirSettings, service: str) -> LocalFileStore:
    """The store of ``service``'s attachments on this installation."""
    return LocalFileStore(settings.data_dir / "attachments" / service)


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError("a file store key is 8-100 characters of A-Z a-z 0-9 _ -")
    return key


class LocalFileStore:
    """Files in a private folder: ``<root>/<first two characters of the key>/<key>``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    @property
    def staging(self) -> Path:
        """A private folder on the store's file system for uploads being received."""
        folder = self.root / ".incoming"
        private_folder(folder)
        return folder

    async def put(self, key: str, source: BinaryIO) -> None:
        await asyncio.to_thread(self._put, self.path(key), source)

    def _put(self, target: Path, source: BinaryIO) -> None:
        private_folder(target.parent)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                source.seek(0)
                shutil.copyfileobj(source, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise
        _sync_folder(target.parent)

    async def get(self, key: str) -> AsyncIterator[bytes]:
        path = self.path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise MissingFile(key) from None
        return _chunks(handle)

    async def delete(self, key: str) -> None:
        path = self.path(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)


async def _chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(handle.read, CHUNK):
            yield chunk
    finally:
        handle.close()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


async def commit_with_file(
    *, session: AsyncSession, store: FileStore, key: str, source: BinaryIO
) -> None:
    """Store ``source`` under ``key`` together with the session's new row: the row is
    flushed first (a conflict stops here, nothing stored), then the bytes are stored, then
    the session commits; a failed commit takes the bytes away again."""
    await session.flush()
    await store.put(key, source)
    try:
        await session.commit()
    except BaseException:
        await store.delete(key)
        raise
