"""``python -m deploy.serve <module>:<factory>``: a WIR service under uvicorn, with the time
limits for slow clients of ``shared/serving.py``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn

from shared.serving import server_config
from shared.settings import WirSettings


def service_name(factory: str) -> str:
    """``services.cases.app:create_app`` → ``cases``: the ``service`` of its log lines."""
    parts = factory.partition(":")[0].split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "services" else parts[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__)
    parser.add_argument("factory", help="the app factory, e.g. services.cases.app:create_app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    config = server_config(
        args.factory,
        WirSettings(),
        port=args.port,
        factory=True,
        service=service_name(args.factory),
        log_level=args.log_level,
    )
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
