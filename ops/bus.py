"""Operator tasks on the broker: dead-letter queues listed, peeked and replayed."""

import json
from datetime import datetime

import aio_pika

from shared.contracts.cloudevents import amqp_headers, envelope
from shared.messaging.topology import PUBLIC_EXCHANGE, service_queues


async def dead_letter_depths(amqp_url: str) -> dict[str, int]:
    """Messages waiting in each service's dead-letter queue."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        return {name: (await channel.declare_queue(queue.dead_letter_name, passive=True)).declaration_result
                .message_count for name, queue in service_queues().items()}


async def peek(amqp_url: str, service: str, limit: int) -> list[dict]:
    """The first dead letters of a service, left in place."""
    connection = await aio_pika.connect(amqp_url)
    shown = []
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(service_queues()[service].dead_letter_name, passive=True)
        held = []
        for _ in range(limit):
            message = await queue.get(fail=False)
            if message is None:
                break
            held.append(message)
            death = (message.headers or {}).get("x-death") or [{}]
            shown.append({"message_id": message.message_id, "type": message.type, "routing_key": message.routing_key,
                          "reason": death[0].get("reason"), "body": message.body[:300].decode(errors="replace")})
        for message in held:
            await message.nack(requeue=True)
    return shown


async def replay(amqp_url: str, service: str, limit: int) -> int:
    """Move dead letters back to the service's queue (same message id, so applied at most once); returns how many."""
    queue_name = service_queues()[service].name
    connection = await aio_pika.connect(amqp_url)
    moved = 0
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        dead = await channel.declare_queue(service_queues()[service].dead_letter_name, passive=True)
        while moved < limit and (message := await dead.get(fail=False)) is not None:
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
            await channel.default_exchange.publish(aio_pika.Message(
                message.body, headers=headers, message_id=message.message_id, correlation_id=message.correlation_id,
                type=message.type, app_id=message.app_id, content_type=message.content_type,
                timestamp=message.timestamp, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue_name)
            await message.ack()  # only after the broker confirmed the copy
            moved += 1
    return moved


async def republish(amqp_url: str, rows: list[dict], *, queue: str | None) -> int:
    """Publish ledger rows again with their original ids: to their exchange, or straight to one queue."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        for row in rows:
            exchange = channel.default_exchange if queue else await channel.get_exchange(row["exchange"], ensure=False)
            headers = {"causation_id": row["causation_id"]} if row["causation_id"] else {}
            if row["exchange"] == PUBLIC_EXCHANGE:  # as the outbox relay first published it: a CloudEvent
                headers |= amqp_headers(envelope(
                    event_id=row["event_id"], event_type=row["event_type"],
                    occurred_at=datetime.fromisoformat(row["payload"]["occurred_at"]),
                    schema_version=row["payload"].get("schema_version", 1)))
            await exchange.publish(aio_pika.Message(
                json.dumps(row["payload"], ensure_ascii=False).encode(), message_id=row["event_id"],
                correlation_id=row["correlation_id"], type=row["event_type"], app_id="hami-replay",
                content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                headers=headers), routing_key=queue or row["routing_key"], mandatory=True)
    return len(rows)
