"""deploy/container/Dockerfile parsed: what it copies exists, what it runs exists."""

from __future__ import annotations

import json
from importlib.util import find_spec

from dockerfile_parse import DockerfileParser

from tests.deploy.manifests import DEPLOY, ROOT

DOCKERFILE = DEPLOY / "container" / "Dockerfile"


def instructions() -> list[dict[str, str]]:
    parser = DockerfileParser(fileobj=DOCKERFILE.open("rb"))
    return list(parser.structure)


def test_every_copy_source_exists_and_passes_the_dockerignore() -> None:
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    allowed = {line[1:].removesuffix("/**") for line in ignore if line.startswith("!")}
    for step in instructions():
        if step["instruction"] != "COPY" or "--from=" in step["value"]:
            continue
        *sources, _ = step["value"].split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert source in allowed, f"{source} is excluded by .dockerignore"


def test_the_entrypoint_and_default_command_are_modules_of_the_project() -> None:
    steps = {s["instruction"]: s["value"] for s in instructions()}
    entry, command = json.loads(steps["ENTRYPOINT"]), json.loads(steps["CMD"])
    for argv in (entry, command):
        assert argv[:2] == ["python", "-m"]
        assert find_spec(argv[2]) is not None, argv[2]


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    steps = instructions()
    last_from = max(i for i, s in enumerate(steps) if s["instruction"] == "FROM")
    users = [s["value"] for s in steps[last_from:] if s["instruction"] == "USER"]
    assert users and not users[-1].startswith(("0", "root"))
