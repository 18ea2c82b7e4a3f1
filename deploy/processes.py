"""Child processes: finding binaries, starting, waiting until ready, killing, restarting, stopping.

Nothing here knows WIR: :mod:`deploy.stack` says which processes WIR has and how each is
started, :mod:`deploy.probes` how to tell that one is ready. ``make up`` (deploy/run.py),
the fault tests and the benchmark all start, wait for and stop their processes through
:class:`Child` and :class:`ProcessGroup`; ``make up`` waits synchronously, the tests and
the benchmark from their event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import IO

from deploy.probes import Probe
from shared.db import private_folder

#: The children's umask: nothing they create is readable by group or others.
PRIVATE_UMASK = 0o077


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
    """One process, started (and restarted) in its own session, its output in a log file.

    Whatever it writes is private to this user: it runs with ``umask`` 077 (files 0600,
    folders 0700, whatever modes it asks for), and so is its log (a 0700 folder, a 0600 file).

        ``ready`` tells when it serves (none: as soon as it runs); ``stage`` orders the stop:
        higher stages stop first, one stage at a time, all of a stage at once.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str | Path],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        ready: tuple[Probe, str] | None = None,
        ready_timeout: float = 30.0,
        port: int | None = None,
        stage: int = 0,
    ) -> None:
        self.name = name
        self.argv = [str(arg) for arg in argv]
        self.env = dict(env) if env is not None else None
        self.log_path = log_path
        self.ready = ready
        self.ready_timeout = ready_timeout
        self.port = port
        self.stage = stage
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._starts = 0
        #: True after stop() or kill(): its exit is no failure of the others' start.
        self.stopped = False

    def start(self) -> None:
        """Start the process; the first start begins a new log, a restart appends to it."""
        if self.running:
            raise LaunchError(f"{self.name} is running already")
        private_folder(self.log_path.parent)
        self._close_log()
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if self._starts else os.O_TRUNC)
        self._log = os.fdopen(os.open(self.log_path, flags, 0o600), "ab")
        self.log_path.chmod(0o600)  # a log left by an older version may be wider
        self._starts += 1
        self.stopped = False
        try:
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=self.env,
                # Own session: Ctrl-C in the terminal reaches only the launcher, which then
                # stops the children in order; a kill reaches the whole process group.
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )
        except OSError as exc:
            self._close_log()
            raise LaunchError(f"cannot start {self.name} ({self.argv[0]}): {exc}") from exc

    @property
    def pid(self) -> int:
        if self.process is None:
            raise LaunchError(f"{self.name} was never started")
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

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
        if self.running and self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        stop_children([self], signum=signal.SIGKILL)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds."""
        stop_children([self], timeout=timeout)

    def rss_mb(self, field: str = "VmRSS") -> float:
        """Resident memory now (``VmHWM``: its high-water mark), from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def peak_rss_mb(self) -> float:
        return self.rss_mb("VmHWM")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def _check(self, deadline: float, stop: StopRequest | None, watch: Iterable[Child]) -> None:
        """Raise if waiting for this child's readiness must end."""
        what = self.ready[1] if self.ready else "start"
        if self.exit_code() is not None:
            raise self.died_error(f"before it could {what}")
        for other in watch:
            if other is not self and not other.stopped and other.exit_code() is not None:
                raise other.died_error(f"while {self.name} was starting")
        if stop is not None and stop.is_set():
            raise LaunchError(f"interrupted while waiting for {self.name}")
        if time.monotonic() > deadline:
            raise LaunchError(
                f"{self.name} did not {what} within {self.ready_timeout:.0f} s; "
                f"last lines of {self.log_path}:\n{self.tail()}"
            )

    def wait_ready(self, *, stop: StopRequest | None = None, watch: Iterable[Child] = ()) -> None:
        """Poll the readiness check; fails if this child or one of ``watch`` dies, time runs
        out or a stop was requested."""
        deadline = time.monotonic() + self.ready_timeout
        while self.ready is not None and not self.ready[0]():
            self._check(deadline, stop, watch)
            time.sleep(0.1)
        self._check(deadline, stop, watch)

    async def wait_ready_async(self, *, watch: Iterable[Child] = ()) -> None:
        """:meth:`wait_ready` from an event loop that keeps serving meanwhile."""
        deadline = time.monotonic() + self.ready_timeout
        while self.ready is not None and not await asyncio.to_thread(self.ready[0]):
            self._check(deadline, None, watch)
            await asyncio.sleep(0.1)
        self._check(deadline, None, watch)


def make_private(folder: Path) -> None:
    """Create ``folder`` 0700, and take group's and others' permissions from it and from
    everything under it that this user owns (files an older version left 0644)."""
    private_folder(folder)
    uid = os.getuid()
    for path in (folder, *folder.rglob("*")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            info = path.lstat()
            mode = stat.S_IMODE(info.st_mode)
            if info.st_uid == uid and not stat.S_ISLNK(info.st_mode) and mode & 0o077:
                path.chmod(mode & 0o700)


def stop_children(
    children: Sequence[Child], *, signum: signal.Signals = signal.SIGTERM, timeout: float = 10.0
) -> None:
    """Signal all of ``children`` at once, wait up to ``timeout`` s, then SIGKILL the rest."""
    for child in children:
        child.stopped = True
        child.signal(signum)
    deadline = time.monotonic() + timeout
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"wir: {child.name} did not stop within {timeout:.0f} s, killing it", flush=True)
            child.signal(signal.SIGKILL)
            child.process.wait()
        child._close_log()


class ProcessGroup:
    """Children started in order and stopped by stage (the highest first)."""

    def __init__(self, *, stop: StopRequest | None = None) -> None:
        self.stop_request = stop
        self.children: dict[str, Child] = {}

    def add(self, child: Child) -> Child:
        self.children[child.name] = child
        return child

    def start(self, *children: Child) -> None:
        """Start ``children`` (added to the group), then wait until each is ready."""
        for child in children:
            self.add(child).start()
        for child in children:
            child.wait_ready(stop=self.stop_request, watch=self.children.values())
        self._all_alive()

    async def start_async(self, *children: Child) -> None:
        """:meth:`start` from an event loop; also restarts a child that was stopped."""
        for child in children:
            self.add(child).start()
        for child in children:
            await child.wait_ready_async(watch=self.children.values())
        self._all_alive()

    def _all_alive(self) -> None:
        dead = self.first_dead()
        if dead is not None:
            raise dead.died_error("during start-up")

    def first_dead(self) -> Child | None:
        for child in self.children.values():
            if not child.stopped and child.exit_code() is not None:
                return child
        return None

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop every child, stage by stage. Safe to call twice."""
        for stage in sorted({child.stage for child in self.children.values()}, reverse=True):
            group = [child for child in self.children.values() if child.stage == stage]
            with contextlib.suppress(Exception):
                stop_children(group, timeout=timeout)
        self.children.clear()
