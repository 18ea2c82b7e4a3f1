"""The ``wir`` command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from deploy import run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wir", description="Run and operate WIR.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    up = commands.add_parser("up", help="start the whole system on this machine (Ctrl-C stops it)")
    run.add_arguments(up)
    args = parser.parse_args(argv)
    if args.command == "up":
        return run.run(check=bool(args.check))
    parser.error(f"unknown command {args.command!r}")  # argparse rejects it before this


if __name__ == "__main__":
    raise SystemExit(main())
