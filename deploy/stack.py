"""WIR's processes: the command line, environment and readiness check of each.

``make up`` (deploy/run.py), the fault tests and the benchmark build their children here,
so all three run the same commands, configured through ``WIR_*`` variables from one
:class:`~shared.settings.WirSettings`. Where things go follows the settings: the host and
ports, ``<data_dir>/temporal.db``, ``<data_dir>/nats/`` and ``<data_dir>/logs/<name>.log``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import SecretStr
from temporalio.common import SearchAttributeIndexedValueType

from deploy.probes import answers, free_port, listens
from deploy.processes import Child, find_binary
from shared.db import private_folder
from shared.settings import WirSettings
from shared.temporal import SEARCH_ATTRIBUTES

SERVICES: tuple[str, ...] = ("applications", "cases", "notifications", "coordination")
#: The web front end: a process like the services, but it calls them (over HTTP), so it
#: starts after them.
WEB = "web"
# The dev server's names for the indexed value types of shared.temporal.SEARCH_ATTRIBUTES.
SEARCH_ATTRIBUTE_TYPES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}
# The order of stopping (highest first): the replicas' proxies, services, then workers, then
# the servers.
SERVER_STAGE, WORKER_STAGE, SERVICE_STAGE, PROXY_STAGE = 0, 1, 2, 3
SERVER_TIMEOUT = 30.0
SERVICE_TIMEOUT = 60.0


def service_port(settings: WirSettings, service: str) -> int:
    ports = {
        "applications": settings.applications_port,
        "cases": settings.cases_port,
        "notifications": settings.notifications_port,
        "coordination": settings.coordination_port,
    }
    return ports[service]


def codec_endpoint(settings: WirSettings) -> str:
    return f"http://{settings.host}:{settings.codec_port}"


def connected(settings: WirSettings) -> WirSettings:
    """``settings`` whose Temporal address and NATS URL are the embedded servers'."""
    host = settings.host
    return settings.model_copy(
        update={
            "temporal_address": f"{host}:{settings.temporal_port}",
            "nats_url": f"nats://{host}:{settings.nats_port}",
        }
    )


def throwaway(root: Path, **fields: object) -> WirSettings:
    """Settings of a stack of its own under ``root`` on free loopback ports (tests, bench);
    ``fields`` override any setting."""
    base = WirSettings(
        host="127.0.0.1",
        data_dir=root,
        database_url=f"sqlite+aiosqlite:///{root}/{{service}}.db",
        temporal_port=free_port(),
        nats_port=free_port(),
        applications_port=free_port(),
        cases_port=free_port(),
        notifications_port=free_port(),
        coordination_port=free_port(),
        codec_port=free_port(),
        web_port=free_port(),
        worker_metrics_port=free_port(),
        worker_wir_metrics_port=free_port(),
    )
    return connected(base).model_copy(update=fields)


