"""Idempotent consumers: record (consumer, message_id) in the same transaction as the effect."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog
from faststream.exceptions import RejectMessage
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.contracts.base import Event
from shared.messaging.topology import PUBLIC_EXCHANGE

log = structlog.get_logger("inbox")
Handler = Callable[[AsyncConnection, Event], Awaitable[None]]


@dataclass(frozen=True)
class Envelope:
    """What the AMQP properties say about a message, for consumers that keep every event."""

    message_id: str
    event_type: str
    routing_key: str
    exchange: str
    correlation_id: str | None
    causation_id: str | None


CatchAll = Callable[[AsyncConnection, Envelope, dict], Awaitable[None]]
MAX_RETRY_DELAY = 30.0


async def claim(conn: AsyncConnection, inbox: Table, *, consumer: str, message_id: str) -> bool:
    """Record the message as applied by this consumer; False when it already was."""
    result = await conn.execute(
        insert(inbox).values(consumer=consumer, message_id=message_id)
        .on_conflict_do_nothing().returning(inbox.c.message_id)
    )
    return result.first() is not None


@dataclass
class EventConsumer:
    """Routes one service queue's messages to typed handlers and applies each message once."""

    consumer: str
    engine: AsyncEngine
    inbox: Table
    handlers: dict[str, tuple[type[Event], Handler]]
    public_handlers: dict[str, tuple[type[Event], Handler]] = field(default_factory=dict)
    catch_all: CatchAll | None = None
    on_consumed: Callable[[str, str], None] = field(default=lambda event_type, outcome: None)

    async def handle(self, message: RabbitMessage) -> None:
        """Validate, deduplicate and apply one message; malformed ones are rejected to the dead letters."""
        raw = message.raw_message
        headers = raw.headers or {}
        envelope = Envelope(
            message_id=raw.message_id or "", event_type=raw.type or raw.routing_key.rsplit(".", 1)[0],
            routing_key=raw.routing_key, exchange=raw.exchange, correlation_id=raw.correlation_id,
            causation_id=headers.get("causation_id"),
        )
        structlog.contextvars.bind_contextvars(event_id=envelope.message_id, correlation_id=envelope.correlation_id,
                                               event_type=envelope.event_type)
        try:
            effects = self._effects(envelope, message.body)
            if effects:
                await self._apply(envelope, effects, int(headers.get("x-delivery-count", 0) or 0))
        finally:
            structlog.contextvars.unbind_contextvars("event_id", "correlation_id", "event_type")

    def _effects(self, envelope: Envelope, body: bytes) -> list:
        """The calls this message asks for; rejects it (to the dead letters) when it is malformed."""
        table = self.public_handlers if envelope.exchange == PUBLIC_EXCHANGE else self.handlers
        entry = table.get(envelope.event_type)
        if entry is None and self.catch_all is None:
            self.on_consumed(envelope.event_type, "ignored")
            return []
        try:
            if not envelope.message_id:
                raise ValueError("message without message_id")
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("payload is not a JSON object")
            effects = []
            if entry is not None:
                model, handler = entry
                event = model.model_validate(payload)
                effects.append(lambda conn: handler(conn, event))
            if self.catch_all is not None:
                effects.append(lambda conn: self.catch_all(conn, envelope, payload))
            return effects
        except (ValidationError, ValueError) as error:
            self.on_consumed(envelope.event_type, "dead_lettered")
            log.error("consumer.malformed", error=str(error)[:500])
            raise RejectMessage() from error

    async def _apply(self, envelope: Envelope, effects: list, attempt: int) -> None:
        try:
            async with self.engine.begin() as conn:
                if not await claim(conn, self.inbox, consumer=self.consumer, message_id=envelope.message_id):
                    self.on_consumed(envelope.event_type, "duplicate")
                    log.info("consumer.duplicate_skipped")
                    return
                for effect in effects:
                    await effect(conn)
        except Exception as error:
            # Transient (database down, deadlock...): wait before the nack so redeliveries back off.
            self.on_consumed(envelope.event_type, "retried")
            log.warning("consumer.retry", error=repr(error)[:500], attempt=attempt)
            await asyncio.sleep(min(MAX_RETRY_DELAY, 0.5 * 2 ** attempt))
            raise
        self.on_consumed(envelope.event_type, "applied")
        log.info("consumer.applied")


def subscribe(broker: RabbitBroker, queue_name: str, consumer: EventConsumer):
    """Attach the consumer to its (already declared) quorum queue; returns the FastStream subscriber."""
    async def on_message(message: RabbitMessage) -> None:
        await consumer.handle(message)

    return broker.subscriber(RabbitQueue(queue_name, declare=False), no_reply=True)(on_message)
