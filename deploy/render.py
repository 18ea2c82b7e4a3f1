"""``python -m deploy.render``: the deployment files made from the same sources as ``make up``.

``make up`` renders ``deploy/nats/wir.conf`` with the passwords of ``deploy/nats/users.py``
and registers the search attributes of ``shared/temporal.py`` on its dev server. A cluster
needs the same users, permissions and search attributes, so this module writes them into the
committed deployment files instead of copying them by hand:

- ``deploy/compose/nats/wir-accounts.conf``: the accounts and users of wir.conf, each password
  a variable (``$WIR_NATS_PASSWORD_<USER>``) that the secret file ``passwords.conf`` beside it
  defines; ``deploy/compose/nats/nats.conf``: one node of the 3-node JetStream cluster;
- ``deploy/compose/temporal/setup.sh``: schema, namespace and WIR's search attributes;
- ``deploy/helm/nats-values.yaml``: the official NATS chart's values (3 replicas, JetStream
  file storage, the same accounts file, mounted with the passwords from a Secret);
- ``deploy/k8s/nats/accounts.yaml`` and ``deploy/k8s/temporal/setup.yaml``: the accounts
  file and the setup script as ConfigMaps; ``deploy/k8s/secrets/*.template.yaml``: the
  Secrets the manifests refer to, with placeholders instead of values.

``python -m deploy.render`` rewrites them; ``--check`` only says whether they are current (the
tests check the same). ``python -m deploy.render secrets DIR`` makes real secret files for
the compose file (random NATS passwords, a payload keyring, a token signing key, database
passwords), mode 0600, never overwriting one that exists.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from deploy.nats.users import USERS, render
from deploy.stack import SEARCH_ATTRIBUTE_TYPES
from shared.settings import WirSettings
from shared.temporal import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
#: How many NATS servers the cluster has; the streams get as many replicas.
NATS_NODES = 3
#: The NATS chart mounts its own config at /etc/nats-config; ours goes beside it.
HELM_ACCOUNTS_DIR = "/etc/nats-config/wir"
ACCOUNTS_CONFIGMAP = "wir-nats-accounts"
PASSWORDS_SECRET = "wir-nats-passwords"
SETUP_CONFIGMAP = "wir-temporal-setup"
HEADER = "# Rendered by `python -m deploy.render` from {source}; do not edit by hand.\n"


def password_variable(user: str) -> str:
    return f"WIR_NATS_PASSWORD_{user.upper()}"


def accounts_conf() -> str:
    """wir.conf with every password a variable defined by the included ``passwords.conf``."""
    # render() refuses anything but a safe password, so it gets a marker of its own per user
    # that the next step turns into an unquoted variable reference.
    markers = {user: f"WIRPASSWORDMARKER{user}" for user in USERS}
    text = render(markers, WirSettings())
    for user, marker in markers.items():
        text = text.replace(f'"{marker}"', f"${password_variable(user)}")
    head = HEADER.format(source="deploy/nats/wir.conf")
    head += (
        "# The passwords: variables defined in passwords.conf beside this file (a secret;\n"
        "# `python -m deploy.render secrets DIR` makes one).\n"
        'include "passwords.conf"\n\n'
    )
    return head + text


def passwords_conf(passwords: Mapping[str, str]) -> str:
    lines = [f'{password_variable(user)}: "{passwords[user]}"' for user in USERS]
    return "# NATS passwords of WIR's users (secret).\n" + "\n".join(lines) + "\n"


def node_conf() -> str:
    routes = ", ".join(f'"nats://nats-{n}:6222"' for n in range(1, NATS_NODES + 1))
    return HEADER.format(source="deploy/render.py") + (
        "# One node of the compose file's NATS cluster; NATS_SERVER_NAME says which.\n"
        "server_name: $NATS_SERVER_NAME\n"
        "listen: 0.0.0.0:4222\n"
        "# monitoring, for the health check only (not published on the host)\n"
        "http: 0.0.0.0:8222\n"
        'include "wir-accounts.conf"\n'
        "# after the accounts file: its `jetstream: enabled` would replace this block\n"
        "jetstream {\n"
        "  store_dir: /data\n"
        "  max_file_store: 20GB\n"
        "  max_memory_store: 256MB\n"
        "}\n"
        "cluster {\n"
        "  name: wir\n"
        "  listen: 0.0.0.0:6222\n"
        f"  routes: [{routes}]\n"
        "}\n"
    )


def temporal_setup_sh() -> str:
    """The schema, the namespace and WIR's search attributes, for the admin-tools image."""
    attributes = " ".join(
        f"--name {key.name} --type {SEARCH_ATTRIBUTE_TYPES[key.indexed_value_type]}"
        for key in SEARCH_ATTRIBUTES
    )
    schema = "/etc/temporal/schema/postgresql/v12"
    return (
        "#!/bin/sh\n"
        + HEADER.format(source="shared/temporal.py (search attributes)")
        + "# Run once per upgrade of the Temporal server, with the admin-tools image:\n"
        "#   setup.sh schema     the databases and their schema (SQL_* variables)\n"
        "#   setup.sh namespace  WIR's namespace and search attributes (TEMPORAL_ADDRESS)\n"
        "# Both are safe to run again.\n"
        "set -eu\n"
        'case "${1:-}" in\n'
        "schema)\n"
        '  for db in "$TEMPORAL_DB" "$TEMPORAL_VISIBILITY_DB"; do\n'
        '    case "$db" in "$TEMPORAL_DB") dir=temporal ;; *) dir=visibility ;; esac\n'
        '    temporal-sql-tool --db "$db" create || true  # exists already\n'
        '    temporal-sql-tool --db "$db" setup-schema -v 0.0 || true  # set up already\n'
        f'    temporal-sql-tool --db "$db" update-schema -d "{schema}/$dir/versioned"\n'
        "  done\n"
        "  ;;\n"
        "namespace)\n"
        '  until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do sleep 2; done\n'
        '  temporal operator namespace describe -n "$WIR_NAMESPACE" >/dev/null 2>&1 \\\n'
        '    || temporal operator namespace create -n "$WIR_NAMESPACE" --retention "$RETENTION"\n'
        '  temporal operator search-attribute create -n "$WIR_NAMESPACE" \\\n'
        f"    {attributes} \\\n"
        '    || echo "the search attributes exist already"\n'
        "  ;;\n"
        '*) echo "usage: setup.sh schema|namespace" >&2; exit 2 ;;\n'
        "esac\n"
    )


