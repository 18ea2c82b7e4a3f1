"""Which keys of a Helm chart's values our values files use, checked without the chart.

A chart ignores a key it does not know, so a misspelt key in deploy/helm/*-values.yaml fails
silently. ``python -m deploy.helm_keys CHART_VALUES OURS`` reads the chart's own values.yaml
(e.g. from a checkout of the chart at the version we name) and prints, for every key path
of OURS, the chart's answer: ``key`` (the chart's defaults have it) or ``open`` (it lies
under a chart key whose default is empty, ``{}``, ``[]`` or null: a slot for free-form
content such as Kubernetes objects, or one the chart documents only by a commented example,
which then has to be read by hand). deploy/helm/chart-keys.txt holds that output for both
charts; tests/deploy/test_helm.py checks that our values files still use exactly those paths.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml


def key_paths(node: Any, prefix: str = "") -> dict[str, Any]:
    """Every key path of a YAML document (lists as ``[]``) and the value under it."""
    found: dict[str, Any] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found[path] = value
            found.update(key_paths(value, path))
    elif isinstance(node, list):
        for item in node:
            found.update(key_paths(item, f"{prefix}[]"))
    return found


def _parent(path: str) -> str | None:
    if path.endswith("[]"):
        return path[:-2]
    return path.rsplit(".", 1)[0] if "." in path else None


def classify(chart: dict[str, Any], ours: Sequence[str]) -> dict[str, str]:
    """``key``, ``open`` or ``unknown`` for each of our paths against the chart's defaults."""
    result: dict[str, str] = {}
    for path in ours:
        if path in chart:
            result[path] = "key"
            continue
        verdict, parent = "unknown", _parent(path)
        while parent is not None:
            if parent in chart:
                if chart[parent] in (None, {}, []):
                    verdict = "open"
                break
            parent = _parent(parent)
        result[path] = verdict
    return result


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m deploy.helm_keys CHART_VALUES OUR_VALUES", file=sys.stderr)
        return 2
    chart, ours = key_paths(load(Path(args[0]))), key_paths(load(Path(args[1])))
    verdicts = classify(chart, sorted(ours))
    for path, verdict in verdicts.items():
        print(f"{verdict} {path}")
    return 1 if "unknown" in verdicts.values() else 0


if __name__ == "__main__":
    sys.exit(main())
