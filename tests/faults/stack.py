"""WIR's processes as children that a test (or the benchmark) may kill and restart.

Each part runs in its own process with its own state in a temporary folder: the Temporal
dev server on a persistent SQLite file, nats-server with a store directory, the worker as
``python -m workflows.worker`` and services as ``uvicorn`` — configured through ``WIR_*``
variables exactly as ``make up`` configures them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx
import nats

from shared.contracts.envelope import CloudEvent
from shared.settings import WirSettings
from shared.temporal import SEARCH_ATTRIBUTES
from tests.servers import binary, free_port, wait_for_port


class Child:
    """One subprocess in its own session, its output appended to ``<logs>/<name>.log``."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        logs: Path,
        env: Mapping[str, str],
        *,
        port: int | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.argv = list(argv)
        self.env = dict(env)
        self.log_path = logs / f"{name}.log"
        logs.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, f"{self.name} runs"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def peak_rss_mb(self) -> float:
        """The kernel's high-water mark of the process's resident set (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self._stop(signal.SIGKILL, timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds."""
        self._stop(signal.SIGTERM, timeout=timeout)

    def _stop(self, signum: signal.Signals, *, timeout: float) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def temporal_server(root: Path, *, port: int | None = None, extra: Sequence[str] = ()) -> Child:
    """``temporal server start-dev`` on a database file under ``root`` (survives restarts);
    ``extra`` arguments are passed on (e.g. ``--dynamic-config-value``)."""
    port = port or free_port()
    argv = [
        binary("temporal"), "server", "start-dev",
        "--ip", "127.0.0.1",
        "--port", str(port),
        "--http-port", str(free_port()),
        "--metrics-port", str(free_port()),
        "--headless",
        "--db-filename", str(root / "temporal.db"),
        "--log-level", "error",
    ]  # fmt: skip
    for key in SEARCH_ATTRIBUTES:
        kind = key.indexed_value_type.name.title().replace("_", "")  # KEYWORD -> Keyword
        argv += ["--search-attribute", f"{key.name}={kind}"]
    argv += list(extra)
    return Child("temporal", argv, root / "logs", os.environ, port=port)


def nats_server(root: Path, *, port: int | None = None) -> Child:
    port = port or free_port()
    argv = [
        binary("nats-server"), "-a", "127.0.0.1", "-p", str(port),
        "-js", "-sd", str(root / "nats"), "--server_name", "wir-faults",
    ]  # fmt: skip
    return Child("nats", argv, root / "logs", os.environ, port=port)


def wir_env(settings: WirSettings) -> dict[str, str]:
    """The ``WIR_*`` variables that make a child process use ``settings``."""
    env = dict(os.environ)
    for field, value in settings.model_dump(mode="json").items():
        if value is not None:
            env[f"WIR_{field.upper()}"] = str(value)
    return env


def worker(settings: WirSettings, root: Path) -> Child:
    return Child(
        "worker", [sys.executable, "-m", "workflows.worker"], root / "logs", wir_env(settings)
    )


def service(name: str, settings: WirSettings, root: Path, *, port: int | None = None) -> Child:
    port = port or free_port()
    argv = [
        sys.executable, "-m", "uvicorn", "--factory", f"services.{name}.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    return Child(name, argv, root / "logs", wir_env(settings), port=port)


async def start_and_wait(child: Child, *, timeout: float = 30.0) -> None:
    """Start ``child`` and wait until it listens (servers) or answers /health (services)."""
    child.start()
    port = child.port
    if port is None:
        return
    try:
        await wait_for_port(port, timeout=timeout)
        if child.name in ("applications", "cases", "notifications"):
            await _healthy(f"http://127.0.0.1:{port}/health", timeout=timeout)
    except Exception:
        raise RuntimeError(f"{child.name} did not start:\n{child.tail()}") from None


async def _healthy(url: str, *, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient() as client:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(url)
            await asyncio.sleep(0.1)


async def stored_events(nats_url: str, subject: str = "wir.>") -> list[CloudEvent]:
    """Every event the stream holds on ``subject``, read by an independent subscriber."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(subject, ordered_consumer=True)
        events: list[CloudEvent] = []
        try:
            while True:
                msg = await sub.next_msg(timeout=2)
                events.append(CloudEvent.model_validate_json(msg.data))
                if msg.metadata.num_pending == 0:
                    break
        except nats.errors.TimeoutError:
            pass
        await sub.unsubscribe()
        return events
    finally:
        await nc.drain()