def _yaml(document: Mapping[str, Any], source: str) -> str:
    body = str(yaml.safe_dump(dict(document), sort_keys=False, width=100))
    return HEADER.format(source=source) + body


def _configmap(name: str, data: Mapping[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/part-of": "wir"}},
        "data": dict(data),
    }


def _secret_template(name: str, keys: Sequence[str], note: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": name,
            "labels": {"app.kubernetes.io/part-of": "wir"},
            "annotations": {"wir.hessen.de/how-to-fill": note},
        },
        "type": "Opaque",
        "stringData": {key: "CHANGE-ME" for key in keys},
    }


def nats_values() -> dict[str, Any]:
    env = {
        password_variable(user): {
            "valueFrom": {"secretKeyRef": {"name": PASSWORDS_SECRET, "key": user}}
        }
        for user in USERS
    }
    volume = {
        "name": "wir-accounts",
        "projected": {
            "sources": [
                {"configMap": {"name": ACCOUNTS_CONFIGMAP}},
                {
                    "secret": {
                        "name": PASSWORDS_SECRET,
                        "items": [{"key": "passwords.conf", "path": "passwords.conf"}],
                    }
                },
            ]
        },
    }
    return {
        "config": {
            "cluster": {"enabled": True, "replicas": NATS_NODES},
            "jetstream": {
                "enabled": True,
                "fileStore": {"enabled": True, "dir": "/data", "pvc": {"size": "20Gi"}},
                "memoryStore": {"enabled": False},
            },
            "monitor": {"enabled": True},
            # the accounts and users of deploy/nats/wir.conf, as in the compose file
            "merge": {"$include": "./wir/wir-accounts.conf"},
        },
        "container": {
            # unused by the config (passwords.conf defines the variables); kept so an
            # operator can read which Secret keys exist with `kubectl describe`
            "env": env,
            "patch": [
                {
                    "op": "add",
                    "path": "/volumeMounts/-",
                    "value": {"name": "wir-accounts", "mountPath": HELM_ACCOUNTS_DIR},
                }
            ],
            "merge": {"resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}},
        },
        "podTemplate": {"patch": [{"op": "add", "path": "/spec/volumes/-", "value": volume}]},
        "podDisruptionBudget": {"enabled": True},
    }


def rendered() -> dict[Path, str]:
    """Every rendered file (relative to the repository) and its content."""
    accounts = accounts_conf()
    setup = temporal_setup_sh()
    nats_users = ", ".join(USERS)
    return {
        Path("deploy/compose/nats/wir-accounts.conf"): accounts,
        Path("deploy/compose/nats/nats.conf"): node_conf(),
        Path("deploy/compose/temporal/setup.sh"): setup,
        Path("deploy/helm/nats-values.yaml"): _yaml(nats_values(), "deploy/render.py"),
        Path("deploy/k8s/nats/accounts.yaml"): _yaml(
            _configmap(ACCOUNTS_CONFIGMAP, {"wir-accounts.conf": accounts}),
            "deploy/nats/wir.conf",
        ),
        Path("deploy/k8s/temporal/setup.yaml"): _yaml(
            _configmap(SETUP_CONFIGMAP, {"setup.sh": setup}), "shared/temporal.py"
        ),
        Path("deploy/k8s/secrets/nats-passwords.template.yaml"): _yaml(
            _secret_template(
                PASSWORDS_SECRET,
                [*USERS, "passwords.conf"],
                f"one random password per user ({nats_users}); passwords.conf holds the same "
                "as variables: `python -m deploy.render secrets DIR` makes both",
            ),
            "deploy/nats/users.py",
        ),
        Path("deploy/k8s/secrets/wir.template.yaml"): _yaml(
            _secret_template(
                "wir",
                ["database-url", "payload-keys.json", "signing-key.pem", "metrics-token"],
                "database-url: postgresql+asyncpg://wir:<password>@<host>:5432/wir; "
                "payload-keys.json: `wir keys rotate --file payload-keys.json`; "
                "signing-key.pem: Ed25519 PEM (only without an OIDC issuer)",
            ),
            "deploy/render.py",
        ),
        Path("deploy/k8s/secrets/temporal-db.template.yaml"): _yaml(
            _secret_template("temporal-db", ["password"], "the temporal database user's"),
            "deploy/render.py",
        ),
    }


def write_secrets(folder: Path) -> list[Path]:
    """Fresh secret files for the compose file; an existing one is kept as it is."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from shared.payloads.keys import load_or_create_keyring

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    made: list[Path] = []
    passwords = {user: secrets.token_urlsafe(24) for user in USERS}
    db_password = secrets.token_urlsafe(24)
    key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files: dict[str, str | bytes] = {
        "nats-passwords.conf": passwords_conf(passwords),
        "db-password": db_password,
        "database-url": f"postgresql+asyncpg://wir:{db_password}@postgres:5432/wir",
        "signing-key.pem": key,
        "metrics-token": secrets.token_urlsafe(32),
    }
    files.update({f"nats-{user}": passwords[user] for user in USERS})
    for name, content in files.items():
        path = folder / name
        if path.exists():
            continue
        path.touch(mode=0o600)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        made.append(path)
    keys = folder / "payload-keys.json"
    if not keys.exists():
        load_or_create_keyring(keys)
        made.append(keys)
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    sub = parser.add_subparsers(dest="command")
    s = sub.add_parser("secrets", help="make the compose file's secret files in DIR")
    s.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "secrets":
        for path in write_secrets(args.folder):
            print(f"made {path}")
        return 0
    stale = []
    for relative, text in rendered().items():
        path = ROOT / relative
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for relative in stale:
        print(f"{'stale' if args.check else 'wrote'} {relative}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
