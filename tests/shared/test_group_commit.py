"""Group commit in the consumers: the messages that wait together are applied in one transaction each batch, once
each; one failing message holds back no other. Real RabbitMQ, real PostgreSQL, the real EventConsumer."""

import json
import uuid
from collections import Counter

import aio_pika
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.tables import inbox
from shared.contracts.submissions import WorkReceived
from shared.messaging.broker import make_broker
from shared.messaging.inbox import Envelope, EventConsumer, subscribe
from tests.support.scratch_db import scratch_database
from tests.support.servers import Servers
from tests.support.waiting import wait_for_async

MESSAGES = 200


def received(number: int) -> WorkReceived:
    """A work-received event, numbered in its title."""
    return WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=7, neighbourhood="نظام آباد",
                        category="welfare", title=f"اثر {number}", submitter_name="علی رضایی",
                        submitter_national_id="0499370899", submitter_mobile="09121234567")


async def publish_all(amqp_url: str, queue: str, events: list[WorkReceived], duplicate_of: WorkReceived) -> None:
    """The events, then one of them again under the same message id, straight into the queue."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True)
        for event in [*events, duplicate_of]:
            await channel.default_exchange.publish(aio_pika.Message(
                json.dumps(event.model_dump(mode="json")).encode(), message_id=str(event.event_id),
                type=WorkReceived.event_type(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue)


async def test_a_burst_is_applied_once_each_in_few_transactions_in_order_and_a_failure_holds_back_no_other(
        servers: Servers, amqp_url: str) -> None:
    events = [received(i) for i in range(MESSAGES)]
    failing = events[MESSAGES // 2].event_id
    failures_left = [2]  # in its batch, then alone: then it goes back to the queue
    outcomes: Counter = Counter()
    kept: list[str] = []

    async def on_received(conn: AsyncConnection, event: WorkReceived) -> None:
        await conn.execute(text("INSERT INTO applied (message_id, txid) VALUES (:id, txid_current())"),
                           {"id": str(event.event_id)})
        if event.event_id == failing and failures_left[0]:
            failures_left[0] -= 1
            raise RuntimeError("this message fails twice, first inside the transaction it shares with others")

    async def keep(conn: AsyncConnection, batch: list[tuple[Envelope, dict]]) -> None:
        kept.extend(payload["title"] for _, payload in batch)

    queue = f"test.group-commit.{uuid.uuid4().hex[:8]}"
    await publish_all(amqp_url, queue, events, duplicate_of=events[3])
    async with scratch_database(servers, "registry") as engine:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE applied (message_id text PRIMARY KEY, txid bigint NOT NULL)"))
        consumer = EventConsumer(
            "test", engine, inbox, {WorkReceived.event_type(): (WorkReceived, on_received)}, catch_all=keep,
            on_consumed=lambda event_type, outcome: outcomes.update([outcome]))
        broker = make_broker(amqp_url, service="test", prefetch=50)
        subscribe(broker, queue, consumer)
        await broker.start()
        try:
            await wait_for_async(lambda: _settled(outcomes), timeout=60)
        finally:
            await broker.stop()
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT message_id, txid FROM applied"))).all()

    assert outcomes == {"applied": MESSAGES, "duplicate": 1, "retried": 1}
    assert sorted(r.message_id for r in rows) == sorted(str(e.event_id) for e in events)  # once each
    transactions = Counter(r.txid for r in rows)
    assert len(transactions) <= MESSAGES // 5, f"{len(transactions)} transactions for {MESSAGES} messages"
    assert max(transactions.values()) <= 50  # never more than the prefetch at once
    # The catch-all saw every message once, the failing one last: only its commit waited for its redelivery.
    assert sorted(kept) == sorted(e.title for e in events)
    assert kept[-1] == events[MESSAGES // 2].title


def _settled(outcomes: Counter) -> bool:
    return outcomes["applied"] >= MESSAGES and outcomes["duplicate"] >= 1
