"""``python -m deploy.run``: the whole of WIR on this machine, on loopback.

Starts Temporal (dev server, SQLite file, Web UI with the codec endpoint) and NATS with
JetStream (rendered config, one user per process), then the worker, the codec server and
the three FastAPI services, waits until each is ready and prints where everything is.
Ctrl-C or SIGTERM stops it all in reverse order. ``--check`` starts everything, prints the
summary and stops again (to measure start-up time and for tests).

``--replicas N`` runs N copies of each service and of the worker behind a round-robin proxy
on each service's usual port, ``--nats-cluster 3`` a 3-node JetStream cluster instead of one
nats-server (deploy/replicated.py); ``--database-url`` names the database (several replicas
want PostgreSQL). Without them everything runs once, as ``make up`` always did.
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

from sqlalchemy.engine import make_url

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
from deploy.replicated import ReplicatedStack, plan, provision
from deploy.stack import (
    SERVICES,
    WEB,
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
    ("web_port", "web front end"),
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


def check_ports(settings: WirSettings, extra: Sequence[tuple[int, str]] = ()) -> None:
    """Fail before starting anything if a port is taken or two settings share one;
    ``extra``: the replicas' and NATS nodes' ports beside them, with their owners."""
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
    settings_ports = set(seen)
    for port, owner in extra:
        if port in settings_ports:
            continue  # the proxy or the server on a port of the settings: checked above
        if port in seen:
            raise LaunchError(f"port {port} of {owner} is also {seen[port]}'s; move one")
        seen[port] = owner
        if port_in_use(settings.host, port):
            raise LaunchError(f"port {port} ({owner}) on {settings.host} is already in use")


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
    # the pages call the services: started once they answer
    group.start(wir_process(WEB, settings))


def start_replicated(stack: ReplicatedStack, group: ProcessGroup) -> None:
    """The replicated stack, stage by stage, the streams set up after the servers."""
    make_private(stack.settings.data_dir)
    servers, *rest = stack.stages()
    group.start(*servers)
    try:
        asyncio.run(provision(stack))
    except Exception as exc:
        raise LaunchError(f"cannot set up the NATS streams: {exc!r}") from exc
    for stage in rest:
        group.start(*stage)


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
    rows = [("web front end", f"http://{s.host}:{s.web_port}")]
    rows += [(f"{name} API", f"http://{s.host}:{service_port(s, name)}/docs") for name in SERVICES]
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


def replicated_summary(stack: ReplicatedStack, elapsed: float) -> str:
    s = stack.settings
    lines = [summary(s, elapsed)]
    for name, copies in stack.replicas.items():
        ports = ", ".join(str(c.port) for c in copies)
        label = f"{name} replicas"
        lines.append(f"  {label:<20} ports {ports}, proxied on {service_port(s, name)}")
    if stack.web_proxy is not None:
        ports = ", ".join(str(c.port) for c in stack.web)
        lines.append(f"  {'web replicas':<20} ports {ports}, proxied on {s.web_port}")
    lines.append(f"  {'workers':<20} {len(stack.workers)} on task queue {s.task_queue}")
    if stack.cluster is not None:
        lines.append(f"  {'NATS cluster':<20} {s.nats_url} (streams R{s.stream_replicas})")
    database = make_url(s.database_url_for("{service}")).render_as_string(hide_password=True)
    lines.append(f"  {'database':<20} {database}")
    return "\n".join(lines)


def run(
    *,
    check: bool = False,
    replicas: int = 1,
    nats_nodes: int = 1,
    database_url: str | None = None,
) -> int:
    """Start everything; with ``check`` stop again right after the summary. ``replicas``
    or ``nats_nodes`` above 1: the replicated stack (deploy/replicated.py)."""
    started = time.monotonic()
    os.umask(PRIVATE_UMASK)  # what the launcher itself writes under data/ is private too
    base = WirSettings()
    fields: dict[str, object] = {"data_dir": base.data_dir.resolve()}
    if database_url:
        fields["database_url"] = database_url
    settings = connected(base.model_copy(update=fields))
    stack = None
    if replicas > 1 or nats_nodes > 1:
        stack = plan(settings, replicas=replicas, nats_nodes=nats_nodes)
        settings = stack.settings
    stop = StopRequest()
    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    group = ProcessGroup(stop=stop)
    code = 0
    try:
        check_ports(settings, stack.ports() if stack is not None else ())
        logs = settings.data_dir / "logs"
        print(f"wir: starting; output of each process goes to {logs}/<name>.log", flush=True)
        if stack is None:
            start(settings, group)
            print(summary(settings, time.monotonic() - started), flush=True)
        else:
            start_replicated(stack, group)
            print(replicated_summary(stack, time.monotonic() - started), flush=True)
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
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        metavar="N",
        help="N copies of each service and of the worker, behind a round-robin proxy",
    )
    parser.add_argument(
        "--nats-cluster",
        type=int,
        default=1,
        metavar="NODES",
        help="a NATS JetStream cluster of NODES nodes (streams with up to 3 copies)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="the database of every service (several replicas: postgresql+asyncpg://...)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.replicas < 1 or args.nats_cluster < 1:
        parser.error("--replicas and --nats-cluster need 1 or more")
    if args.replicas > 1 and not (args.database_url or "").startswith("postgresql"):
        url = args.database_url or WirSettings().database_url or ""
        if not url.startswith("postgresql"):
            parser.error(
                "--replicas above 1 needs PostgreSQL: give --database-url postgresql+asyncpg://..."
            )
    return run(
        check=bool(args.check),
        replicas=args.replicas,
        nats_nodes=args.nats_cluster,
        database_url=args.database_url,
    )


if __name__ == "__main__":
    sys.exit(main())