def wir_env(settings: WirSettings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the ``WIR_*`` variables that make a child use
    ``settings`` (and ``extra``, e.g. its NATS user)."""
    env = dict(os.environ)
    for field, value in settings:
        if value is None:
            continue
        if isinstance(value, SecretStr):
            text = value.get_secret_value()
        elif isinstance(value, list | dict):
            text = json.dumps(value)
        else:
            text = str(value)
        env[f"WIR_{field.upper()}"] = text
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **(extra or {})}


def _log(settings: WirSettings, name: str) -> Path:
    return settings.data_dir / "logs" / f"{name}.log"


def temporal_server(settings: WirSettings, *, ui: bool = True, extra: Sequence[str] = ()) -> Child:
    """``temporal server start-dev`` on ``<data_dir>/temporal.db`` (survives restarts), with
    the Web UI asking the codec server to decrypt payloads, or ``ui=False`` without a UI.
    ``extra`` arguments are passed on (e.g. ``--dynamic-config-value``)."""
    s = settings
    argv = [
        str(find_binary("temporal")), "server", "start-dev",
        "--ip", s.host,
        "--port", str(s.temporal_port),
        "--db-filename", str(s.data_dir / "temporal.db"),
        "--namespace", s.temporal_namespace,
        "--log-level", "warn",
    ]  # fmt: skip
    if ui:
        # the Web UI asks the codec server to decrypt payloads (operators only)
        argv += ["--ui-port", str(s.temporal_ui_port), "--ui-codec-endpoint", codec_endpoint(s)]
    else:
        argv += ["--headless"]
    for key in SEARCH_ATTRIBUTES:
        # Registering them again on an existing database file is accepted as a no-op.
        kind = SEARCH_ATTRIBUTE_TYPES[key.indexed_value_type]
        argv += ["--search-attribute", f"{key.name}={kind}"]
    argv += list(extra)
    return Child(
        "temporal",
        argv,
        log_path=_log(s, "temporal"),
        ready=listens(s.host, s.temporal_port),
        ready_timeout=SERVER_TIMEOUT,
        port=s.temporal_port,
        stage=SERVER_STAGE,
    )


def nats_server(settings: WirSettings, *, config: Path | None = None) -> Child:
    """``nats-server`` with JetStream on ``<data_dir>/nats``; ``config`` is the rendered
    server config with the NATS users (deploy/nats/users.py), none: no users."""
    s = settings
    store = s.data_dir / "nats"
    private_folder(store)
    argv = [str(find_binary("nats-server"))]
    if config is not None:
        argv += ["--config", str(config)]
    argv += [
        "--addr", s.host,
        "--port", str(s.nats_port),
        "--jetstream",
        "--store_dir", str(store),
        "--http_port", "0",  # no monitoring endpoint
        "--server_name", "wir",
    ]  # fmt: skip
    return Child(
        "nats",
        argv,
        log_path=_log(s, "nats"),
        ready=listens(s.host, s.nats_port),
        ready_timeout=SERVER_TIMEOUT,
        port=s.nats_port,
        stage=SERVER_STAGE,
    )


def wir_process(
    name: str,
    settings: WirSettings,
    *,
    env: Mapping[str, str] | None = None,
    log_level: str | None = None,
    replica: int | None = None,
    port: int | None = None,
) -> Child:
    """One of WIR's own processes: ``worker``, ``codec``, ``web`` or a service of :data:`SERVICES`
    (under uvicorn, deploy/serve.py; ``log_level`` e.g. ``warning`` leaves out the access
    log), configured by ``settings`` plus ``env``. Ready when a service or the codec
    answers ``GET /health``; the worker as soon as it runs.

    ``replica`` (1, 2, ...) names one of several copies, ``<name>-<replica>`` with a log of
    its own; ``port`` is where a replica of a service listens instead of its usual port."""
    s = settings
    child_env = wir_env(s, env)
    title = name if replica is None else f"{name}-{replica}"
    log = _log(s, title)
    if name == "worker":
        argv = [sys.executable, "-m", "workflows.worker"]
        return Child(title, argv, log_path=log, env=child_env, stage=WORKER_STAGE)
    if name == "codec":
        argv, port = [sys.executable, "-m", "services.codec.app"], port or s.codec_port
    elif name in SERVICES or name == WEB:
        port = port or (s.web_port if name == WEB else service_port(s, name))
        # uvicorn with time limits for slow clients (deploy/serve.py); host and limits
        # come from the WIR_* variables of child_env
        argv = [
            sys.executable, "-m", "deploy.serve", f"services.{name}.app:create_app",
            "--port", str(port),
        ]  # fmt: skip
        if log_level is not None:
            argv += ["--log-level", log_level]
    else:
        raise ValueError(f"no WIR process is called {name!r}")
    return Child(
        title,
        argv,
        log_path=log,
        env=child_env,
        ready=answers(f"http://{s.host}:{port}/health"),
        ready_timeout=SERVICE_TIMEOUT,
        port=port,
        stage=SERVICE_STAGE,
    )


def proxy(settings: WirSettings, name: str, backends: Sequence[int]) -> Child:
    """The round-robin proxy (deploy/proxy.py) on a service's usual port in front of its
    replicas on ``backends``."""
    s = settings
    port = s.web_port if name == WEB else service_port(s, name)
    argv = [sys.executable, "-m", "deploy.proxy", "--host", s.host, "--port", str(port)]
    for backend in backends:
        argv += ["--backend", f"{s.host}:{backend}"]
    return Child(
        f"{name}-proxy",
        argv,
        log_path=_log(s, f"{name}-proxy"),
        ready=listens(s.host, port),
        ready_timeout=SERVER_TIMEOUT,
        port=port,
        stage=PROXY_STAGE,
    )
