"""Idempotent consumers: record (consumer, message_id) in the same transaction as the effect."""

import asyncio
import contextvars
import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog
from faststream.exceptions import RejectMessage
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import ValidationError
from sqlalchemy import Table, TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.contracts.base import Event
from shared.errors import unreachable
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


# Keeps every event of its queue (the registry's ledger): called once per transaction with its fresh messages.
CatchAll = Callable[[AsyncConnection, list[tuple[Envelope, dict]]], Awaitable[None]]
Effect = Callable[[AsyncConnection], Awaitable[None]]
MAX_RETRY_DELAY = 30.0
BATCH_LIMIT = 50


@dataclass(frozen=True)
class Work:
    """What one message asks of its consumer: typed handler calls, and its payload when the catch-all keeps it."""

    effects: tuple[Effect, ...] = ()
    kept: dict | None = None


@dataclass
class _Waiting:
    """A message waiting for its turn in a transaction, with the context (log fields, attempt) it arrived in."""

    envelope: Envelope
    work: Work
    context: contextvars.Context
    fresh: asyncio.Future


async def claim_all(conn: AsyncConnection, inbox: Table, *, consumer: str, message_ids: list[str]) -> set[str]:
    """Record messages as applied by this consumer; returns the ids that were not already."""
    rows = await conn.execute(_claim_statement(inbox), {"consumer": consumer, "ids": message_ids})
    return set(rows.scalars())


@functools.cache
def _claim_statement(inbox: Table) -> TextClause:
    # One statement, compiled once, whatever the number of messages.
    return text(f"INSERT INTO {inbox.name} (consumer, message_id) SELECT :consumer, unnest(CAST(:ids AS text[])) "
                "ON CONFLICT DO NOTHING RETURNING message_id")


@dataclass
class EventConsumer:
    """Routes one service queue's messages to typed handlers and applies each message once.

    Group commit: the messages that arrive while a transaction runs (up to the prefetch) go together into the next
    one, with one inbox insert and one commit; each is acked only once its transaction committed. One message alone
    goes alone, at once. When a transaction of several fails for a reason other than the database going away, each
    of its messages is tried again alone, so one bad message never holds back the others."""

    consumer: str
    engine: AsyncEngine
    inbox: Table
    handlers: dict[str, tuple[type[Event], Handler]]
    public_handlers: dict[str, tuple[type[Event], Handler]] = field(default_factory=dict)
    catch_all: CatchAll | None = None
    on_consumed: Callable[[str, str], None] = field(default=lambda event_type, outcome: None)
    batch_limit: int = BATCH_LIMIT
    _waiting: list[_Waiting] = field(default_factory=list, init=False, repr=False)
    _committer: asyncio.Task | None = field(default=None, init=False, repr=False)

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
            work = self._work(envelope, message.body)
            if work is not None:
                await self._apply(envelope, work, int(headers.get("x-delivery-count", 0) or 0))
        finally:
            structlog.contextvars.unbind_contextvars("event_id", "correlation_id", "event_type")

    def _work(self, envelope: Envelope, body: bytes) -> Work | None:
        """What this message asks for (None: nothing); rejects it (to the dead letters) when it is malformed."""
        table = self.public_handlers if envelope.exchange == PUBLIC_EXCHANGE else self.handlers
        entry = table.get(envelope.event_type)
        if entry is None and self.catch_all is None:
            self.on_consumed(envelope.event_type, "ignored")
            return None
        try:
            if not envelope.message_id:
                raise ValueError("message without message_id")
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("payload is not a JSON object")
            effects = ()
            if entry is not None:
                model, handler = entry
                event = model.model_validate(payload)
                effects = (lambda conn: handler(conn, event),)
            return Work(effects, payload if self.catch_all is not None else None)
        except (ValidationError, ValueError) as error:
            self.on_consumed(envelope.event_type, "dead_lettered")
            log.error("consumer.malformed", error=str(error)[:500])
            raise RejectMessage() from error

    async def _apply(self, envelope: Envelope, work: Work, attempt: int) -> None:
        try:
            fresh = await self._in_turn(envelope, work)
        except Exception as error:
            # Transient (database down, deadlock...): wait before the nack so redeliveries back off.
            self.on_consumed(envelope.event_type, "retried")
            log.warning("consumer.retry", error=repr(error)[:500], attempt=attempt)
            await asyncio.sleep(min(MAX_RETRY_DELAY, 0.5 * 2 ** attempt))
            raise
        if not fresh:
            self.on_consumed(envelope.event_type, "duplicate")
            log.info("consumer.duplicate_skipped")
            return
        self.on_consumed(envelope.event_type, "applied")
        log.info("consumer.applied")

    async def _in_turn(self, envelope: Envelope, work: Work) -> bool:
        """Wait for the transaction this message goes in; True when it was applied, False when it already was."""
        waiting = _Waiting(envelope, work, contextvars.copy_context(), asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_waiting())
        return await waiting.fresh

    async def _commit_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:self.batch_limit], self._waiting[self.batch_limit:]
            try:
                _settle(batch, await self._commit(batch))
            except Exception as error:
                # With the database away, trying each message alone would only fail again, slowly.
                if len(batch) == 1 or unreachable(error) == "database":
                    _settle(batch, error=error)
                    continue
                log.warning("consumer.batch_failed", error=repr(error)[:500], messages=len(batch))
                for waiting in batch:
                    try:
                        _settle([waiting], await self._commit([waiting]))
                    except Exception as alone:
                        _settle([waiting], error=alone)

    async def _commit(self, batch: list[_Waiting]) -> list[bool]:
        """Apply a batch in one transaction: claim every message, run the fresh ones' handlers one after another,
        then hand the fresh ones to the catch-all."""
        async with self.engine.begin() as conn:
            claimed = await claim_all(conn, self.inbox, consumer=self.consumer,
                                      message_ids=[w.envelope.message_id for w in batch])
            outcomes = []
            for waiting in batch:
                fresh = waiting.envelope.message_id in claimed
                claimed.discard(waiting.envelope.message_id)  # a second copy in the same batch is a duplicate
                outcomes.append(fresh)
                for effect in waiting.work.effects if fresh else ():
                    # In the message's own context: its log fields, and what its consumer set for it.
                    await asyncio.create_task(effect(conn), context=waiting.context.copy())
            kept = [(w.envelope, w.work.kept) for w, fresh in zip(batch, outcomes, strict=True)
                    if fresh and w.work.kept is not None]
            if kept and self.catch_all is not None:
                await self.catch_all(conn, kept)
        return outcomes


def _settle(batch: list[_Waiting], outcomes: list[bool] | None = None, *, error: Exception | None = None) -> None:
    """Tell each waiting handler how its message went (unless it stopped waiting: shutdown)."""
    for i, waiting in enumerate(batch):
        if waiting.fresh.done():
            continue
        if error is not None:
            waiting.fresh.set_exception(error)
        else:
            waiting.fresh.set_result(outcomes[i])


def subscribe(broker: RabbitBroker, queue_name: str, consumer: EventConsumer):
    """Attach the consumer to its (already declared) quorum queue; returns the FastStream subscriber."""
    async def on_message(_body: bytes) -> None:
        await consumer.handle(broker.context.get_local("message"))  # the message in hand (no injection: make_broker)

    return broker.subscriber(RabbitQueue(queue_name, declare=False), no_reply=True, decoder=_raw_body)(on_message)


async def _raw_body(message: RabbitMessage) -> bytes:
    """The body as it came: the consumer parses it once (FastStream would parse JSON for a handler that wants it)."""
    return message.body
