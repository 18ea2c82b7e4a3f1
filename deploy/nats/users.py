"""NATS users of the embedded setup: one per process, passwords made once, config rendered.

``make up`` keeps the passwords in ``<data_dir>/nats/credentials.json`` (mode 0600, made on
the first start, kept afterwards) and renders the template ``deploy/nats/wir.conf`` with
them into ``<data_dir>/nats/server.conf`` (mode 0600). Each child process gets its own user
and password as ``WIR_NATS_USER`` / ``WIR_NATS_PASSWORD``; nothing is hard-coded.

A deployment of its own renders the same template from its own credentials file::

    python -m deploy.nats.users render --credentials creds.json > server.conf

The WIR processes' users live in the NATS account ``WIR`` with the streams; external
subscribers in the account ``SUBSCRIBERS``, which holds a mirror of the event stream
(:data:`MIRROR`) and nothing else, under JetStream limits of its own
(:data:`SUBSCRIBER_MAX_CONSUMERS` consumers). The launcher creates the mirror after the
streams (:func:`provision_streams`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from nats.js import JetStreamContext
from nats.js.api import ExternalStream, RetentionPolicy, StorageType, StreamConfig, StreamSource
from nats.js.errors import NotFoundError
from pydantic import SecretStr

from shared.bus import EventBus, connect_nats
from shared.contracts.consumers import NOTIFICATIONS
from shared.settings import WirSettings

TEMPLATE = Path(__file__).parent / "wir.conf"
#: Every NATS user the template defines, and which process connects as it.
USERS: tuple[str, ...] = (
    "admin",
    "worker",
    "applications",
    "cases",
    "notifications",
    "coordination",
    "subscribers_admin",
    "subscriber",
)
#: The account of the WIR processes and the streams; its JetStream files are in
#: ``<data_dir>/nats/jetstream/WIR``.
ACCOUNT = "WIR"
#: The subscribers' read-only copy of the event stream, in the account SUBSCRIBERS.
MIRROR = "WIR_MIRROR"
#: How many consumers the SUBSCRIBERS account may hold at once, all subscribers together
#: (an ordered consumer is one; it goes 5 s after its client does).
SUBSCRIBER_MAX_CONSUMERS = 20
# Where the mirror's consumer delivers (outside wir.>: the stream must not capture it) and
# the prefix under which SUBSCRIBERS reaches the one API subject WIR exports to it.
_MIRROR_DELIVER = "mirror.deliver"
_MIRROR_API = "$JS.WIR.API"

_FIELD = re.compile(r"\{\{\s*([a-z_.]+)\s*\}\}")
# What may stand between the template's double quotes without escaping.
_SAFE_PASSWORD = re.compile(r"[A-Za-z0-9_\-.~+/=]{16,200}")
_SAFE_NAME = re.compile(r"[A-Za-z0-9_\-]{1,100}")


class CredentialsError(Exception):
    """A credentials file or template field that cannot be used."""


def credentials_path(settings: WirSettings) -> Path:
    return settings.data_dir.resolve() / "nats" / "credentials.json"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (also when it existed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def load_credentials(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CredentialsError(f"cannot read NATS credentials from {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise CredentialsError(f"{path} must be a JSON object of user name to password")
    return dict(data)


def load_or_create_credentials(path: Path) -> dict[str, str]:
    """The passwords of every user in :data:`USERS`; missing ones are generated and saved."""
    found = load_credentials(path) if path.exists() else {}
    missing = [user for user in USERS if user not in found]
    if missing:
        found.update({user: secrets.token_urlsafe(24) for user in missing})
        _write_private(path, json.dumps(found, indent=2, sort_keys=True) + "\n")
    return found


def render(
    credentials: Mapping[str, str], settings: WirSettings, *, template: Path = TEMPLATE
) -> str:
    """The template with every ``{{field}}`` filled; refuses unsafe or missing values."""
    fields = {
        "stream": settings.stream_name,
        "deadletter_stream": settings.deadletter_stream_name,
        "notifications_durable": NOTIFICATIONS,
        "mirror": MIRROR,
        "mirror_deliver": _MIRROR_DELIVER,
        "mirror_api": _MIRROR_API,
        "subscriber_max_consumers": str(SUBSCRIBER_MAX_CONSUMERS),
    }
    if MIRROR in (settings.stream_name, settings.deadletter_stream_name):
        raise CredentialsError(f"the stream names must differ from the mirror's, {MIRROR}")
    for name, value in fields.items():
        if name in ("mirror_deliver", "mirror_api"):
            continue  # constants of this module, dotted on purpose
        if not _SAFE_NAME.fullmatch(value):
            raise CredentialsError(f"{name} {value!r} is not a plain NATS name")

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.startswith("password."):
            user = key.removeprefix("password.")
            password = credentials.get(user)
            if password is None:
                raise CredentialsError(f"no password for NATS user {user!r}")
            if not _SAFE_PASSWORD.fullmatch(password):
                raise CredentialsError(
                    f"the password of NATS user {user!r} must be 16-200 characters of "
                    "letters, digits and -_.~+/="
                )
            return password
        if key not in fields:
            raise CredentialsError(f"unknown template field {key!r}")
        return fields[key]

    return _FIELD.sub(fill, template.read_text(encoding="utf-8"))


def write_server_config(settings: WirSettings) -> tuple[Path, dict[str, str]]:
    """Credentials made once and the server config rendered with them, both mode 0600."""
    credentials = load_or_create_credentials(credentials_path(settings))
    config = credentials_path(settings).with_name("server.conf")
    _move_global_account_store(config.parent / "jetstream")
    _write_private(config, render(credentials, settings))
    return config, credentials


def _move_global_account_store(store: Path) -> None:
    """Releases before the accounts kept the streams in NATS's global account (``$G``);
    its files move to the account ``WIR`` once, before the server starts."""
    old, new = store / "$G", store / ACCOUNT
    if old.is_dir() and not new.exists():
        old.rename(new)


def process_env(credentials: Mapping[str, str], user: str) -> dict[str, str]:
    """The environment that makes a WIR process connect as ``user``."""
    return {"WIR_NATS_USER": user, "WIR_NATS_PASSWORD": credentials[user]}


def mirror_config(settings: WirSettings, *, external: bool = True) -> StreamConfig:
    """The subscribers' mirror of the event stream: same retention; ``external``: read
    from the account WIR (as wir.conf exports it), else from the same account."""
    origin = StreamSource(
        name=settings.stream_name,
        external=ExternalStream(api=_MIRROR_API, deliver=_MIRROR_DELIVER) if external else None,
    )
    return StreamConfig(
        name=MIRROR,
        mirror=origin,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=settings.stream_max_age_days * 24 * 3600.0,
        max_bytes=settings.stream_max_bytes,
        num_replicas=settings.stream_replicas,
    )


async def ensure_mirror(settings: WirSettings, js: JetStreamContext, *, external: bool) -> None:
    """Create the mirror, or update its retention where it differs."""
    wanted = mirror_config(settings, external=external)
    try:
        current = (await js.stream_info(MIRROR)).config
    except NotFoundError:
        await js.add_stream(wanted)
        return
    if (current.max_age, current.max_bytes) != (wanted.max_age, wanted.max_bytes):
        current.max_age, current.max_bytes = wanted.max_age, wanted.max_bytes
        await js.update_stream(current)


def _as(settings: WirSettings, credentials: Mapping[str, str], user: str) -> WirSettings:
    return settings.model_copy(
        update={"nats_user": user, "nats_password": SecretStr(credentials[user])}
    )


async def provision_streams(settings: WirSettings, credentials: Mapping[str, str]) -> None:
    """Create or update the streams as ``admin`` before any WIR process starts, so the
    services, whose users may only read the streams' info, find them as configured; then
    the subscribers' mirror as ``subscribers_admin``."""
    admin = _as(settings, credentials, "admin")
    nc = await connect_nats(admin, name="wir-launcher")
    try:
        await EventBus.from_client(nc, admin).ensure_stream()
    finally:
        await nc.drain()
    mirror = _as(settings, credentials, "subscribers_admin")
    nc = await connect_nats(mirror, name="wir-launcher")
    try:
        await ensure_mirror(mirror, nc.jetstream(), external=True)
    finally:
        await nc.drain()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.nats.users", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    r = commands.add_parser("render", help="print the server config for a credentials file")
    r.add_argument("--credentials", type=Path, required=True, help="JSON: user -> password")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(load_credentials(args.credentials), WirSettings()))
    except CredentialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
