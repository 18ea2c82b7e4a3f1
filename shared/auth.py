"""Who is acting, proven by an OAuth2 bearer token (JWT).

Every service endpoint except health and the public catalogues asks for a token through
:func:`allow` (one role out of a list) or :data:`ActorDep` (any signed-in user). Tokens are
verified either against an OIDC issuer's JWKS (``WIR_AUTH_JWKS_URL``, production) or, in the
embedded default, against a local Ed25519 key that ``wir token`` signs with.

Claims WIR reads: ``sub`` (the user), the roles claim (``roles`` by default, a dotted path
such as ``realm_access.roles`` for issuers that nest it), ``wir_org`` (the organisation an
applicant acts for) and ``wir_provider`` (the provider of the service catalogue a provider
account belongs to), and ``name`` (the user's display name, OIDC standard claim: shown
on letters a staff member signs; one that is not a string of at most 100 printable
characters is ignored, not refused). ``iss``, ``aud`` and ``exp`` are required and checked.

What else makes a token refused (401): a lifetime (``exp`` minus ``iat``, or minus now
without ``iat``) above ``auth_max_token_minutes`` (local key) or
``auth_jwks_max_token_minutes`` (OIDC issuer); a subject that is not 1-64 characters or
holds a control character (it is written to logs and records); a roles claim that is not a
list of strings or one space-separated string; ``wir_org``/``wir_provider`` that are not
strings.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from shared.problems import ProblemError
from shared.settings import WirSettings
from shared.text import BIDI_CONTROLS, has_control_character

LOCAL_ALGORITHM = "EdDSA"
OIDC_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]
#: The JOSE "typ" of an access token (RFC 9068 "at+jwt", or plain "JWT"); absent counts as JWT.
ACCESS_TOKEN_TYPES = frozenset({"jwt", "at+jwt"})


class Role(StrEnum):
    applicant = "applicant"
    programme_officer = "programme_officer"
    reviewer = "reviewer"
    approver = "approver"
    case_manager = "case_manager"
    provider = "provider"
    # the district's WIR coordination office (services/coordination)
    coordinator = "coordinator"
    operator = "operator"
    admin = "admin"


class Actor(BaseModel):
    """The signed-in user a request acts for."""

    user: str
    roles: frozenset[Role] = frozenset()
    organisation_id: str | None = None
    provider_id: str | None = None
    #: The ``name`` claim, when the token has a usable one.
    display_name: str | None = None

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_names(self) -> str:
        return ",".join(sorted(self.roles))


class AuthError(Exception):
    """A token that proves nothing: missing, malformed, expired, wrongly signed."""


# --- keys of the embedded default -------------------------------------------------------


def signing_key_path(settings: WirSettings) -> Path:
    return settings.auth_key_file or settings.data_dir / "auth" / "signing-key.pem"


def load_or_create_signing_key(settings: WirSettings) -> Ed25519PrivateKey:
    """The local signing key; made once (mode 0600, in a 0700 folder) by whichever process
    needs it first. Written to a temporary file and linked into place, so another process
    never reads a half-written key."""
    path = signing_key_path(settings)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)  # fails if another process linked its key first
        except FileExistsError:
            pass  # use theirs
        finally:
            temporary.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuthError(f"{path} is not an Ed25519 private key")
    return key


def mint_token(
    settings: WirSettings,
    *,
    user: str,
    roles: Iterable[Role | str],
    organisation_id: str | None = None,
    provider_id: str | None = None,
    minutes: int | None = None,
    display_name: str | None = None,
) -> str:
    """A token signed with the local key (the embedded default and tests);
    ``display_name`` becomes the ``name`` claim (OIDC's), which pages and letters show."""
    lifetime = minutes or settings.auth_token_minutes
    if lifetime > settings.auth_max_token_minutes:
        raise ValueError(
            f"a token may live at most {settings.auth_max_token_minutes} minutes "
            "(WIR_AUTH_MAX_TOKEN_MINUTES)"
        )
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": user,
        "roles": sorted(Role(role).value for role in roles),
        "iat": now,
        "exp": now + dt.timedelta(minutes=lifetime),
        "jti": uuid.uuid4().hex,
    }
    if organisation_id:
        claims["wir_org"] = organisation_id
    if provider_id:
        claims["wir_provider"] = provider_id
    if display_name:
        claims["name"] = display_name
    return jwt.encode(claims, load_or_create_signing_key(settings), algorithm=LOCAL_ALGORITHM)


# --- verification -----------------------------------------------------------------------


