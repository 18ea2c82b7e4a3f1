"""Print each approved WIR grant application: id and granted amount (nats-py only)."""

import asyncio
import json
import os

import nats


async def main() -> None:
    nc = await nats.connect(os.environ.get("NATS_URL", "nats://127.0.0.1:14222"))
    js = nc.jetstream()  # ordered consumer: read-only, from the stream's beginning
    sub = await js.subscribe("wir.application.approved.*", ordered_consumer=True)
    async for msg in sub.messages:
        event = json.loads(msg.data)
        print(event["time"], event["subject"], event["data"]["granted_amount"], flush=True)


asyncio.run(main())
