"""Latency samples and their percentiles."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0.0 for no samples."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Samples:
    """Milliseconds per named operation."""

    ms: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value_ms: float) -> None:
        self.ms.setdefault(name, []).append(value_ms)

    @asynccontextmanager
    async def timed(self, name: str) -> AsyncIterator[None]:
        start = time.perf_counter()
        yield
        self.add(name, (time.perf_counter() - start) * 1000)

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "n": len(values),
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "p99": percentile(values, 99),
                "max": max(values) if values else 0.0,
            }
            for name, values in self.ms.items()
        }
