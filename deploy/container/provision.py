"""``python -m deploy.container.provision``: the NATS streams, once, before WIR's processes.

``make up`` creates the streams as the NATS user ``admin`` before anything else starts,
because the processes' own users may only read the streams' info (deploy/nats/wir.conf);
then the subscribers' mirror as ``subscribers_admin``. In a cluster this one-shot process
does the same (compose: a service the others wait for; Kubernetes: a Job), with the
passwords ``WIR_NATS_ADMIN_PASSWORD`` and ``WIR_NATS_SUBSCRIBERS_ADMIN_PASSWORD`` (or their
``__FILE`` forms, deploy/container/entrypoint.py) and ``WIR_STREAM_REPLICAS`` (3 on three
nodes). Running it again updates the streams' retention and changes nothing else.
"""

from __future__ import annotations

import asyncio
import os
import sys

from deploy.nats.users import provision_streams
from shared.settings import WirSettings

TIMEOUT_SECONDS = 60.0


def main() -> int:
    try:
        credentials = {
            "admin": os.environ["WIR_NATS_ADMIN_PASSWORD"],
            "subscribers_admin": os.environ["WIR_NATS_SUBSCRIBERS_ADMIN_PASSWORD"],
        }
    except KeyError as exc:
        print(f"wir: {exc.args[0]} is not set", file=sys.stderr)
        return 2
    settings = WirSettings()
    try:
        asyncio.run(asyncio.wait_for(provision_streams(settings, credentials), TIMEOUT_SECONDS))
    except Exception as exc:
        print(f"wir: cannot set up the NATS streams: {exc!r}", file=sys.stderr)
        return 1
    print(f"wir: streams ready ({settings.stream_replicas} replicas)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
