"""Reading the deployment files in tests, and a Kustomize builder for the subset we use.

No kustomize binary ships on the package index this project installs from, so
:func:`build` implements what deploy/k8s/ uses and nothing more: ``resources`` (files and
folders with a kustomization.yaml), ``namespace``, ``labels`` (pairs, on metadata only, as
Kustomize's ``labels`` without ``includeSelectors``), ``images``, ``replicas`` and ``patches``
with a ``target`` (kind, name) and a JSON 6902 patch of ``add``/``replace``/``remove``. Any
other field fails loudly, so a manifest cannot silently rely on something it does not do.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose" / "compose.yaml"
K8S = DEPLOY / "k8s"
KNOWN = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "replicas", "patches"}
#: Namespaced objects get the kustomization's namespace; these do not.
CLUSTER_SCOPED = {"Namespace"}

Manifest = dict[str, Any]


def load_all(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def _pointer(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.lstrip("/").split("/")]


def _apply_op(doc: Manifest, op: dict[str, Any]) -> None:
    *parents, last = _pointer(op["path"])
    node: Any = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    kind = op["op"]
    if isinstance(node, list):
        if kind == "add":
            node.insert(len(node) if last == "-" else int(last), op["value"])
        elif kind == "replace":
            node[int(last)] = op["value"]
        elif kind == "remove":
            del node[int(last)]
        else:
            raise ValueError(f"patch op {kind!r} is not supported by this builder")
        return
    if kind == "replace" and last not in node:
        raise ValueError(f"replace of a missing path {op['path']}")
    if kind in ("add", "replace"):
        node[last] = op["value"]
    elif kind == "remove":
        del node[last]
    else:
        raise ValueError(f"patch op {kind!r} is not supported by this builder")


def _matches(doc: Manifest, target: dict[str, str]) -> bool:
    unknown = set(target) - {"kind", "name"}
    if unknown:
        raise ValueError(f"patch target fields {unknown} are not supported by this builder")
    return all(
        (doc["kind"] if key == "kind" else doc["metadata"]["name"]) == value
        for key, value in target.items()
    )


def build(folder: Path) -> list[Manifest]:
    """The objects ``kustomize build folder`` gives, for the subset described above."""
    spec: dict[str, Any] = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(spec) - KNOWN
    if unknown:
        raise ValueError(f"{folder}: kustomization fields {unknown} are not supported")
    docs: list[Manifest] = []
    for resource in spec.get("resources", []):
        path = (folder / resource).resolve()
        docs += build(path) if path.is_dir() else [copy.deepcopy(d) for d in load_all(path)]
    for doc in docs:
        if "namespace" in spec and doc["kind"] not in CLUSTER_SCOPED:
            doc["metadata"]["namespace"] = spec["namespace"]
        for entry in spec.get("labels", []):
            if set(entry) - {"pairs"}:
                raise ValueError(f"labels fields {set(entry) - {'pairs'}} are not supported")
            doc["metadata"].setdefault("labels", {}).update(entry["pairs"])
        for replica in spec.get("replicas", []):
            if doc["kind"] == "Deployment" and doc["metadata"]["name"] == replica["name"]:
                doc["spec"]["replicas"] = replica["count"]
        for image in spec.get("images", []):
            for container in _containers(doc):
                name, _, _ = str(container["image"]).partition(":")
                if name == image["name"]:
                    new = image.get("newName", name)
                    container["image"] = f"{new}:{image['newTag']}" if "newTag" in image else new
    for patch in spec.get("patches", []):
        ops = yaml.safe_load(patch["patch"])
        hit = [doc for doc in docs if _matches(doc, patch["target"])]
        if not hit:
            raise ValueError(f"{folder}: patch target {patch['target']} matches nothing")
        for doc in hit:
            for op in ops:
                _apply_op(doc, op)
    return docs


def _containers(doc: Manifest) -> list[dict[str, Any]]:
    if doc["kind"] not in ("Deployment", "Job"):
        return []
    pod = doc["spec"]["template"]["spec"]
    return [*pod.get("initContainers", []), *pod["containers"]]


def containers(doc: Manifest) -> list[dict[str, Any]]:
    return _containers(doc)
