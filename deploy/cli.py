"""The ``wir`` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from deploy import keys, run, token
from deploy.events.tail import NoStream, Start, Unreachable, tail
from deploy.nats.users import credentials_path, load_credentials
from deploy.stack import connected
from shared.settings import WirSettings


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _add_events(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = commands.add_parser("events", help="work with WIR's event stream")
    sub = events.add_subparsers(dest="events_command", required=True, metavar="SUBCOMMAND")
    t = sub.add_parser(
        "tail",
        help="print events as JSON lines, from now (default), --since a time or --from-start",
    )
    t.add_argument("--type", dest="event_type", help="e.g. wir.application.approved; all if unset")
    where = t.add_mutually_exclusive_group()
    where.add_argument("--since", type=_utc, help="ISO 8601 time, e.g. 2027-03-01T00:00:00Z")
    where.add_argument("--from-start", action="store_true", help="everything the stream keeps")
    t.add_argument("--count", type=int, help="stop after this many events")
    t.add_argument("--idle", type=float, help="stop after this many seconds without an event")
    t.add_argument(
        "--url",
        help="NATS URL (default: WIR_NATS_URL, else make up's: WIR_HOST and WIR_NATS_PORT)",
    )
    t.add_argument(
        "--user",
        default=os.environ.get("WIR_NATS_USER"),
        help="NATS user (password in WIR_NATS_PASSWORD); default: make up's read-only "
        "'subscriber' from <data dir>/nats/credentials.json",
    )


def nats_url(settings: WirSettings) -> str:
    """Where ``make up``'s NATS listens (``WIR_HOST``, ``WIR_NATS_PORT``), unless
    ``WIR_NATS_URL`` names another server."""
    if "nats_url" in settings.model_fields_set:
        return settings.nats_url
    return connected(settings).nats_url


def _events_tail(args: argparse.Namespace) -> int:
    settings = WirSettings()
    user, password = args.user, os.environ.get("WIR_NATS_PASSWORD")
    local = credentials_path(settings)
    if user is None and password is None and local.exists():
        # make up's NATS: the read-only user, password from its credentials file
        user, password = "subscriber", load_credentials(local).get("subscriber")
    start = Start(since=args.since, from_start=bool(args.from_start))
    with contextlib.suppress(KeyboardInterrupt):
        return _run_tail(
            tail(
                url=args.url or nats_url(settings),
                event_type=args.event_type,
                start=start,
                emit=lambda line: print(line, flush=True),
                count=args.count,
                idle_seconds=args.idle,
                user=user,
                password=password,
            )
        )
    return 0


def _run_tail(job: Coroutine[Any, Any, int]) -> int:
    try:
        asyncio.run(job)
    except Unreachable as error:
        print(
            f"wir events tail: {error}. Is `make up` running? Its NATS listens on "
            "WIR_NATS_PORT; name another server with WIR_NATS_URL or --url.",
            file=sys.stderr,
        )
        return 1
    except NoStream as error:
        print(f"wir events tail: {error}; has WIR started here once?", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wir", description="Run and operate WIR.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    up = commands.add_parser("up", help="start the whole system on this machine (Ctrl-C stops it)")
    run.add_arguments(up)
    _add_events(commands)
    token.add_arguments(commands)
    keys.add_arguments(commands)
    args = parser.parse_args(argv)
    if args.command == "up":
        return run.run(check=bool(args.check))
    if args.command == "events":
        return _events_tail(args)
    if args.command == "token":
        return token.run(args, parser)
    if args.command == "keys":
        return keys.run(args, parser)
    parser.error(f"unknown command {args.command!r}")  # argparse rejects it before this


if __name__ == "__main__":
    raise SystemExit(main())
