"""``wir keys``: the payload encryption keys (shared/payloads/codec.py).

``wir keys rotate`` adds a new AES-256 key to the keys file and makes it the current one;
the older keys stay, so everything encrypted with them still decrypts. ``wir keys list``
names the keys. Neither prints key material.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shared.payloads.codec import PayloadKeyError
from shared.payloads.keys import keys_file, load_or_create_keyring, rotate_keys_file
from shared.settings import WirSettings


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="the keys that encrypt Temporal payloads")
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="SUBCOMMAND")
    for name, text in (
        ("rotate", "add a new key and make it current (older keys keep decrypting)"),
        ("list", "show the key ids and which one is current"),
    ):
        command = sub.add_parser(name, help=text, description=text)
        command.add_argument(
            "--file",
            type=Path,
            help="default: WIR_PAYLOAD_KEYS_FILE, else <data dir>/keys/payload-keys.json",
        )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    settings = WirSettings()
    path: Path = args.file or keys_file(settings)
    if args.file is None and settings.payload_keys is not None:
        parser.error(
            "WIR_PAYLOAD_KEYS is set, so the processes do not read the keys file: add the new "
            "key there (rotate a copy with --file, then store its content in WIR_PAYLOAD_KEYS)"
        )
    try:
        if args.keys_command == "rotate":
            keyring = rotate_keys_file(path)
            print(f"key {keyring.current} is now current in {path} ({len(keyring.keys)} keys)")
            print(
                "a running process switches to it when it first meets a payload under it, "
                "the others at their next start"
            )
        else:
            keyring = load_or_create_keyring(path)
            for key_id in sorted(keyring.keys):
                print(f"{key_id}{'  (current)' if key_id == keyring.current else ''}")
    except (PayloadKeyError, OSError) as exc:
        parser.exit(1, f"wir keys: {exc}\n")
    return 0
