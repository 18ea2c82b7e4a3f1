"""Approved WIR grant applications (nats-py only); NATS_URL=nats://subscriber:<pw>@host:port"""

import asyncio
import json
import os

import nats


async def main() -> None:
    nc = await nats.connect(os.environ["NATS_URL"], inbox_prefix="_INBOX_subscriber")
    js = nc.jetstream()  # ordered consumer on the subscribers' stream: from its beginning
    subject = "wir.application.approved.*"
    sub = await js.subscribe(subject, stream="WIR_MIRROR", ordered_consumer=True)
    async for msg in sub.messages:
        event = json.loads(msg.data)
        print(event["time"], event["subject"], event["data"]["granted_amount"], flush=True)


asyncio.run(main())
