"""Transactional outbox: write events with the state change, relay them to RabbitMQ with confirms."""

import asyncio
import json
import random
import time
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from itertools import chain, islice

import structlog
from faststream.rabbit import RabbitBroker
from sqlalchemy import BigInteger, DateTime, Select, Table, Text, bindparam, cast, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import TextClause

from shared.contracts.base import Event
from shared.db import Listener, copy_rows
from shared.messaging.broker import exchange_for, publish
from shared.messaging.topology import PUBLIC_EXCHANGE

NOTIFY_CHANNEL = "hami_outbox"
# Sent rows are kept a while for inspection, then purged so the table stays small.
KEEP_SENT = timedelta(days=7)
PURGE_EVERY_SECONDS = 3600.0
# From this many events (a round's close queues 20,000) COPY is cheaper than an INSERT; below, its extra round trip
# is not.
COPY_FROM = 200
COPIED = ["event_id", "event_type", "exchange", "routing_key", "payload", "occurred_at", "correlation_id",
          "causation_id"]
log = structlog.get_logger("outbox")


async def add_events(
    conn: AsyncConnection,
    outbox: Table,
    events: Iterable[Event],
    *,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> None:
    """Queue events for publishing inside the caller's transaction, and wake the relay on commit. Many events may
    come as a generator: they are made while PostgreSQL stores the ones before (COPY takes them as they come)."""
    events = iter(events)
    first = list(islice(events, COPY_FROM))
    if not first:
        return
    if len(first) == COPY_FROM:
        await copy_rows(conn, outbox.name, COPIED, (
            (event.event_id, event.event_type(), exchange_for(event.public), event.routing_key(),
             event.model_dump_json(), event.occurred_at, correlation_id, causation_id)
            for event in chain(first, events)))
        await conn.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
    else:  # one statement however many, the relay's wake-up in it: arrays unnested in the events' order
        ids, types = [event.event_id for event in first], [event.event_type() for event in first]
        exchanges, keys = [exchange_for(event.public) for event in first], [event.routing_key() for event in first]
        payloads, occurred = [event.model_dump_json() for event in first], [event.occurred_at for event in first]
        await conn.execute(_insert_statement(outbox.name), {
            "event_ids": ids, "event_types": types, "exchanges": exchanges, "routing_keys": keys,
            "payloads": payloads, "occurred": occurred, "correlation_id": correlation_id,
            "causation_id": causation_id})


@cache
def _insert_statement(table: str) -> TextClause:
    # pg_notify in the same statement: like NOTIFY it is sent on commit, and it saves a round trip per transaction.
    return text(
        f"WITH queued AS (INSERT INTO {table} (event_id, event_type, exchange, routing_key, payload, correlation_id, "
        "causation_id, occurred_at) SELECT e, t, x, k, p::json, :correlation_id, :causation_id, o FROM unnest("
        ":event_ids, :event_types, :exchanges, :routing_keys, :payloads, :occurred) WITH ORDINALITY AS "
        f"u(e, t, x, k, p, o, n) ORDER BY n) SELECT pg_notify('{NOTIFY_CHANNEL}', '')"
    ).bindparams(
        bindparam("event_ids", type_=ARRAY(PG_UUID(as_uuid=True))), bindparam("event_types", type_=ARRAY(Text)),
        bindparam("exchanges", type_=ARRAY(Text)), bindparam("routing_keys", type_=ARRAY(Text)),
        bindparam("payloads", type_=ARRAY(Text)), bindparam("occurred", type_=ARRAY(DateTime(timezone=True))),
        bindparam("correlation_id", type_=Text), bindparam("causation_id", type_=Text))


async def backlog(conn: AsyncConnection, outbox: Table) -> tuple[int, float]:
    """Unsent events and the age in seconds of the oldest one."""
    row = (await conn.execute(
        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.sent_at.is_(None))
    )).one()
    age = 0.0
    if row[1] is not None:
        now = (await conn.execute(select(func.now()))).scalar_one()
        age = (now - row[1]).total_seconds()
    return row[0], age


