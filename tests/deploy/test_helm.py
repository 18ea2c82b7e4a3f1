"""deploy/helm/*-values.yaml use exactly the key paths checked against the charts.

The charts are not committed: deploy/helm/chart-keys.txt is the output of
``python -m deploy.helm_keys`` against the chart versions it names. This test fails when a
values file gains or loses a key path, so a new key cannot go in unchecked.
"""

from __future__ import annotations

from deploy.helm_keys import key_paths, load
from tests.deploy.manifests import DEPLOY


def checked_paths() -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in (DEPLOY / "helm" / "chart-keys.txt").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        verdict, path = line.split(" ", 1)
        current[path] = verdict
    return sections


def test_values_files_use_only_checked_key_paths() -> None:
    checked = checked_paths()
    for chart in ("temporal", "nats"):
        used = set(key_paths(load(DEPLOY / "helm" / f"{chart}-values.yaml")))
        assert used == set(checked[chart]), f"{chart}: re-run python -m deploy.helm_keys"
        assert set(checked[chart].values()) <= {"key", "open"}


def test_temporal_uses_postgresql_for_persistence_and_visibility() -> None:
    values = load(DEPLOY / "helm" / "temporal-values.yaml")
    persistence = values["server"]["config"]["persistence"]
    assert persistence["numHistoryShards"] == 512
    for store in ("default", "visibility"):
        assert set(persistence["datastores"][store]) == {"sql"}
        assert persistence["datastores"][store]["sql"]["pluginName"] == "postgres12"


def test_nats_runs_three_jetstream_nodes_with_file_storage() -> None:
    config = load(DEPLOY / "helm" / "nats-values.yaml")["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"] and config["jetstream"]["fileStore"]["enabled"]
