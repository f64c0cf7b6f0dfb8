"""The bus topology, declared in one place: exchanges, service queues, bindings, dead letters."""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

import aio_pika
from aio_pika.abc import AbstractChannel, ExchangeType

INTERNAL_EXCHANGE = "hami.internal"
PUBLIC_EXCHANGE = "hami.public"
DEAD_LETTER_EXCHANGE = "hami.dead-letter"
# Public events nobody subscribes to yet are parked here rather than returned as unroutable.
UNROUTED_EXCHANGE = "hami.public.unrouted"
UNROUTED_QUEUE = "hami.public.unrouted"
UNROUTED_MAX_LENGTH = 10_000
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class ServiceQueue:
    """A consuming service's quorum queue and the routing keys it binds on each exchange."""

    service: str
    bindings: tuple[str, ...]
    public_bindings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """Queue name, e.g. 'evaluation.events'."""
        return f"{self.service}.events"

    @property
    def dead_letter_name(self) -> str:
        """Its dead-letter queue, e.g. 'evaluation.dead-letter'."""
        return f"{self.service}.dead-letter"

    def arguments(self) -> dict[str, object]:
        """Quorum queue arguments: dead-letter routing and an explicit delivery limit."""
        return {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": self.dead_letter_name,
            "x-delivery-limit": DELIVERY_LIMIT,
        }


CONSUMING_SERVICES = ("registry", "submissions", "evaluation", "notifications")


@cache
def service_queues() -> dict[str, ServiceQueue]:
    """Every consuming service's queue; its bindings are derived from the service's handler table (one list)."""
    queues = {}
    for name in CONSUMING_SERVICES:
        table = import_module(f"services.{name}.handlers").TABLE
        queues[name] = ServiceQueue(name, table.internal_bindings(), table.public_bindings())
    return queues


async def declare_topology(channel: AbstractChannel) -> None:
    """Declare every exchange, queue and binding; safe to run from every service on every start."""
    await channel.declare_exchange(INTERNAL_EXCHANGE, ExchangeType.TOPIC, durable=True)
    unrouted = await channel.declare_exchange(UNROUTED_EXCHANGE, ExchangeType.FANOUT, durable=True)
    await channel.declare_exchange(
        PUBLIC_EXCHANGE, ExchangeType.TOPIC, durable=True,
        arguments={"alternate-exchange": UNROUTED_EXCHANGE},
    )
    await channel.declare_exchange(DEAD_LETTER_EXCHANGE, ExchangeType.DIRECT, durable=True)
    parked = await channel.declare_queue(
        UNROUTED_QUEUE, durable=True,
        arguments={"x-queue-type": "quorum", "x-max-length": UNROUTED_MAX_LENGTH, "x-overflow": "drop-head"},
    )
    await parked.bind(unrouted)
    for service_queue in service_queues().values():
        await _declare_service_queues(channel, service_queue)


async def declare_service_topology(channel: AbstractChannel, service: str) -> None:
    """What a service declares with its own least-privilege user: the shared exchanges only checked (the broker's
    definitions declare them), its own queues and bindings."""
    for name in (INTERNAL_EXCHANGE, PUBLIC_EXCHANGE, DEAD_LETTER_EXCHANGE):
        await channel.get_exchange(name, ensure=True)  # passive
    await _declare_service_queues(channel, service_queues()[service])


async def _declare_service_queues(channel: AbstractChannel, service_queue: ServiceQueue) -> None:
    dead = await channel.declare_queue(service_queue.dead_letter_name, durable=True,
                                       arguments={"x-queue-type": "quorum"})
    await dead.bind(DEAD_LETTER_EXCHANGE, routing_key=service_queue.dead_letter_name)
    queue = await channel.declare_queue(service_queue.name, durable=True, arguments=service_queue.arguments())
    for routing_key in service_queue.bindings:
        await queue.bind(INTERNAL_EXCHANGE, routing_key=routing_key)
    for routing_key in service_queue.public_bindings:
        await queue.bind(PUBLIC_EXCHANGE, routing_key=routing_key)


async def declare_topology_at(amqp_url: str) -> None:
    """Open a short-lived connection, declare the topology, close it."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        await declare_topology(await connection.channel())