class OutboxRelay:
    """Claims unsent rows with SKIP LOCKED, publishes them with confirms, marks them sent after the confirm."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        broker: RabbitBroker,
        *,
        batch_size: int = 200,
        poll_interval: float = 2.0,
        max_backoff: float = 30.0,
        on_published=None,
    ) -> None:
        self._engine, self._outbox, self._broker = engine, outbox, broker
        self._batch_size, self._poll_interval, self._max_backoff = batch_size, poll_interval, max_backoff
        self._on_published = on_published or (lambda count: None)
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._listener = Listener(engine, NOTIFY_CHANNEL, self._wake)
        self.heartbeat = time.monotonic()

    def alive(self, within: float = 60.0) -> bool:
        """True while the relay loop has turned recently."""
        return time.monotonic() - self.heartbeat < within

    def stop(self) -> None:
        """Ask the loop to finish after the batch in hand."""
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Relay until stopped, backing off exponentially while the broker or database is down."""
        failures, purged_at = 0, float("-inf")
        while not self._stopping.is_set():
            self.heartbeat = time.monotonic()
            await self._listener.ensure()
            # Cleared before the batch, not before the wait: a row committed while this batch is in hand wakes the
            # wait below at once (clearing there lost such wakes, and the row waited for the next poll).
            self._wake.clear()
            try:
                if self.heartbeat - purged_at > PURGE_EVERY_SECONDS:
                    await self.purge_sent()
                    purged_at = self.heartbeat
                sent = await self.relay_once()
                failures = 0
            except Exception as error:  # broker or database down: keep the rows, try later
                failures += 1
                delay = min(self._max_backoff, 0.5 * 2 ** min(failures, 10)) * random.uniform(0.5, 1.0)
                log.warning("outbox.relay_failed", error=repr(error), retry_in=round(delay, 2))
                self._wake.clear()  # back off; only a row committed from now on cuts it short
                await self._sleep(delay)
                continue
            if sent < self._batch_size:
                await self._sleep(self._poll_interval)
        await self._listener.close()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many were confirmed. Raises if any publish failed."""
        outbox = self._outbox
        async with self._engine.begin() as conn:
            rows = (await conn.execute(_claim(outbox, self._batch_size))).mappings().all()
            if not rows:
                return 0
            results = await asyncio.gather(*(self._publish(row) for row in rows), return_exceptions=True)
            sent = [row["id"] for row, result in zip(rows, results, strict=True) if result is None]
            failed = [(row["id"], result) for row, result in zip(rows, results, strict=True) if result is not None]
            if sent:
                await conn.execute(_mark_sent(outbox.name), {"ids": sent})
            for row_id, error in failed:
                await conn.execute(update(outbox).where(outbox.c.id == row_id).values(
                    attempts=outbox.c.attempts + 1, last_error=repr(error)[:500]))
        self._on_published(len(sent))
        if failed:
            raise failed[0][1]
        return len(sent)

    async def purge_sent(self, older_than: timedelta = KEEP_SENT) -> int:
        """Delete rows confirmed longer ago than `older_than`; returns how many."""
        outbox = self._outbox
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(outbox).where(
                outbox.c.sent_at.is_not(None), outbox.c.sent_at < func.now() - older_than))
        return result.rowcount

    async def _publish(self, row) -> None:
        public = row["exchange"] == PUBLIC_EXCHANGE
        await publish(
            self._broker,
            body=row["payload"].encode(),
            exchange=row["exchange"],
            routing_key=row["routing_key"],
            event_id=str(row["event_id"]),
            event_type=row["event_type"],
            occurred_at=row["occurred_at"],
            correlation_id=row["correlation_id"],
            causation_id=row["causation_id"],
            # Only public events carry it (CloudEvents): the payload is parsed for those alone.
            schema_version=json.loads(row["payload"]).get("schema_version", 1) if public else 1,
        )

    async def _sleep(self, seconds: float) -> None:
        """Wait `seconds`, or until woken (a new row, or stop)."""
        if self._stopping.is_set():
            return
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass


@cache
def _claim(outbox: Table, batch_size: int) -> Select:
    """The oldest unsent rows, locked for this relay (others skip them), the payload as the JSON text PostgreSQL
    keeps: it is published as it is, never parsed and written again."""
    columns = [column for column in outbox.c if column.name != "payload"]
    return (select(*columns, cast(outbox.c.payload, Text).label("payload")).where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.id).limit(batch_size).with_for_update(skip_locked=True))


@cache
def _mark_sent(table: str) -> TextClause:
    """A batch marked sent: one array parameter, not an IN list of 200 expanded and compiled per batch."""
    return text(f"UPDATE {table} SET sent_at = now() WHERE id = ANY(:ids)").bindparams(
        bindparam("ids", type_=ARRAY(BigInteger)))
