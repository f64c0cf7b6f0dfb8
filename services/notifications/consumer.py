"""The notifications queue's consumer: internal events to typed handlers, public events to webhooks too."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from faststream.exceptions import RejectMessage
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.projections.usecases import delivery_attempt
from shared.contracts import ALL_EVENTS
from shared.contracts.base import Event
from shared.messaging.inbox import Envelope, EventConsumer, Work
from shared.messaging.topology import PUBLIC_EXCHANGE

log = structlog.get_logger("notifications")
PUBLIC_CONTRACTS: dict[str, type[Event]] = {c.event_type(): c for c in ALL_EVENTS if c.public}
FanOut = Callable[[AsyncConnection, Event, str], Awaitable[int]]


@dataclass
class NotificationsConsumer(EventConsumer):
    """EventConsumer that also takes public events: each goes to webhooks, and to a typed handler if it has one.

    A public message is validated against its public contract and re-serialised from it, so nothing beyond
    the public contract can ever reach a webhook.
    """

    fan_out: FanOut | None = None

    def _work(self, envelope: Envelope, body: bytes) -> Work | None:
        if envelope.exchange != PUBLIC_EXCHANGE:
            return super()._work(envelope, body)
        contract = PUBLIC_CONTRACTS.get(envelope.event_type)
        if contract is None:
            self.on_consumed(envelope.event_type, "ignored")
            return None
        try:
            if not envelope.message_id:
                raise ValueError("message without message_id")
            event = contract.model_validate(json.loads(body))
        except (ValidationError, ValueError) as error:
            self.on_consumed(envelope.event_type, "dead_lettered")
            log.error("consumer.malformed", error=str(error)[:500])
            raise RejectMessage() from error
        effects = []
        if self.fan_out is not None:
            effects.append(lambda conn: self.fan_out(conn, event, envelope.routing_key))
        if (entry := self.public_handlers.get(envelope.event_type)) is not None:
            effects.append(lambda conn: entry[1](conn, event))
        return Work(tuple(effects)) if effects else None

    async def _apply(self, envelope: Envelope, work: Work, attempt: int) -> None:
        token = delivery_attempt.set(attempt)  # the handlers run in this context (EventConsumer._commit)
        try:
            await super()._apply(envelope, work, attempt)
        finally:
            delivery_attempt.reset(token)
