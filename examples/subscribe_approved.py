"""Approved WIR grant applications (nats-py only); NATS_URL=nats://subscriber:<pw>@host:port"""

import asyncio
import json
import os

import nats


async def main() -> None:
    nc = await nats.connect(os.environ["NATS_URL"], inbox_prefix="_INBOX_subscriber")
    js = nc.jetstream()  # ordered consumer: read-only, from the stream's beginning
    sub = await js.subscribe("wir.application.approved.*", ordered_consumer=True)
    async for msg in sub.messages:
        event = json.loads(msg.data)
        print(event["time"], event["subject"], event["data"]["granted_amount"], flush=True)


asyncio.run(main())
