"""``python -m deploy.run``: the whole of WIR on this machine, on loopback.

Starts Temporal (dev server, SQLite file, Web UI with the codec endpoint) and NATS with
JetStream (rendered config, one user per process), then the worker, the codec server and
the three FastAPI services, waits until each is ready and prints where everything is.
Ctrl-C or SIGTERM stops it all in reverse order. ``--check`` starts everything, prints the
summary and stops again (to measure start-up time and for tests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence

from deploy.nats.users import (
    credentials_path,
    process_env,
    provision_streams,
    write_server_config,
)
from deploy.processes import (
    PRIVATE_UMASK,
    LaunchError,
    ProcessGroup,
    StopRequest,
    make_private,
)
from deploy.stack import (
    SERVICES,
    codec_endpoint,
    connected,
    nats_server,
    service_port,
    temporal_server,
    wir_process,
)
from shared.settings import WirSettings

# Settings field -> what listens there (the WIR_* variable is the field name upper-cased).
PORTS: tuple[tuple[str, str], ...] = (
    ("temporal_port", "Temporal gRPC"),
    ("temporal_ui_port", "Temporal UI"),
    ("nats_port", "NATS"),
    ("applications_port", "applications API"),
    ("cases_port", "cases API"),
    ("notifications_port", "notifications API"),
    ("coordination_port", "coordination API"),
    ("codec_port", "codec server"),
)
STOP_TIMEOUT = 10.0
# SIGHUP too: the children have their own sessions, so a closed terminal would orphan them.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def env_var(field: str) -> str:
    return f"WIR_{field.upper()}"


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


def start(settings: WirSettings, group: ProcessGroup) -> None:
    """The servers, the streams, then WIR's processes, each with its own NATS user."""
    # Databases, logs, keys and the NATS store: only this user may read them.
    make_private(settings.data_dir)
    # One NATS user per process; passwords made once, the server config rendered.
    nats_config, credentials = write_server_config(settings)
    group.start(temporal_server(settings), nats_server(settings, config=nats_config))
    try:
        # The streams exist before the services start: their NATS users may not make them.
        asyncio.run(asyncio.wait_for(provision_streams(settings, credentials), 30))
    except Exception as exc:
        raise LaunchError(f"cannot set up the NATS streams: {exc!r}") from exc
    worker = wir_process("worker", settings, env=process_env(credentials, "worker"))
    codec = wir_process("codec", settings)
    services = [wir_process(n, settings, env=process_env(credentials, n)) for n in SERVICES]
    group.start(worker, codec, *services)


def watch(group: ProcessGroup, stop: StopRequest) -> int:
    """Run until a signal (0) or until a child dies on its own (1)."""
    while not stop.is_set():
        dead = group.first_dead()
        if dead is not None:
            print(f"wir: {dead.died_error('unexpectedly')}", file=sys.stderr, flush=True)
            return 1
        time.sleep(0.2)
    print(f"\nwir: {stop.signal_name} received, stopping", flush=True)
    return 0


def summary(settings: WirSettings, elapsed: float) -> str:
    s = settings
    rows = [(f"{name} API", f"http://{s.host}:{service_port(s, name)}/docs") for name in SERVICES]
    rows += [
        ("Temporal UI", f"http://{s.host}:{s.temporal_ui_port}"),
        ("codec server", f"{codec_endpoint(s)}/login (operators: decrypted payloads in the UI)"),
        ("Temporal", f"{s.host}:{s.temporal_port} (namespace {s.temporal_namespace})"),
        ("NATS", f"nats://{s.host}:{s.nats_port}"),
        ("NATS users", f"one per process; passwords in {credentials_path(s)}"),
        ("NATS read-only user", "subscriber (for external systems and 'wir events tail')"),
        ("logs", f"{s.data_dir / 'logs'}/<name>.log"),
    ]
    lines = [f"wir: up in {elapsed:.1f} s"]
    lines += [f"  {label:<20} {value}" for label, value in rows]
    return "\n".join(lines)


def run(*, check: bool = False) -> int:
    """Start everything; with ``check`` stop again right after the summary."""
    started = time.monotonic()
    os.umask(PRIVATE_UMASK)  # what the launcher itself writes under data/ is private too
    base = WirSettings()
    settings = connected(base.model_copy(update={"data_dir": base.data_dir.resolve()}))
    stop = StopRequest()
    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    group = ProcessGroup(stop=stop)
    code = 0
    try:
        check_ports(settings)
        logs = settings.data_dir / "logs"
        print(f"wir: starting; output of each process goes to {logs}/<name>.log", flush=True)
        start(settings, group)
        print(summary(settings, time.monotonic() - started), flush=True)
        if not check:
            print("wir: press Ctrl-C to stop", flush=True)
            code = watch(group, stop)
    except LaunchError as exc:
        print(f"wir: {exc}", file=sys.stderr, flush=True)
        code = 130 if stop.is_set() else 1
    finally:
        started_any = bool(group.children)
        group.stop(timeout=STOP_TIMEOUT)
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
