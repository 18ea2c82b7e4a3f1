"""A NATS JetStream cluster of several nodes on one machine: their ports, stores and commands.

Every node runs the same server config (WIR's accounts and users, deploy/nats/users.py, as
``make up`` renders it) and gets its address, store, name and routes on the command line,
so a client may connect as the same user to any node. The routes list every node (a node
ignores the route to itself). With three nodes the streams keep three copies
(``WIR_STREAM_REPLICAS=3``): one node may die and the stream goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deploy.probes import free_port, listens
from deploy.processes import Child, find_binary
from deploy.stack import SERVER_STAGE, SERVER_TIMEOUT
from shared.db import private_folder
from shared.settings import WirSettings

#: The route (cluster) ports of the nodes are this far above their client ports.
ROUTE_PORT_OFFSET = 1000
CLUSTER_NAME = "wir"


@dataclass(frozen=True)
class NatsCluster:
    host: str
    client_ports: tuple[int, ...]
    route_ports: tuple[int, ...]

    @classmethod
    def beside(cls, settings: WirSettings, nodes: int) -> NatsCluster:
        """Node ``i`` on ``nats_port + i`` (the first on the usual port), its route
        :data:`ROUTE_PORT_OFFSET` above."""
        clients = tuple(settings.nats_port + i for i in range(nodes))
        return cls(settings.host, clients, tuple(p + ROUTE_PORT_OFFSET for p in clients))

    @classmethod
    def on_free_ports(cls, host: str, nodes: int) -> NatsCluster:
        """Tests and benchmarks: every port a free one."""
        return cls(
            host,
            tuple(free_port() for _ in range(nodes)),
            tuple(free_port() for _ in range(nodes)),
        )

    @property
    def names(self) -> list[str]:
        return [f"nats-{i + 1}" for i in range(len(self.client_ports))]

    @property
    def url(self) -> str:
        """What ``WIR_NATS_URL`` says: every node, comma-separated (shared/bus.py)."""
        return ",".join(f"nats://{self.host}:{port}" for port in self.client_ports)

    @property
    def replicas(self) -> int:
        """Copies of each stream: three where there are three nodes or more."""
        return min(3, len(self.client_ports))

    def connected(self, settings: WirSettings) -> WirSettings:
        return settings.model_copy(update={"nats_url": self.url, "stream_replicas": self.replicas})

    def nodes(self, settings: WirSettings, *, config: Path | None) -> list[Child]:
        """One ``nats-server`` per node, its store ``<data_dir>/nats/cluster/<name>`` and its
        log ``<data_dir>/logs/<name>.log``; ``config``: WIR's rendered server config."""
        routes = ",".join(f"nats-route://{self.host}:{port}" for port in self.route_ports)
        children = []
        for name, port, route in zip(self.names, self.client_ports, self.route_ports, strict=True):
            store = settings.data_dir / "nats" / "cluster" / name
            private_folder(store)
            argv = [str(find_binary("nats-server"))]
            if config is not None:
                argv += ["--config", str(config)]
            argv += [
                "--addr", self.host,
                "--port", str(port),
                "--jetstream",
                "--store_dir", str(store),
                "--http_port", "0",
                "--server_name", name,
                "--cluster_name", CLUSTER_NAME,
                "--cluster", f"nats-route://{self.host}:{route}",
                "--routes", routes,
            ]  # fmt: skip
            children.append(
                Child(
                    name,
                    argv,
                    log_path=settings.data_dir / "logs" / f"{name}.log",
                    ready=listens(self.host, port),
                    ready_timeout=SERVER_TIMEOUT,
                    port=port,
                    stage=SERVER_STAGE,
                )
            )
        return children
