"""The benchmark's table (Markdown, also fine on a terminal) and its plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load import LoadResult

COMMANDS = (
    "POST submit",
    "POST reviewer",
    "POST review",
    "POST decision (approve)",
    "POST /applications (draft)",
)
READS = ("GET /applications/{id}", "GET /applications?stage=approved")
LAGS = ("event lag (stored -> subscriber)", "event lag (emitted -> subscriber)")


def line(base: LoadResult, wir: LoadResult) -> str:
    ratio = wir.per_second / base.per_second if base.per_second else 0.0
    return (
        f"  baseline {base.per_second:6.2f}/s  WIR {wir.per_second:6.2f}/s  "
        f"ratio {ratio:.2f}  errors {wir.errors} {wir.failures or ''}  CPU ms/workflow "
        f"{_cpu_total(base.as_dict()):.0f} / {_cpu_total(wir.as_dict()):.0f}  "
        f"load {wir.load_average:.1f}"
    )


def _cpu_total(run: dict[str, Any]) -> float:
    return float(sum(run.get("cpu_ms_per_workflow", {}).values()))


def _ms(entry: dict[str, float] | None, key: str) -> str:
    return f"{entry[key]:.0f}" if entry else "-"


def table(result: dict[str, Any]) -> str:
    rows = [
        f"commit {result['commit']}, {result['count']} workflows per run, "
        f"{result['machine']['cpus']} CPUs",
        "",
        "| in flight | baseline wf/s | WIR wf/s | ratio | WIR errors | load average |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for run in result["runs"]:
        base, wir = run["baseline"], run["wir"]
        ratio = wir["workflows_per_second"] / base["workflows_per_second"]
        rows.append(
            f"| {base['concurrency']} | {base['workflows_per_second']:.2f} | "
            f"{wir['workflows_per_second']:.2f} | {ratio:.2f} | {wir['errors']} | "
            f"{base.get('load_average', 0):.1f} / {wir.get('load_average', 0):.1f} |"
        )
    for run in result["runs"]:
        for reason, n in run["wir"].get("failures", {}).items():
            rows.append(f"\nWIR at {run['wir']['concurrency']} in flight: {n} failed: {reason}")
    rows += _cpu_table(result["runs"])
    rows += [
        "",
        "| in flight | operation | p50 ms | p95 ms | p99 ms | n |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for run in result["runs"]:
        latency = run["wir"]["latency_ms"]
        for name in (*COMMANDS, *READS, *LAGS):
            entry = latency.get(name)
            if entry:
                rows.append(
                    f"| {run['wir']['concurrency']} | {name} | {_ms(entry, 'p50')} | "
                    f"{_ms(entry, 'p95')} | {_ms(entry, 'p99')} | {entry['n']:.0f} |"
                )
    rows += ["", "| process | peak RSS MB (load runs) |", "|---|---:|"]
    rows += [f"| {name} | {mb:.0f} |" for name, mb in result["peak_rss_mb"].items()]
    scale = result.get("scale")
    if scale and "error" in scale:
        rows += ["", f"scale run ({scale['open_cases']} cases) failed: {scale['error']}"]
    elif scale:
        rows += ["", f"scale run: {scale['open_cases']} open cases (intake) on their timers", ""]
        rows += ["| measure | value |", "|---|---:|"]
        for key in (
            "visible_open",
            "open_seconds",
            "opened_per_second",
            "worker_caught_up_after_s",
            "worker_rss_mb_open",
            "worker_peak_rss_mb_open",
            "worker_rss_mb_after_replay",
            "worker_startup_to_first_answer_s",
            "replayed_workflows",
            "replay_seconds",
            "replays_per_second",
        ):
            rows.append(f"| {key} | {scale[key]} |")
        rows += ["", "| operation | p50 ms | p95 ms | p99 ms | n |", "|---|---:|---:|---:|---:|"]
        for name, entry in scale["latency_ms"].items():
            rows.append(
                f"| {name} | {entry['p50']:.0f} | {entry['p95']:.0f} | {entry['p99']:.0f} | "
                f"{entry['n']:.0f} |"
            )
    return "\n".join(rows)


def _cpu_table(runs: list[dict[str, Any]]) -> list[str]:
    """CPU milliseconds per completed workflow, by process."""
    names: list[str] = []
    for run in runs:
        for side in ("baseline", "wir"):
            names += [n for n in run[side].get("cpu_ms_per_workflow", {}) if n not in names]
    if not names:
        return []
    rows = [
        "",
        "CPU ms per completed workflow (baseline / WIR)",
        "",
        "| in flight | " + " | ".join(names) + " | total |",
        "|---:|" + "---:|" * (len(names) + 1),
    ]
    for run in runs:
        base = run["baseline"].get("cpu_ms_per_workflow", {})
        wir = run["wir"].get("cpu_ms_per_workflow", {})
        cells = [_pair(base.get(n), wir.get(n)) for n in names]
        total = _pair(_cpu_total(run["baseline"]), _cpu_total(run["wir"]))
        rows.append(f"| {run['wir']['concurrency']} | " + " | ".join(cells) + f" | {total} |")
    return rows


def _pair(base: float | None, wir: float | None) -> str:
    left = "-" if base is None else f"{base:.0f}"
    right = "-" if wir is None else f"{wir:.0f}"
    return f"{left} / {right}"


def plot(result: dict[str, Any], path: Path) -> bool:
    """Throughput and p99 command latency against concurrency; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot")
        return False
    runs = result["runs"]
    levels = [r["baseline"]["concurrency"] for r in runs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(levels, [r["baseline"]["workflows_per_second"] for r in runs], "o-", label="baseline")
    left.plot(levels, [r["wir"]["workflows_per_second"] for r in runs], "s-", label="WIR")
    left.set(xlabel="workflows in flight", ylabel="completed workflows/s", title="Throughput")
    left.set_xscale("log")
    left.legend()
    for name in ("POST submit", "POST decision (approve)"):
        right.plot(
            levels, [r["wir"]["latency_ms"][name]["p99"] for r in runs], "o-", label=f"{name} p99"
        )
        right.plot(
            levels, [r["wir"]["latency_ms"][name]["p50"] for r in runs], "x--", label=f"{name} p50"
        )
    lag = LAGS[0]
    right.plot(
        levels, [r["wir"]["latency_ms"][lag]["p99"] for r in runs], "^-", label="event lag p99"
    )
    right.set(xlabel="workflows in flight", ylabel="ms", title="WIR latency")
    right.set_xscale("log")
    right.set_yscale("log")
    right.legend(fontsize=7)
    fig.suptitle(f"WIR vs bare Temporal, commit {result['commit']}", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return True
