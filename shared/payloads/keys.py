"""Where the payload keys come from: ``WIR_PAYLOAD_KEYS`` or the keys file.

``WIR_PAYLOAD_KEYS`` (JSON, for production, e.g. from a secret store) wins. Otherwise the
keys file (``WIR_PAYLOAD_KEYS_FILE``, default ``<data_dir>/keys/payload-keys.json``) is
read; whichever process needs it first makes it (mode 0600, created exclusively, so two
processes starting at once end up with the same key). ``wir keys rotate`` adds a key to the
file. Key material is never logged; errors name the source and key ids only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from temporalio.converter import DataConverter

from shared.payloads.codec import EncryptionCodec, Keyring, encrypting
from shared.settings import WirSettings


def keys_file(settings: WirSettings) -> Path:
    return settings.payload_keys_file or settings.data_dir / "keys" / "payload-keys.json"


def _read(path: Path) -> Keyring:
    return Keyring.from_json(path.read_text(encoding="utf-8"), source=str(path))


def _write_temporary(path: Path, keyring: Keyring) -> Path:
    """``keyring`` in a new file (mode 0600) beside ``path``, written to disk."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def load_or_create_keyring(path: Path) -> Keyring:
    """The keyring in ``path``; a new one if there is no file yet.

    The new file is written aside and linked into place, which fails if another process
    made it first: then that process's keyring is the one read, and no reader ever sees a
    half-written file.
    """
    if not path.exists():
        temporary = _write_temporary(path, Keyring.generate())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return _read(path)


def load_keyring(settings: WirSettings) -> Keyring:
    if settings.payload_keys is not None:
        return Keyring.from_json(
            settings.payload_keys.get_secret_value(), source="WIR_PAYLOAD_KEYS"
        )
    return load_or_create_keyring(keys_file(settings))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside ``path``, so two rotations at once lose no key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def rotate_keys_file(path: Path, *, key_id: str | None = None) -> Keyring:
    """Add a new key to the file and make it current; every older key stays."""
    with _locked(path):
        keyring = load_or_create_keyring(path).rotated(key_id)
        # atomic: a process reading meanwhile sees the old file or the new one
        os.replace(_write_temporary(path, keyring), path)
    return keyring


def payload_codec(settings: WirSettings) -> EncryptionCodec:
    """The codec with this process's keyring.

    With the keys file, a payload under a key this process has not seen yet (rotated
    after it started) makes it read the file again.
    """
    keyring = load_keyring(settings)
    if settings.payload_keys is not None:
        return EncryptionCodec(keyring)
    return EncryptionCodec(keyring, reload=lambda: _read(keys_file(settings)))


def data_converter(settings: WirSettings) -> DataConverter:
    """The data converter every WIR process uses: pydantic JSON, then AES-GCM."""
    return encrypting(payload_codec(settings))
