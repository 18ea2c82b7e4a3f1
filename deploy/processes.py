"""Child processes of the embedded setup: finding binaries, starting, waiting, stopping."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import IO


class LaunchError(Exception):
    """Something the launcher cannot start or wait for; the message is for the user."""


def find_binary(name: str) -> Path:
    """The binary installed beside this interpreter (the venv's bin), else one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which(name)
    if found is None:
        raise LaunchError(
            f"cannot find the '{name}' binary, neither in {beside.parent} nor on PATH; "
            "install the project into this venv (make venv) or put it on PATH"
        )
    return Path(found)


def port_in_use(host: str, port: int) -> bool:
    """True if nothing could listen on host:port right now (a listener holds it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise LaunchError(f"cannot resolve host {host!r}: {exc}") from exc
    family, socktype, proto, _, address = infos[0]
    with socket.socket(family, socktype, proto) as sock:
        # Like the servers themselves: a TIME_WAIT leftover does not count as "in use".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError:
            return True
    return False


def tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class StopRequest:
    """A signal handler that only records that we were asked to stop.

    The launcher's loops poll it, so a signal never interrupts a half-done start or stop.
    """

    def __init__(self) -> None:
        self.signal_name: str | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signal_name = signal.Signals(signum).name

    def is_set(self) -> bool:
        return self.signal_name is not None


class Child:
    """One started process, in its own session, its output in a log file."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log: IO[bytes] = log_path.open("wb")
        try:
            self.process: subprocess.Popen[bytes] = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=dict(env) if env is not None else None,
                # Own session: Ctrl-C in the terminal reaches only the launcher, which then
                # stops the children in order.
                start_new_session=True,
            )
        except OSError as exc:
            self._log.close()
            raise LaunchError(f"cannot start {name} ({argv[0]}): {exc}") from exc

    @property
    def pid(self) -> int:
        return self.process.pid

    def exit_code(self) -> int | None:
        return self.process.poll()

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def died_error(self, what: str) -> LaunchError:
        code = self.exit_code()
        how = (
            f"was killed by {signal.Signals(-code).name}"
            if code is not None and code < 0
            else f"exited with code {code}"
        )
        return LaunchError(
            f"{self.name} {how} {what}; last lines of {self.log_path}:\n{self.tail()}"
        )

    def signal(self, signum: signal.Signals) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def close_log(self) -> None:
        self._log.close()


def wait_until(
    child: Child,
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float,
    stop: StopRequest,
    watch: Iterable[Child] = (),
) -> None:
    """Poll ``ready`` until it is true.

    Fails if ``child`` or any of ``watch`` dies, time runs out, or a stop was requested.
    """
    deadline = time.monotonic() + timeout
    while not ready():
        if child.exit_code() is not None:
            raise child.died_error(f"before it could {what}")
        for other in watch:
            if other.exit_code() is not None:
                raise other.died_error(f"while {child.name} was starting")
        if stop.is_set():
            raise LaunchError(f"interrupted while waiting for {child.name}")
        if time.monotonic() > deadline:
            raise LaunchError(
                f"{child.name} did not {what} within {timeout:.0f} s; "
                f"last lines of {child.log_path}:\n{child.tail()}"
            )
        time.sleep(0.1)


def stop_group(children: Sequence[Child], *, timeout: float = 10.0) -> None:
    """SIGTERM all of ``children``, wait up to ``timeout`` seconds, then SIGKILL the rest."""
    for child in children:
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"wir: {child.name} did not stop within {timeout:.0f} s, killing it", flush=True)
            child.signal(signal.SIGKILL)
            child.process.wait()
        child.close_log()
