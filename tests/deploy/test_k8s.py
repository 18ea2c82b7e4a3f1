"""deploy/k8s/: the overlays built, every object valid against the Kubernetes JSON schemas."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest

from tests.deploy.manifests import K8S, Manifest, build, containers, load_all

#: The Kubernetes version whose schemas the manifests are checked against.
KUBERNETES_VERSION = "1.33.0"
OVERLAYS = ("staging", "production")
PROCESSES = {"applications", "cases", "notifications", "coordination", "web", "codec", "worker"}


def built(folder: Path) -> list[Manifest]:
    return build(folder)


def by_kind(docs: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.mark.parametrize(
    "folder",
    [K8S / "base", *(K8S / "overlays" / o for o in OVERLAYS), K8S / "nats", K8S / "temporal"],
    ids=lambda p: p.relative_to(K8S).as_posix(),
)
def test_every_built_object_is_valid_kubernetes(folder: Path) -> None:
    docs = built(folder)
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_secret_templates_are_valid_and_hold_no_value() -> None:
    for path in sorted((K8S / "secrets").glob("*.template.yaml")):
        for doc in load_all(path):
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
            assert set(doc["stringData"].values()) == {"CHANGE-ME"}, path


def test_no_secret_value_is_committed_in_the_base() -> None:
    docs = built(K8S / "base")
    assert not by_kind(docs, "Secret")


def test_each_process_runs_non_root_read_only_with_probes_on_its_port() -> None:
    deployments = by_kind(built(K8S / "base"), "Deployment")
    assert set(deployments) == PROCESSES
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["serviceAccountName"] == f"wir-{name}"
        (container,) = containers(deployment)
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["port"] == "http", (name, probe)
        expected = "/metrics" if name == "worker" else "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == expected


def test_production_runs_two_or_more_and_staging_one() -> None:
    for overlay, low, high in (("staging", 1, 1), ("production", 2, 6)):
        docs = built(K8S / "overlays" / overlay)
        for deployment in by_kind(docs, "Deployment").values():
            assert deployment["spec"]["replicas"] == low, overlay
            assert deployment["metadata"]["labels"]["wir.hessen.de/environment"] == overlay
        for name, hpa in by_kind(docs, "HorizontalPodAutoscaler").items():
            assert hpa["spec"]["minReplicas"] == low
            assert low <= hpa["spec"]["maxReplicas"] <= high, name


def test_network_policies_deny_by_default_and_grant_each_process_its_peers() -> None:
    policies = by_kind(built(K8S / "base"), "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny

    def egress_ports(name: str) -> set[int]:
        return {p["port"] for rule in policies[name]["spec"]["egress"] for p in rule["ports"]}

    for service in ("applications", "cases", "coordination"):
        assert egress_ports(service) == {5432, 7233, 4222}
    assert egress_ports("notifications") == {5432, 7233, 4222, 25, 465, 587, 443}
    assert egress_ports("worker") == {7233, 4222}
    assert egress_ports("web") == {8001, 8002, 8003, 443}
    assert egress_ports("codec") == {443}
