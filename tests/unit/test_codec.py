"""The payload codec: AES-GCM round trip, key rotation, pass-through of old payloads,
refusal of unknown keys and altered ciphertext; the keys file and WIR_PAYLOAD_KEYS."""

from __future__ import annotations

import json
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter

from shared.payloads.codec import ENCODING, KEY_ID, EncryptionCodec, Keyring, PayloadKeyError
from shared.payloads.keys import data_converter, keys_file, load_keyring, rotate_keys_file
from shared.settings import WirSettings


class Person(BaseModel):
    given_name: str
    birth_date: str


AMINA = Person(given_name="Amina Haddadi", birth_date="1994-05-17")


def plain(value: object) -> Payload:
    return pydantic_data_converter.payload_converter.to_payload(value)


async def test_round_trip_restores_the_payload_and_hides_its_content() -> None:
    codec = EncryptionCodec(Keyring.generate("k1"))
    original = plain(AMINA)
    [encrypted] = await codec.encode([original])
    assert encrypted.metadata["encoding"] == ENCODING
    assert encrypted.metadata[KEY_ID] == b"k1"
    assert set(encrypted.metadata) == {"encoding", KEY_ID}  # json/plain is inside
    assert b"Amina" not in encrypted.SerializeToString()
    assert b"json/plain" not in encrypted.SerializeToString()
    [decoded] = await codec.decode([encrypted])
    assert decoded == original


async def test_each_payload_gets_its_own_nonce() -> None:
    codec = EncryptionCodec(Keyring.generate())
    first, second = await codec.encode([plain(AMINA), plain(AMINA)])
    assert first.data[:12] != second.data[:12]
    assert first.data != second.data


async def test_rotation_new_key_encrypts_old_key_still_decrypts() -> None:
    old = Keyring.generate("2026-a")
    [before] = await EncryptionCodec(old).encode([plain(AMINA)])
    rotated = old.rotated("2026-b")
    assert rotated.current == "2026-b" and set(rotated.keys) == {"2026-a", "2026-b"}
    codec = EncryptionCodec(rotated)
    [after] = await codec.encode([plain(AMINA)])
    assert after.metadata[KEY_ID] == b"2026-b"
    assert await codec.decode([before, after]) == [plain(AMINA), plain(AMINA)]


async def test_unknown_key_id_fails_clearly() -> None:
    [foreign] = await EncryptionCodec(Keyring.generate("elsewhere")).encode([plain(AMINA)])
    with pytest.raises(PayloadKeyError, match="unknown key id 'elsewhere'"):
        await EncryptionCodec(Keyring.generate("here")).decode([foreign])


async def test_same_key_id_with_another_key_is_rejected() -> None:
    [foreign] = await EncryptionCodec(Keyring.generate("k1")).encode([plain(AMINA)])
    with pytest.raises(PayloadKeyError, match="failed authentication"):
        await EncryptionCodec(Keyring.generate("k1")).decode([foreign])


@pytest.mark.parametrize("position", [0, 12, 20, -1], ids=["nonce", "first", "mid", "tag"])
async def test_tampered_ciphertext_is_rejected(position: int) -> None:
    codec = EncryptionCodec(Keyring.generate())
    [encrypted] = await codec.encode([plain(AMINA)])
    data = bytearray(encrypted.data)
    data[position] ^= 0x01
    tampered = Payload(metadata=dict(encrypted.metadata), data=bytes(data))
    with pytest.raises(PayloadKeyError, match="failed authentication"):
        await codec.decode([tampered])


async def test_key_id_in_metadata_is_authenticated() -> None:
    keyring = Keyring.generate("a").rotated("b")
    # b encrypted, then relabelled a → a's key fails; bound to b's id → b's AAD fails too
    codec = EncryptionCodec(keyring)
    [encrypted] = await codec.encode([plain(AMINA)])
    relabelled = Payload(metadata={**encrypted.metadata, KEY_ID: b"a"}, data=encrypted.data)
    with pytest.raises(PayloadKeyError, match="failed authentication"):
        await codec.decode([relabelled])


