"""deploy/grafana/wir-dashboard.json asks only for series that WIR (shared/metrics.py) or the
Temporal SDK's worker runtime export, with labels those series have."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.metrics import MetricWrapperBase

from shared.metrics import WirMetrics

DASHBOARD = Path(__file__).parents[2] / "deploy" / "grafana" / "wir-dashboard.json"
#: The Temporal SDK's worker metrics the dashboard uses (its documented names; the failure
#: counters appear on the worker's port once something failed).
TEMPORAL_SERIES = {
    "temporal_workflow_task_execution_latency_bucket",
    "temporal_workflow_task_schedule_to_start_latency_bucket",
    "temporal_activity_schedule_to_start_latency_bucket",
    "temporal_activity_execution_latency_bucket",
    "temporal_workflow_task_execution_failed",
    "temporal_activity_execution_failed",
    "temporal_sticky_cache_size",
    "temporal_worker_task_slots_available",
}
_NAME = re.compile(r"\b((?:wir|temporal|process)_[a-z0-9_]+)\b")
_BY = re.compile(r"\bby \(([^)]*)\)")


def _wir_series() -> dict[str, set[str]]:
    """Each sample name WIR's metrics export, with its label names."""
    suffixes = {"counter": ["_total"], "gauge": [""], "histogram": ["_bucket", "_sum", "_count"]}
    series: dict[str, set[str]] = {}
    for metric in vars(WirMetrics(CollectorRegistry())).values():
        if not isinstance(metric, MetricWrapperBase):
            continue
        labels = set(metric._labelnames)
        for suffix in suffixes[str(metric._type)]:
            series[metric._name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return series


def _expressions() -> list[tuple[str, str]]:
    board: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return [
        (panel["title"], target["expr"])
        for panel in board["panels"]
        for target in panel.get("targets", [])
    ]


def test_every_panel_names_only_exported_series() -> None:
    wir = _wir_series()
    expressions = _expressions()
    assert len(expressions) >= 15
    for title, expr in expressions:
        names = _NAME.findall(expr)
        assert names, f"{title}: names no series"
        for name in names:
            assert name in wir or name in TEMPORAL_SERIES, f"{title}: {name} is not exported"


def test_every_grouping_uses_labels_the_series_have() -> None:
    wir = _wir_series()
    for title, expr in _expressions():
        grouped = {label.strip() for group in _BY.findall(expr) for label in group.split(",")}
        for name in _NAME.findall(expr):
            if name in wir:
                assert grouped <= wir[name], f"{title}: {grouped - wir[name]} not on {name}"


def test_the_dashboard_covers_what_operators_watch() -> None:
    text = " ".join(expr for _, expr in _expressions())
    for needed in (
        "wir_http_requests_total",
        "wir_http_request_duration_seconds_bucket",
        "wir_commands_total",
        "wir_consumer_pending_messages",
        "wir_consumer_redeliveries_total",
        "wir_dead_letters_total",
        "wir_deliveries_total",
        "temporal_workflow_task_schedule_to_start_latency_bucket",
        "temporal_activity_execution_failed",
    ):
        assert needed in text
