"""Talking to the broker directly from tests: raw publishes and queue depths."""

import json
import uuid

import aio_pika

from shared.messaging.broker import exchange_for
from shared.messaging.topology import INTERNAL_EXCHANGE


async def publish_raw(amqp_url: str, *, routing_key: str, body: bytes, message_id: str | None,
                      message_type: str | None = None, exchange: str = INTERNAL_EXCHANGE) -> None:
    """Publish bytes to the internal exchange the way a (possibly broken) producer might."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        target = await channel.get_exchange(exchange, ensure=False)
        await target.publish(aio_pika.Message(
            body, message_id=message_id, type=message_type, content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=routing_key, mandatory=True)


async def publish_event(amqp_url: str, event, *, message_id: str | None = None) -> None:
    """Publish a contract as its owner would (message id = event id unless overridden)."""
    await publish_raw(amqp_url, routing_key=event.routing_key(), message_type=event.event_type(),
                      body=json.dumps(event.model_dump(mode="json")).encode(),
                      message_id=message_id or str(event.event_id), exchange=exchange_for(event.public))


async def queue_depth(amqp_url: str, queue: str) -> int:
    """Messages ready in a queue."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        declared = await (await connection.channel()).declare_queue(queue, passive=True)
        return declared.declaration_result.message_count


def new_message_id() -> str:
    """A fresh message id."""
    return str(uuid.uuid4())