async def test_unencrypted_payloads_pass_through_unchanged() -> None:
    codec = EncryptionCodec(Keyring.generate())
    old = [plain(AMINA), plain(None), Payload(metadata={"encoding": b"binary/null"})]
    assert await codec.decode(old) == old


def test_keyring_repr_and_json_errors_show_no_key_material() -> None:
    keyring = Keyring.generate("k1")
    secret = json.loads(keyring.to_json())["keys"]["k1"]
    assert secret not in repr(keyring) and "k1" in repr(keyring)
    broken = json.dumps({"current": "k1", "keys": {"k1": secret[:-8]}})
    with pytest.raises(PayloadKeyError) as info:
        Keyring.from_json(broken, source="WIR_PAYLOAD_KEYS")
    assert secret[:-8] not in str(info.value)
    assert "WIR_PAYLOAD_KEYS" in str(info.value)


def test_keyring_must_name_a_current_key_it_holds() -> None:
    keyring = Keyring.generate("k1")
    text = keyring.to_json().replace('"current": "k1"', '"current": "k9"')
    with pytest.raises(PayloadKeyError, match="current key 'k9'"):
        Keyring.from_json(text)


def test_keys_file_made_once_with_0600_and_shared_by_concurrent_starters(tmp_path: Path) -> None:
    settings = WirSettings(data_dir=tmp_path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        keyrings = list(pool.map(lambda _: load_keyring(settings), range(16)))
    path = keys_file(settings)
    assert path == tmp_path / "keys" / "payload-keys.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(k == keyrings[0] for k in keyrings)
    assert [p.name for p in path.parent.iterdir()] == ["payload-keys.json"]


def test_rotation_of_the_file_keeps_old_keys(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    first = load_keyring(WirSettings(payload_keys_file=path))
    second = rotate_keys_file(path, key_id="next")
    assert second.current == "next"
    assert second.keys[first.current] == first.keys[first.current]
    assert load_keyring(WirSettings(payload_keys_file=path)) == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_process_started_before_a_rotation_reads_the_new_key(tmp_path: Path) -> None:
    settings = WirSettings(payload_keys_file=tmp_path / "k.json")
    early = data_converter(settings)
    rotate_keys_file(keys_file(settings), key_id="rotated")
    late = data_converter(settings)
    [payload] = await late.encode([AMINA])
    assert payload.metadata[KEY_ID] == b"rotated"
    assert await early.decode([payload], [Person]) == [AMINA]


async def test_env_keys_win_over_the_file(tmp_path: Path) -> None:
    keyring = Keyring.generate("from-env")
    settings = WirSettings(data_dir=tmp_path, payload_keys=SecretStr(keyring.to_json()))
    assert load_keyring(settings) == keyring
    [payload] = await data_converter(settings).encode([AMINA])
    assert payload.metadata[KEY_ID] == b"from-env"
    assert not (tmp_path / "keys").exists()
    assert keyring.to_json() not in repr(settings)


async def test_failure_messages_are_encrypted_too() -> None:
    converter = data_converter(WirSettings(payload_keys=SecretStr(Keyring.generate().to_json())))
    failure = Failure()
    await converter.encode_failure(ValueError("Amina Haddadi was not found"), failure)
    assert b"Amina" not in failure.SerializeToString()
    restored = await converter.decode_failure(failure)
    assert "Amina Haddadi" in str(restored)


def test_concurrent_rotations_lose_no_key(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    load_keyring(WirSettings(payload_keys_file=path))
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: rotate_keys_file(path, key_id=f"r{i}"), range(8)))
    final = load_keyring(WirSettings(payload_keys_file=path))
    assert {f"r{i}" for i in range(8)} <= set(final.keys)
    assert len(final.keys) == 9
