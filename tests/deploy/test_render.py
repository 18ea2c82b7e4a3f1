"""The rendered deployment files are current, and NATS accepts the configuration they make."""

from __future__ import annotations

import subprocess
from pathlib import Path

from deploy.container.entrypoint import SecretFileError, resolve
from deploy.processes import find_binary
from deploy.render import ROOT, rendered, write_secrets


def test_committed_files_equal_a_fresh_rendering() -> None:
    for relative, text in rendered().items():
        path = ROOT / relative
        assert path.exists(), f"{relative} is missing: run python -m deploy.render"
        assert path.read_text(encoding="utf-8") == text, (
            f"{relative} differs from its sources: run python -m deploy.render"
        )


def test_nats_accepts_the_compose_node_config_with_made_secrets(tmp_path: Path) -> None:
    secrets = write_secrets(tmp_path / "secrets")
    assert all(p.stat().st_mode & 0o077 == 0 for p in secrets)
    conf = tmp_path / "nats"
    conf.mkdir()
    for name in ("nats.conf", "wir-accounts.conf"):
        (conf / name).write_text((ROOT / "deploy/compose/nats" / name).read_text())
    (conf / "passwords.conf").write_text((tmp_path / "secrets/nats-passwords.conf").read_text())
    result = subprocess.run(
        [str(find_binary("nats-server")), "-c", str(conf / "nats.conf"), "-t"],
        env={"NATS_SERVER_NAME": "nats-1"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout + result.stderr


def test_secret_files_are_kept_when_made_again(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    write_secrets(folder)
    before = (folder / "db-password").read_text()
    assert write_secrets(folder) == []
    assert (folder / "db-password").read_text() == before


def test_the_entrypoint_reads_settings_from_secret_files(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-value\n")
    env = resolve({"WIR_NATS_PASSWORD__FILE": str(secret), "PATH": "/bin"})
    assert env == {"WIR_NATS_PASSWORD": "s3cret-value", "PATH": "/bin"}


def test_the_entrypoint_refuses_an_unreadable_or_doubled_secret(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    for env in (
        {"WIR_NATS_PASSWORD__FILE": missing},
        {"WIR_NATS_PASSWORD__FILE": missing, "WIR_NATS_PASSWORD": "x"},
    ):
        try:
            resolve(env)
        except SecretFileError as exc:
            assert "WIR_NATS_PASSWORD" in str(exc)
        else:
            raise AssertionError(f"{env} was accepted")
