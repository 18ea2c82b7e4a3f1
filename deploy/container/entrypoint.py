"""``python -m deploy.container.entrypoint COMMAND...``: the image's entrypoint.

WIR's settings come from ``WIR_*`` environment variables. A secret mounted as a file (compose
``secrets:``, a Kubernetes Secret volume) is named instead by ``WIR_<NAME>__FILE=<path>``: the
entrypoint reads the file, sets ``WIR_<NAME>`` to its content (without the final newline) and
then replaces itself with ``COMMAND`` (``os.execvp``), so the command is PID 1's child no more
than it would be without us and gets the signals directly. A named file that cannot be read
stops the start with a message naming the variable, not the content.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

SUFFIX = "__FILE"


class SecretFileError(Exception):
    pass


def resolve(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with each ``WIR_<NAME>__FILE`` replaced by ``WIR_<NAME>`` (the file's content)."""
    resolved = {k: v for k, v in env.items() if not (k.startswith("WIR_") and k.endswith(SUFFIX))}
    for key, path in env.items():
        if not (key.startswith("WIR_") and key.endswith(SUFFIX)):
            continue
        name = key.removesuffix(SUFFIX)
        if name in env:
            raise SecretFileError(f"both {name} and {key} are set; set one of them")
        try:
            with open(path, encoding="utf-8") as handle:
                resolved[name] = handle.read().removesuffix("\n")
        except OSError as exc:
            raise SecretFileError(f"{key}: cannot read {path}: {exc.strerror}") from exc
    return resolved


def main(argv: Sequence[str] | None = None) -> int:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        print("usage: python -m deploy.container.entrypoint COMMAND [ARG...]", file=sys.stderr)
        return 2
    try:
        env = resolve(os.environ)
    except SecretFileError as exc:
        print(f"wir: {exc}", file=sys.stderr)
        return 1
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main())
