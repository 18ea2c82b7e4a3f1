"""Write the published event catalogue into docs/: ``python -m deploy.events.generate``
(``make generate``). ``--check`` writes nothing and exits 1 when docs/ is stale.

Writes docs/events.md, docs/asyncapi.json and docs/schemas/<type>.v<version>.json. Schemas
of earlier versions stay in docs/schemas/ untouched: subscribers of the old version still
need them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from deploy.events.docs import render
from shared.contracts.envelope import catalogue
from shared.event_schemas import all_json_schemas, asyncapi

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = re.compile(r"^(?P<type>wir\.[a-z_]+\.[a-z_]+)\.v(?P<version>\d+)\.json$")


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def expected_files() -> dict[str, str]:
    """Path relative to the repository → the text it must have."""
    files = {"docs/events.md": render(), "docs/asyncapi.json": _json(asyncapi())}
    for name, schema in all_json_schemas().items():
        files[f"docs/schemas/{name}"] = _json(schema)
    return files


def problems(root: Path = ROOT) -> list[str]:
    """What differs between docs/ under ``root`` and the models."""
    found = [
        f"{path} is missing or stale"
        for path, text in expected_files().items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]
    types = catalogue()
    for path in sorted((root / "docs" / "schemas").glob("*")):
        match = SCHEMA_FILE.match(path.name)
        model = types.get(match["type"]) if match else None
        if model is None or match is None or int(match["version"]) > model.version:
            found.append(f"docs/schemas/{path.name} belongs to no event type and version")
    return found


def write(root: Path = ROOT) -> list[str]:
    """Write every file that differs; returns the paths written."""
    written = []
    for path, text in expected_files().items():
        target = root / path
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.events.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = problems()
        for line in stale:
            print(line, file=sys.stderr)
        return 1 if stale else 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
