"""Encryption of Temporal payloads: AES-256-GCM, with keys that rotate.

Everything a WIR process hands to Temporal (workflow inputs, update arguments and results,
activity inputs, query answers, failure details) passes :class:`EncryptionCodec`, so the
Temporal server, its database and its Web UI see ciphertext only. The whole serialized
``Payload`` (its metadata and data) is encrypted, so the original encoding is authenticated
too; the encrypted payload carries only ``encoding=binary/encrypted`` and the id of its key.

Keys live in a :class:`Keyring`: the ``current`` key encrypts, every key in the ring
decrypts, so a rotation (``wir keys rotate``) adds a key and never removes one. A payload
without the encrypted marker passes ``decode`` unchanged: histories recorded before
encryption and workflows started before it stay readable and replay.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
KEY_BYTES = 32
# Binds the ciphertext to the format and to the key id in the metadata.
_AAD_PREFIX = b"wir-payload-v1:"
_KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class PayloadKeyError(Exception):
    """A keyring that cannot be used, or a payload that cannot be decrypted with it."""


def new_key_id() -> str:
    """Date of creation and a random suffix: sorts by age, says nothing else."""
    return f"{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Keyring:
    """AES-256 keys by id; ``current`` names the one that encrypts.

    Its ``repr`` names the key ids only, so a keyring in a log or a traceback shows no key.
    """

    current: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            if not _KEY_ID_PATTERN.fullmatch(key_id):
                raise PayloadKeyError(f"invalid key id {key_id!r} (letters, digits, . _ -)")
            if len(key) != KEY_BYTES:
                raise PayloadKeyError(f"key {key_id} is not {KEY_BYTES * 8} bits long")
        if self.current not in self.keys:
            raise PayloadKeyError(f"the current key {self.current!r} is not in the keyring")

    def __repr__(self) -> str:
        return f"Keyring(current={self.current!r}, ids={sorted(self.keys)!r})"

    @classmethod
    def generate(cls, key_id: str | None = None) -> Keyring:
        key_id = key_id or new_key_id()
        return cls(current=key_id, keys={key_id: AESGCM.generate_key(bit_length=256)})

    def rotated(self, key_id: str | None = None) -> Keyring:
        """This keyring plus a new key, which becomes the current one."""
        key_id = key_id or new_key_id()
        if key_id in self.keys:
            raise PayloadKeyError(f"key id {key_id} is already in the keyring")
        new_key = AESGCM.generate_key(bit_length=256)
        return Keyring(current=key_id, keys={**self.keys, key_id: new_key})

    def to_json(self) -> str:
        keys = {key_id: base64.b64encode(key).decode() for key_id, key in self.keys.items()}
        return json.dumps({"current": self.current, "keys": keys}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, *, source: str = "keyring") -> Keyring:
        """Parse ``{"current": id, "keys": {id: base64}}``; errors name ``source``, no key."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PayloadKeyError(f"{source} is not valid JSON (line {exc.lineno})") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise PayloadKeyError(f'{source} must be {{"current": id, "keys": {{id: base64}}}}')
        current = data.get("current")
        if not isinstance(current, str):
            raise PayloadKeyError(f'{source} has no "current" key id')
        keys: dict[str, bytes] = {}
        for key_id, encoded in data["keys"].items():
            try:
                keys[str(key_id)] = base64.b64decode(str(encoded), validate=True)
            except (binascii.Error, ValueError):
                raise PayloadKeyError(f"{source}: key {key_id} is not base64") from None
        try:
            return cls(current=current, keys=keys)
        except PayloadKeyError as exc:
            raise PayloadKeyError(f"{source}: {exc}") from None


def _aad(key_id: str) -> bytes:
    return _AAD_PREFIX + key_id.encode()


class EncryptionCodec(PayloadCodec):
    """Encrypts each payload with the current key; decrypts with any key of the ring.

    ``reload`` (if given) is asked for a fresh keyring when a payload names a key this
    process does not know yet: a process started before a rotation then reads and uses
    the new key instead of failing.
    """

    def __init__(self, keyring: Keyring, *, reload: Callable[[], Keyring] | None = None) -> None:
        self._keyring = keyring
        self._reload = reload
        self._ciphers: dict[str, AESGCM] = {}

    @property
    def current_key_id(self) -> str:
        return self._keyring.current

    def _cipher(self, key_id: str) -> AESGCM:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            if key_id not in self._keyring.keys and self._reload is not None:
                self._keyring = self._reload()
            key = self._keyring.keys.get(key_id)
            if key is None:
                raise PayloadKeyError(
                    f"payload encrypted with unknown key id {key_id!r}; this process has "
                    f"keys {sorted(self._keyring.keys)} (is the keyring older than the payload?)"
                )
            cipher = self._ciphers[key_id] = AESGCM(key)
        return cipher

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        key_id = self._keyring.current
        cipher = self._cipher(key_id)
        encoded: list[Payload] = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            sealed = cipher.encrypt(nonce, payload.SerializeToString(), _aad(key_id))
            encoded.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID: key_id.encode()},
                    data=nonce + sealed,
                )
            )
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(payload) for payload in payloads]

    def decrypt(self, payload: Payload) -> Payload:
        """The original payload; one without the encrypted marker comes back as it is."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        raw_id = payload.metadata.get(KEY_ID)
        if not raw_id:
            raise PayloadKeyError(f"encrypted payload without {KEY_ID} metadata")
        key_id = raw_id.decode(errors="replace")
        cipher = self._cipher(key_id)
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, _aad(key_id))
        except InvalidTag:
            raise PayloadKeyError(
                f"encrypted payload (key {key_id}) failed authentication: altered or damaged"
            ) from None
        try:
            return Payload.FromString(plain)
        except DecodeError:
            raise PayloadKeyError(f"payload decrypted with key {key_id} is no Payload") from None

    @staticmethod
    def is_encrypted(payload: Payload) -> bool:
        return payload.metadata.get("encoding") == ENCODING


def encrypting(codec: EncryptionCodec) -> DataConverter:
    """The pydantic data converter with payload encryption.

    Failures keep their message and stack trace in an encoded attribute as well, so an
    error text that quotes input stays encrypted in the history too.
    """
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def encrypted_data_converter(keyring: Keyring) -> DataConverter:
    return encrypting(EncryptionCodec(keyring))
