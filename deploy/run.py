"""``python -m deploy.run``: the whole of WIR on this machine, on loopback.

Starts Temporal (dev server, SQLite file) and NATS with JetStream, then the worker and the
three FastAPI services, waits until each is ready and prints where everything is. Ctrl-C or
SIGTERM stops it all in reverse order. ``--check`` starts everything, prints the summary and
stops again (to measure start-up time and for tests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Sequence
from functools import partial

from temporalio.common import SearchAttributeIndexedValueType

from deploy.nats.users import (
    credentials_path,
    process_env,
    provision_streams,
    write_server_config,
)
from deploy.processes import (
    Child,
    LaunchError,
    StopRequest,
    find_binary,
    http_ok,
    port_in_use,
    stop_group,
    tcp_open,
    wait_until,
)
from shared.settings import WirSettings
from shared.temporal import SEARCH_ATTRIBUTES

SERVICES: tuple[str, ...] = ("applications", "cases", "notifications")
# The dev server's names for the indexed value types of shared.temporal.SEARCH_ATTRIBUTES.
SEARCH_ATTRIBUTE_TYPES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}

# Settings field -> what listens there (the WIR_* variable is the field name upper-cased).
PORTS: tuple[tuple[str, str], ...] = (
    ("temporal_port", "Temporal gRPC"),
    ("temporal_ui_port", "Temporal UI"),
    ("nats_port", "NATS"),
    ("applications_port", "applications API"),
    ("cases_port", "cases API"),
    ("notifications_port", "notifications API"),
    ("codec_port", "codec server"),
)

SERVER_TIMEOUT = 30.0
SERVICE_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
# SIGHUP too: the children have their own sessions, so a closed terminal would orphan them.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def env_var(field: str) -> str:
    return f"WIR_{field.upper()}"


def service_port(settings: WirSettings, service: str) -> int:
    port: int = getattr(settings, f"{service}_port")
    return port


def codec_endpoint(settings: WirSettings) -> str:
    return f"http://{settings.host}:{settings.codec_port}"


def check_ports(settings: WirSettings) -> None:
    """Fail before starting anything if a port is taken or two settings share one."""
    seen: dict[int, str] = {}
    for field, label in PORTS:
        port: int = getattr(settings, field)
        if port in seen:
            raise LaunchError(
                f"{env_var(field)}={port} is the same port as {seen[port]}; give each its own"
            )
        seen[port] = env_var(field)
        if port_in_use(settings.host, port):
            raise LaunchError(
                f"port {port} ({label}) on {settings.host} is already in use; set "
                f"{env_var(field)} to a free port, or stop what holds it (an earlier 'make up'?)"
            )


class Launcher:
    """Starts the children in order and stops them in reverse order."""

    def __init__(self, settings: WirSettings, stop: StopRequest) -> None:
        self.settings = settings
        self.stop = stop
        self.data_dir = settings.data_dir.resolve()
        self.log_dir = self.data_dir / "logs"
        self.children: dict[str, Child] = {}
        # NATS user -> password (deploy/nats/users.py), made on the first start
        self.nats_credentials: dict[str, str] = {}
        self.nats_credentials_file = credentials_path(settings)

    def spawn(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> Child:
        child = Child(name, argv, self.log_dir / f"{name}.log", env)
        self.children[name] = child
        return child

    def start_servers(self) -> None:
        s = self.settings
        temporal_bin, nats_bin = find_binary("temporal"), find_binary("nats-server")
        (self.data_dir / "nats").mkdir(parents=True, exist_ok=True)
        temporal_argv = [
            str(temporal_bin), "server", "start-dev",
            "--ip", s.host,
            "--port", str(s.temporal_port),
            "--ui-port", str(s.temporal_ui_port),
            "--db-filename", str(self.data_dir / "temporal.db"),
            "--namespace", s.temporal_namespace,
            "--log-level", "warn",
            # the Web UI asks the codec server to decrypt payloads (operators only)
            "--ui-codec-endpoint", codec_endpoint(s),
        ]  # fmt: skip
        for key in SEARCH_ATTRIBUTES:
            # Registering them again on an existing database file is accepted as a no-op.
            kind = SEARCH_ATTRIBUTE_TYPES[key.indexed_value_type]
            temporal_argv += ["--search-attribute", f"{key.name}={kind}"]
        temporal = self.spawn("temporal", temporal_argv)
        # One NATS user per process; passwords made once, the server config rendered.
        nats_config, self.nats_credentials = write_server_config(s)
        nats = self.spawn(
            "nats",
            [
                str(nats_bin),
                "--config", str(nats_config),
                "--addr", s.host,
                "--port", str(s.nats_port),
                "--jetstream",
                "--store_dir", str(self.data_dir / "nats"),
                "--http_port", "0",  # no monitoring endpoint
                "--server_name", "wir",
            ],
        )  # fmt: skip
        for child, port in ((temporal, s.temporal_port), (nats, s.nats_port)):
            wait_until(
                child,
                partial(tcp_open, s.host, port),
                what=f"accept connections on {s.host}:{port}",
                timeout=SERVER_TIMEOUT,
                stop=self.stop,
                watch=list(self.children.values()),
            )
        self.provision_streams()

    def provision_streams(self) -> None:
        """The streams exist before the services start: their NATS users may not make them."""
        s = self.settings.model_copy(
            update={"nats_url": f"nats://{self.settings.host}:{self.settings.nats_port}"}
        )
        try:
            asyncio.run(asyncio.wait_for(provision_streams(s, self.nats_credentials), 30))
        except Exception as exc:
            raise LaunchError(f"cannot set up the NATS streams: {exc!r}") from exc

    def nats_env(self, env: dict[str, str], user: str) -> dict[str, str]:
        """``env`` with the credentials of NATS user ``user``."""
        return {**env, **process_env(self.nats_credentials, user)}

    def start_apps(self) -> None:
        s = self.settings
        env = dict(os.environ)
        env["WIR_TEMPORAL_ADDRESS"] = f"{s.host}:{s.temporal_port}"
        env["WIR_NATS_URL"] = f"nats://{s.host}:{s.nats_port}"
        env["PYTHONUNBUFFERED"] = "1"
        worker = self.spawn(
            "worker", [sys.executable, "-m", "workflows.worker"], self.nats_env(env, "worker")
        )
        codec = self.spawn("codec", [sys.executable, "-m", "services.codec.app"], env)
        services = [(codec, f"{codec_endpoint(s)}/health")]
        for name in SERVICES:
            port = service_port(s, name)
            argv = [
                sys.executable, "-m", "uvicorn", "--factory",
                f"services.{name}.app:create_app",
                "--host", s.host, "--port", str(port),
            ]  # fmt: skip
            child = self.spawn(name, argv, self.nats_env(env, name))
            services.append((child, f"http://{s.host}:{port}/health"))
        for child, url in services:
            wait_until(
                child,
                partial(http_ok, url),
                what=f"answer GET {url} with 200",
                timeout=SERVICE_TIMEOUT,
                stop=self.stop,
                watch=list(self.children.values()),
            )
        if worker.exit_code() is not None:
            raise worker.died_error("during start-up")

    def dead_child(self) -> Child | None:
        for child in self.children.values():
            if child.exit_code() is not None:
                return child
        return None

    def watch(self) -> int:
        """Run until a signal (0) or until a child dies on its own (1)."""
        while not self.stop.is_set():
            dead = self.dead_child()
            if dead is not None:
                print(f"wir: {dead.died_error('unexpectedly')}", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.2)
        print(f"\nwir: {self.stop.signal_name} received, stopping", flush=True)
        return 0

    def shutdown(self) -> None:
        """Services first, then the worker, then NATS, then Temporal. Safe to call twice."""
        order = [[*SERVICES, "codec"], ["worker"], ["nats"], ["temporal"]]
        for names in order:
            group = [self.children.pop(name) for name in names if name in self.children]
            stop_group(group, timeout=STOP_TIMEOUT)


def summary(launcher: Launcher, elapsed: float) -> str:
    s = launcher.settings
    rows = [(f"{name} API", f"http://{s.host}:{service_port(s, name)}/docs") for name in SERVICES]
    rows += [
        ("Temporal UI", f"http://{s.host}:{s.temporal_ui_port}"),
        ("codec server", f"{codec_endpoint(s)}/login (operators: decrypted payloads in the UI)"),
        ("Temporal", f"{s.host}:{s.temporal_port} (namespace {s.temporal_namespace})"),
        ("NATS", f"nats://{s.host}:{s.nats_port}"),
        ("NATS users", f"one per process; passwords in {launcher.nats_credentials_file}"),
        ("NATS read-only user", "subscriber (for external systems and 'wir events tail')"),
        ("logs", f"{launcher.log_dir}/<name>.log"),
    ]
    lines = [f"wir: up in {elapsed:.1f} s"]
    lines += [f"  {label:<20} {value}" for label, value in rows]
    return "\n".join(lines)


def run(*, check: bool = False) -> int:
    """Start everything; with ``check`` stop again right after the summary."""
    started = time.monotonic()
    settings = WirSettings()
    stop = StopRequest()
    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    launcher = Launcher(settings, stop)
    code = 0
    try:
        check_ports(settings)
        print(
            f"wir: starting; output of each process goes to {launcher.log_dir}/<name>.log",
            flush=True,
        )
        launcher.start_servers()
        launcher.start_apps()
        print(summary(launcher, time.monotonic() - started), flush=True)
        if not check:
            print("wir: press Ctrl-C to stop", flush=True)
            code = launcher.watch()
    except LaunchError as exc:
        print(f"wir: {exc}", file=sys.stderr, flush=True)
        code = 130 if stop.is_set() else 1
    finally:
        started_any = bool(launcher.children)
        launcher.shutdown()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if started_any:
        print("wir: stopped" if code == 0 else f"wir: stopped (exit code {code})", flush=True)
    return code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="start everything, print the summary, then stop it all and exit",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(check=bool(args.check))


if __name__ == "__main__":
    sys.exit(main())
