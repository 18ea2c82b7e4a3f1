"""WIR with several replicas of each process on one machine: what runs where.

``python -m deploy.run --replicas 2 --nats-cluster 3`` (and the scale tests and benchmark)
start this: one Temporal dev server, a NATS JetStream cluster (deploy/cluster.py) with WIR's
users on every node, ``replicas`` copies of each service and of the worker, each on its own
port with its own log (``<name>-<n>.log``), and on each service's usual port a round-robin
proxy (deploy/proxy.py) in front of its copies, so clients and the one web front end use
the same URLs as with one copy. The codec server and the web front end run once.

The copies share everything that must be shared: the database (PostgreSQL; each service's
migrations run once, shared/migrations.py), the Temporal task queue (the workers split the
tasks) and the durable consumers (one per read model, the replicas split its messages).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from deploy.cluster import NatsCluster
from deploy.nats.users import process_env, provision_streams, write_server_config
from deploy.probes import free_port
from deploy.processes import Child
from deploy.stack import (
    SERVICES,
    WEB,
    nats_server,
    proxy,
    service_port,
    temporal_server,
    wir_process,
)
from shared.settings import WirSettings

#: Replica ``n`` of a service listens this far above the service's usual port, plus
#: 100 per further replica: applications (8001) on 18001, 18101, ...
REPLICA_PORT_OFFSET = 10000
PROVISION_TIMEOUT = 60.0


def replica_port(settings: WirSettings, service: str, replica: int) -> int:
    return service_port(settings, service) + REPLICA_PORT_OFFSET + 100 * (replica - 1)


@dataclass
class ReplicatedStack:
    """The processes of a replicated WIR, in the order they start (:meth:`stages`)."""

    settings: WirSettings
    credentials: dict[str, str]
    servers: list[Child]
    workers: list[Child]
    replicas: dict[str, list[Child]]
    proxies: dict[str, Child]
    others: list[Child] = field(default_factory=list)
    #: the web front end's copies (it calls the services, so they start once the services'
    #: proxies answer), and the proxy in front of them when there is more than one
    web: list[Child] = field(default_factory=list)
    web_proxy: Child | None = None
    cluster: NatsCluster | None = None

    def stages(self) -> list[list[Child]]:
        """Servers; workers, replicas and the codec server; the proxies; the web front end's
        copies; their proxy. Provision the streams (:func:`provision`) between the first
        stage and the second."""
        middle = [*self.workers, *(c for cs in self.replicas.values() for c in cs), *self.others]
        stages = [self.servers, middle, list(self.proxies.values())]
        if self.web:
            stages.append(self.web)
        if self.web_proxy is not None:
            stages.append([self.web_proxy])
        return stages

    @property
    def nats(self) -> list[Child]:
        return [child for child in self.servers if child.name.startswith("nats")]

    def ports(self) -> list[tuple[int, str]]:
        """Every port the stack listens on beside those of the settings, with its owner."""
        found = [(c.port, c.name) for stage in self.stages() for c in stage if c.port]
        if self.cluster is not None:
            found += [
                (p, f"{n} routes")
                for n, p in zip(self.cluster.names, self.cluster.route_ports, strict=True)
            ]
        return found


def plan(
    settings: WirSettings,
    *,
    replicas: int,
    nats_nodes: int,
    services: Sequence[str] = SERVICES,
    free_ports: bool = False,
    ui: bool = True,
    with_web: bool = True,
    with_codec: bool = True,
    env: Mapping[str, Mapping[str, str]] | None = None,
    log_level: str | None = None,
) -> ReplicatedStack:
    """The replicated stack of ``settings`` (its database URL, data folder, usual ports).

    ``free_ports`` puts the replicas and NATS nodes on free ports (tests, benchmarks);
    ``env`` adds variables per process name (e.g. a test SMTP server for notifications)."""
    extra = env or {}
    cluster: NatsCluster | None = None
    if nats_nodes > 1:
        host = settings.host
        cluster = (
            NatsCluster.on_free_ports(host, nats_nodes)
            if free_ports
            else NatsCluster.beside(settings, nats_nodes)
        )
        settings = cluster.connected(settings)
    config, credentials = write_server_config(settings)
    servers = [temporal_server(settings, ui=ui)]
    if cluster is not None:
        servers += cluster.nodes(settings, config=config)
    else:
        servers.append(nats_server(settings, config=config))

    def child_env(name: str, user: str | None) -> dict[str, str]:
        found = dict(process_env(credentials, user)) if user else {}
        return {**found, **extra.get(name, {})}

    def worker_ports(n: int) -> dict[str, str]:
        """Worker copy ``n``'s two metrics ports (the SDK's and WIR's), as its services'."""
        offset = REPLICA_PORT_OFFSET + 100 * (n - 1)
        sdk, wir = settings.worker_metrics_port, settings.worker_wir_metrics_port
        return {
            "WIR_WORKER_METRICS_PORT": str(free_port() if free_ports else sdk + offset),
            "WIR_WORKER_WIR_METRICS_PORT": str(free_port() if free_ports else wir + offset),
        }

    workers = [
        wir_process(
            "worker",
            settings,
            env={**child_env("worker", "worker"), **worker_ports(n)},
            replica=n,
        )
        for n in range(1, replicas + 1)
    ]
    copies: dict[str, list[Child]] = {}
    proxies: dict[str, Child] = {}
    for service in services:
        ports = [
            free_port() if free_ports else replica_port(settings, service, n)
            for n in range(1, replicas + 1)
        ]
        copies[service] = [
            wir_process(
                service,
                settings,
                env=child_env(service, service),
                replica=n,
                port=port,
                log_level=log_level,
            )
            for n, port in enumerate(ports, start=1)
        ]
        proxies[service] = proxy(settings, service, ports)
    others = [wir_process("codec", settings)] if with_codec else []
    web: list[Child] = []
    web_proxy: Child | None = None
    if with_web and replicas == 1:
        web = [wir_process(WEB, settings, env=child_env(WEB, None))]
    elif with_web:
        # sessions live in the database, so any copy answers any signed-in user
        web_ports = [
            free_port() if free_ports else settings.web_port + REPLICA_PORT_OFFSET + 100 * (n - 1)
            for n in range(1, replicas + 1)
        ]
        web = [
            wir_process(WEB, settings, env=child_env(WEB, None), replica=n, port=port)
            for n, port in enumerate(web_ports, start=1)
        ]
        web_proxy = proxy(settings, WEB, web_ports)
    return ReplicatedStack(
        settings, credentials, servers, workers, copies, proxies, others, web, web_proxy, cluster
    )


async def provision(stack: ReplicatedStack, *, timeout: float = PROVISION_TIMEOUT) -> None:
    """Create the streams once the servers run; a new cluster first elects its JetStream
    leader, so this tries again until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            await asyncio.wait_for(provision_streams(stack.settings, stack.credentials), 15)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
