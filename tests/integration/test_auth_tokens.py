"""Bearer tokens: the local key of the embedded default and an OIDC issuer's JWKS served over
real HTTP; what a token must carry to be believed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from pydantic import ValidationError

from shared.auth import AuthError, Role, TokenVerifier, actor_from_claims, mint_token
from shared.settings import WirSettings
from tests.servers import serve


def _local(tmp_path: Path) -> WirSettings:
    return WirSettings(data_dir=tmp_path, auth_key_file=tmp_path / "key.pem")


async def test_a_minted_token_names_user_roles_and_organisation(tmp_path: Path) -> None:
    settings = _local(tmp_path)
    token = mint_token(
        settings, user="kontakt", roles=[Role.applicant], organisation_id="org-1", minutes=5
    )
    actor = await TokenVerifier(settings).verify(token)
    assert actor.user == "kontakt" and actor.roles == {Role.applicant}
    assert actor.organisation_id == "org-1" and actor.provider_id is None
    assert (tmp_path / "key.pem").stat().st_mode & 0o777 == 0o600


async def test_expired_foreign_and_misaddressed_tokens_are_refused(tmp_path: Path) -> None:
    settings = _local(tmp_path)
    verifier = TokenVerifier(settings)
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": "anna",
        "roles": ["case_manager"],
        "exp": now + dt.timedelta(minutes=5),
    }
    other = _local(tmp_path / "other")
    (tmp_path / "other").mkdir()
    foreign = mint_token(other, user="anna", roles=[Role.admin])
    with pytest.raises(AuthError, match="not valid"):
        await verifier.verify(foreign)
    from shared.auth import load_or_create_signing_key

    key = load_or_create_signing_key(settings)
    expired = jwt.encode(claims | {"exp": now - dt.timedelta(minutes=5)}, key, algorithm="EdDSA")
    with pytest.raises(AuthError, match="expired"):
        await verifier.verify(expired)
    elsewhere = jwt.encode(claims | {"aud": "another-system"}, key, algorithm="EdDSA")
    with pytest.raises(AuthError, match="not valid"):
        await verifier.verify(elsewhere)
    unsigned = jwt.encode(claims, "", algorithm="none")
    with pytest.raises(AuthError):
        await verifier.verify(unsigned)
    no_expiry = jwt.encode({k: v for k, v in claims.items() if k != "exp"}, key, algorithm="EdDSA")
    with pytest.raises(AuthError):
        await verifier.verify(no_expiry)


def test_roles_from_a_nested_claim_and_unknown_roles_ignored() -> None:
    claims = {"sub": "anna", "realm_access": {"roles": ["case_manager", "offline_access"]}}
    actor = actor_from_claims(claims, roles_claim="realm_access.roles")
    assert actor.roles == {Role.case_manager}
    assert actor_from_claims({"sub": "x"}, roles_claim="roles").roles == frozenset()


async def test_tokens_of_an_oidc_issuer_are_checked_against_its_jwks() -> None:
    issuer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(issuer_key.public_key()))
    public.update(kid="issuer-1", use="sig", alg="RS256")
    issuer = FastAPI()

    @issuer.get("/jwks.json")
    async def jwks() -> dict[str, Any]:
        return {"keys": [public]}

    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": "https://login.example.org/realms/wir",
        "aud": "wir",
        "sub": "f3c1a9",
        "realm_access": {"roles": ["programme_officer"]},
        "exp": now + dt.timedelta(minutes=5),
    }
    async with serve(issuer) as url:
        settings = WirSettings(
            auth_jwks_url=f"{url}/jwks.json",
            auth_issuer="https://login.example.org/realms/wir",
            auth_roles_claim="realm_access.roles",
        )
        verifier = TokenVerifier(settings)
        good = jwt.encode(claims, issuer_key, algorithm="RS256", headers={"kid": "issuer-1"})
        actor = await verifier.verify(good)
        assert actor.user == "f3c1a9" and actor.roles == {Role.programme_officer}
        forged = jwt.encode(claims, rogue_key, algorithm="RS256", headers={"kid": "issuer-1"})
        with pytest.raises(AuthError, match="not valid"):
            await verifier.verify(forged)
        unknown_kid = jwt.encode(claims, rogue_key, algorithm="RS256", headers={"kid": "rogue"})
        with pytest.raises(AuthError, match="no signing key"):
            await verifier.verify(unknown_kid)
        # RFC 9068 access tokens pass; another kind of token of the same issuer does not
        access = jwt.encode(
            claims, issuer_key, algorithm="RS256", headers={"kid": "issuer-1", "typ": "at+jwt"}
        )
        assert (await verifier.verify(access)).user == "f3c1a9"
        logout = jwt.encode(
            claims, issuer_key, algorithm="RS256", headers={"kid": "issuer-1", "typ": "logout+jwt"}
        )
        with pytest.raises(AuthError, match="not an access token"):
            await verifier.verify(logout)
        # an issuer's tokens may live up to auth_jwks_max_token_minutes (24 h by default)
        day = claims | {"iat": now, "exp": now + dt.timedelta(hours=23)}
        long = claims | {"iat": now, "exp": now + dt.timedelta(hours=25)}
        for lifetime, accepted in ((day, True), (long, False)):
            token = jwt.encode(lifetime, issuer_key, algorithm="RS256", headers={"kid": "issuer-1"})
            if accepted:
                assert (await verifier.verify(token)).user == "f3c1a9"
            else:
                with pytest.raises(AuthError, match="lifetime"):
                    await verifier.verify(token)


def test_keys_of_an_issuer_come_over_https_only() -> None:
    with pytest.raises(ValidationError, match="https"):
        WirSettings(auth_jwks_url="http://login.example.org/realms/wir/certs")
    assert WirSettings(auth_jwks_url="http://127.0.0.1:8080/certs").auth_jwks_url
    assert WirSettings(auth_jwks_url="https://login.example.org/certs").auth_jwks_url


def test_processes_starting_together_share_one_signing_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from cryptography.hazmat.primitives import serialization

    from shared.auth import load_or_create_signing_key

    settings = WirSettings(data_dir=tmp_path, auth_key_file=tmp_path / "auth" / "key.pem")
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(lambda _: load_or_create_signing_key(settings), range(16)))
    raw = {
        k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        for k in keys
    }
    assert len(raw) == 1
    assert sorted(p.name for p in (tmp_path / "auth").iterdir()) == ["key.pem"]
    assert (tmp_path / "auth").stat().st_mode & 0o777 == 0o700


def _signed(settings: WirSettings, **claims: Any) -> str:
    from shared.auth import load_or_create_signing_key

    now = dt.datetime.now(dt.UTC)
    base: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": "anna",
        "roles": ["case_manager"],
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
    }
    return jwt.encode(base | claims, load_or_create_signing_key(settings), algorithm="EdDSA")


@pytest.mark.parametrize(
    "roles",
    [{"case_manager": True}, [1, 2], [["case_manager"]], [{"role": "admin"}], 7, True],
    ids=["object", "numbers", "nested list", "list of objects", "number", "boolean"],
)
async def test_a_roles_claim_of_another_shape_is_refused(tmp_path: Path, roles: Any) -> None:
    settings = _local(tmp_path)
    with pytest.raises(AuthError, match="list of strings"):
        await TokenVerifier(settings).verify(_signed(settings, roles=roles))


@pytest.mark.parametrize(
    "subject", ["anna\nINFO forged line", "anna\r", "a\x1b[31m", "a\x00", "a\u2028b", "a\x85"]
)
async def test_a_subject_with_control_characters_is_refused(tmp_path: Path, subject: str) -> None:
    settings = _local(tmp_path)
    with pytest.raises(AuthError, match="control characters"):
        await TokenVerifier(settings).verify(_signed(settings, sub=subject))


@pytest.mark.parametrize("claim", ["wir_org", "wir_provider"])
async def test_organisation_and_provider_claims_must_be_short_strings(
    tmp_path: Path, claim: str
) -> None:
    settings = _local(tmp_path)
    verifier = TokenVerifier(settings)
    for value in ({"id": "org-1"}, ["org-1"], 12, "x" * 65, "org\n1"):
        with pytest.raises(AuthError, match=claim):
            await verifier.verify(_signed(settings, **{claim: value}))
    actor = await verifier.verify(_signed(settings, **{claim: "org-1"}))
    assert "org-1" in (actor.organisation_id, actor.provider_id)


async def test_a_token_living_longer_than_allowed_is_refused(tmp_path: Path) -> None:
    settings = _local(tmp_path)
    verifier = TokenVerifier(settings)
    now = dt.datetime.now(dt.UTC)
    century = _signed(settings, exp=now + dt.timedelta(days=36500))
    with pytest.raises(AuthError, match="lifetime"):
        await verifier.verify(century)
    # without iat the lifetime counts from now
    no_iat = jwt.decode(century, options={"verify_signature": False})
    del no_iat["iat"]
    with pytest.raises(AuthError, match="lifetime"):
        await verifier.verify(_signed(settings, **no_iat))
    # iat far back, exp ahead: the lifetime is what counts, not the time left
    with pytest.raises(AuthError, match="lifetime"):
        await verifier.verify(_signed(settings, iat=now - dt.timedelta(hours=13)))
    longest = dt.timedelta(minutes=settings.auth_max_token_minutes)
    assert (await verifier.verify(_signed(settings, exp=now + longest))).user == "anna"
    relaxed = WirSettings(
        data_dir=tmp_path, auth_key_file=tmp_path / "key.pem", auth_max_token_minutes=60 * 24 * 30
    )
    weeks = _signed(relaxed, exp=now + dt.timedelta(days=20))
    assert (await TokenVerifier(relaxed).verify(weeks)).user == "anna"
    with pytest.raises(ValueError, match="at most"):
        mint_token(settings, user="anna", roles=[Role.admin], minutes=13 * 60)
