"""Example: how another municipal system follows the Hami festival's public events.

1. Catch up from the ledger: page through GET {registry}/public-events?after_seq=N, remembering the last seq.
2. Then listen live: a durable queue of your own, bound to the public exchange `hami.public` with the routing
   keys you care about (e.g. `evaluation.results.#`, `submissions.work.received.d07`).
Your RabbitMQ user is read-only on `hami.public` and may only configure/write queues named `ext.<you>.*`.
Events are JSON; ignore fields you do not know. The AMQP message_id is the event id: deduplicate on it
(the ledger catch-up and the live queue can overlap).

Run: python docs/example_subscriber.py --amqp amqp://user:pass@host/ --registry http://host:8001 --name kommun
"""

import argparse
import asyncio
import json

import aio_pika
import httpx

PUBLIC_EXCHANGE = "hami.public"


async def catch_up(registry: str, after_seq: int, seen: set[str]) -> int:
    """Page through the public events the ledger kept; returns the last position."""
    async with httpx.AsyncClient(base_url=registry, timeout=10) as client:
        while True:
            page = (await client.get("/public-events", params={"after_seq": after_seq, "limit": 500})).json()
            for event in page["events"]:
                handle(event["event_type"], event["payload"], event["event_id"], seen)
            if not page["events"]:
                return after_seq
            after_seq = page["next_after_seq"]


def handle(event_type: str, payload: dict, event_id: str, seen: set[str]) -> None:
    """Do something useful with an event (here: print it), once per event id."""
    if event_id in seen:
        return
    seen.add(event_id)
    print(event_type, json.dumps(payload, ensure_ascii=False))


async def listen(amqp: str, name: str, bindings: list[str], seen: set[str]) -> None:
    """Consume the live public events through a durable queue of our own."""
    connection = await aio_pika.connect_robust(amqp)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        queue = await channel.declare_queue(f"ext.{name}.events", durable=True)
        exchange = await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False)
        for key in bindings:
            await queue.bind(exchange, routing_key=key)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process():
                    handle(message.type or message.routing_key, json.loads(message.body), message.message_id, seen)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--name", required=True, help="your system's short name (queue ext.<name>.events)")
    parser.add_argument("--bind", action="append", default=["#"], help="routing key patterns (repeatable)")
    args = parser.parse_args()
    seen: set[str] = set()
    await catch_up(args.registry, 0, seen)
    await listen(args.amqp, args.name, args.bind, seen)


if __name__ == "__main__":
    asyncio.run(main())