class TokenVerifier:
    """Checks a bearer token and turns its claims into an :class:`Actor`."""

    def __init__(self, settings: WirSettings) -> None:
        self._settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._local: Ed25519PublicKey | None = None
        if settings.auth_jwks_url:
            self._jwks = jwt.PyJWKClient(
                settings.auth_jwks_url, cache_keys=True, lifespan=300, timeout=5
            )
        else:
            self._local = load_or_create_signing_key(settings).public_key()

    async def verify(self, token: str) -> Actor:
        key: Any
        try:
            typ = str(jwt.get_unverified_header(token).get("typ", "JWT"))
        except jwt.PyJWTError as exc:
            raise AuthError(f"the token is not valid: {exc}") from exc
        if typ.lower().removeprefix("application/") not in ACCESS_TOKEN_TYPES:
            # e.g. a logout or DPoP token of the same issuer, signed with the same key
            raise AuthError(f"a token of type {typ!r} is not an access token")
        if self._jwks is not None:
            try:
                # PyJWKClient fetches over blocking HTTP when its cache misses.
                signing = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
            except jwt.PyJWKClientError as exc:
                raise AuthError(f"no signing key for this token: {exc}") from exc
            except jwt.PyJWTError as exc:
                raise AuthError(str(exc)) from exc
            key, algorithms = signing.key, OIDC_ALGORITHMS
            max_minutes = self._settings.auth_jwks_max_token_minutes
        else:
            key, algorithms = self._local, [LOCAL_ALGORITHM]
            max_minutes = self._settings.auth_max_token_minutes
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.auth_audience,
                issuer=self._settings.auth_issuer,
                leeway=self._settings.auth_leeway_seconds,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("the token has expired") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"the token is not valid: {exc}") from exc
        except (TypeError, ValueError, OverflowError) as exc:
            # a claim of a shape PyJWT does not check for (the tests hunt for such shapes)
            raise AuthError("the token is not valid: a claim has an unusable value") from exc
        _check_lifetime(claims, max_minutes=max_minutes, leeway=self._settings.auth_leeway_seconds)
        return actor_from_claims(claims, roles_claim=self._settings.auth_roles_claim)


def _check_lifetime(claims: dict[str, Any], *, max_minutes: int, leeway: int) -> None:
    """A token that lives longer than ``max_minutes`` is refused: a stolen one would stay
    good for as long as its issuer (or whoever holds the key) wrote into it. PyJWT has
    checked that ``exp`` (and ``iat`` when present) are numbers."""
    issued = claims.get("iat")
    # integers, not floats: an exp of 10**400 is a valid JSON number (and refused here)
    start = int(issued) if issued is not None else int(dt.datetime.now(dt.UTC).timestamp())
    if int(claims["exp"]) - start > max_minutes * 60 + leeway:
        raise AuthError(f"the token's lifetime exceeds the {max_minutes} minutes allowed")


def _optional_text(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 64 or has_control_character(value):
        raise AuthError(f"the token's {name} claim must be a string of at most 64 characters")
    return value


def _display_name(claims: dict[str, Any]) -> str | None:
    """The ``name`` claim, or None when it is absent or unusable (a display name only
    labels letters: a strange one is dropped rather than the token refused)."""
    value = claims.get("name")
    if not isinstance(value, str) or has_control_character(value):
        return None
    value = " ".join(value.split())
    if not value or len(value) > 100:
        return None
    if any(char in BIDI_CONTROLS for char in value):
        return None
    return value


def actor_from_claims(claims: dict[str, Any], *, roles_claim: str) -> Actor:
    value: Any = claims
    for part in roles_claim.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, str):
        value = value.split()
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise AuthError(f"the token's {roles_claim} claim must be a list of strings")
    roles = frozenset(Role(name) for name in value if name in Role.__members__)
    user = claims["sub"]
    if not isinstance(user, str) or not user or len(user) > 64:
        # user ids are stored with each record (64 characters): a longer one is refused here
        raise AuthError("the token's subject must be 1-64 characters")
    if has_control_character(user):
        # it is written to logs and records: a newline would forge a log line
        raise AuthError("the token's subject must not hold control characters")
    return Actor(
        user=user,
        roles=roles,
        organisation_id=_optional_text(claims, "wir_org"),
        provider_id=_optional_text(claims, "wir_provider"),
        display_name=_display_name(claims),
    )


def install_auth(app: Any, settings: WirSettings) -> None:
    """Give ``app`` the verifier its routes use (built on first use, not at import)."""
    app.state.auth_settings = settings
    app.state.token_verifier = None


def _verifier(request: Request) -> TokenVerifier:
    state = request.app.state
    verifier: TokenVerifier | None = getattr(state, "token_verifier", None)
    if verifier is None:
        verifier = TokenVerifier(state.auth_settings)
        state.token_verifier = verifier
    return verifier


_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT)")


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401, "Authentication required", detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthenticated("Send an access token: Authorization: Bearer <token>.")
    try:
        actor = await _verifier(request).verify(credentials.credentials)
    except AuthError as exc:
        raise _unauthenticated(str(exc)) from exc
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def allow(*roles: Role) -> Callable[..., Awaitable[Actor]]:
    """A dependency letting through a signed-in user holding one of ``roles`` (else 403)."""

    async def dependency(actor: ActorDep) -> Actor:
        if not actor.has(*roles):
            names = ", ".join(role.value for role in roles)
            raise ProblemError(403, "Not allowed", f"This needs one of the roles: {names}.")
        return actor

    return dependency
