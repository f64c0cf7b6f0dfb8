"""The outbox relay on the real database and broker: two replicas publish every row exactly once."""

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import aio_pika
import asyncpg
import pytest
from sqlalchemy import MetaData, func, select, update

from shared.contracts.submissions import PublicWorkReceived
from shared.db import copy_rows, ensure_database, make_engine, outbox_table
from shared.messaging.broker import make_broker
from shared.messaging.outbox import COPY_FROM, OutboxRelay, add_events
from shared.messaging.topology import PUBLIC_EXCHANGE, declare_topology_at
from tests.support.servers import Servers

ROWS = 600


@pytest.fixture
async def outbox_db(servers: Servers):
    """A scratch database holding just an outbox table."""
    url = servers.database(f"hami_outbox_test_{uuid.uuid4().hex[:8]}")
    await ensure_database(url)
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine, table
    await engine.dispose()
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    await connection.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await connection.close()


def work_received(number: int) -> PublicWorkReceived:
    """A public work-received event, its district taken from its number."""
    return PublicWorkReceived(work_id=uuid.uuid4(), district=1 + number % 22, neighbourhood="ونک", category="welfare")


async def received_works_probe(amqp_url: str) -> tuple[aio_pika.abc.AbstractConnection, aio_pika.abc.AbstractQueue]:
    """The topology, and a connection with a queue of its own that takes every public work-received event."""
    await declare_topology_at(amqp_url)
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    probe = await channel.declare_queue(exclusive=True)
    await probe.bind(await channel.get_exchange(PUBLIC_EXCHANGE), routing_key="submissions.work.received.#")
    return connection, probe


async def test_two_relays_publish_every_row_once_and_purge_old_ones(outbox_db, amqp_url: str) -> None:
    engine, table = outbox_db
    connection, probe = await received_works_probe(amqp_url)
    events = [work_received(i) for i in range(ROWS)]
    async with engine.begin() as conn:
        await add_events(conn, table, events)

    brokers = [make_broker(amqp_url, service=f"relay-test-{i}") for i in range(2)]
    relays = [OutboxRelay(engine, table, broker, batch_size=50, poll_interval=0.2) for broker in brokers]
    for broker in brokers:
        await broker.start()
    tasks = [asyncio.create_task(relay.run()) for relay in relays]
    received: list[str] = []
    bodies: dict[str, bytes] = {}
    async with probe.iterator() as messages:
        async for message in messages:
            await message.ack()
            received.append(message.message_id)
            bodies[message.message_id] = message.body
            if len(received) == ROWS:
                break
    await asyncio.sleep(0.5)  # anything sent twice would arrive now
    for relay in relays:
        relay.stop()
    await asyncio.gather(*tasks)
    extra = await probe.get(fail=False)
    for broker in brokers:
        await broker.stop()

    assert extra is None
    assert sorted(received) == sorted(str(e.event_id) for e in events)
    # Published as written: the very bytes of the event's JSON (the outbox keeps its text).
    assert all(bodies[str(e.event_id)] == e.model_dump_json().encode() for e in events)
    async with engine.begin() as conn:
        assert (await conn.execute(select(func.count()).where(table.c.sent_at.is_(None)))).scalar_one() == 0
        await conn.execute(update(table).where(table.c.id <= 100).values(sent_at=func.now() - timedelta(days=8)))
    assert await relays[0].purge_sent() == 100
    await connection.close()


async def test_rows_committed_while_a_batch_is_in_hand_are_relayed_at_once_not_at_the_next_poll(
        outbox_db, amqp_url: str) -> None:
    # A wake that arrives while the relay publishes a batch must not be lost: with a poll a minute apart, each row
    # written one after another (many landing mid-batch) is published within a second or two, not a minute.
    engine, table = outbox_db
    connection, probe = await received_works_probe(amqp_url)
    broker = make_broker(amqp_url, service="relay-wake-test")
    await broker.start()
    relay = OutboxRelay(engine, table, broker, poll_interval=60.0)
    task = asyncio.create_task(relay.run())
    try:
        slowest = 0.0
        async with probe.iterator() as messages:
            for i in range(40):
                event = work_received(i)
                started = asyncio.get_running_loop().time()
                async with engine.begin() as conn:
                    await add_events(conn, table, [event])
                message = await asyncio.wait_for(anext(messages), timeout=30)
                await message.ack()
                assert message.message_id == str(event.event_id)
                slowest = max(slowest, asyncio.get_running_loop().time() - started)
                await asyncio.sleep(0.001 * (i % 7))  # land at different moments of the relay's turn
        assert slowest < 5, f"a row waited {slowest:.1f} s: its wake-up was lost"
    finally:
        relay.stop()
        await task
        await broker.stop()
        await connection.close()


async def test_many_events_are_copied_and_few_inserted_alike_in_order_and_only_with_their_transaction(
        outbox_db) -> None:
    # A round's close queues thousands of events with COPY, a request a few with one INSERT: the rows must be the
    # same either way, in the events' order, and gone with a rolled-back transaction.
    engine, table = outbox_db
    few, many = [work_received(i) for i in range(3)], [work_received(i) for i in range(COPY_FROM + 50)]
    async with engine.begin() as conn:
        await add_events(conn, table, few, correlation_id="request", causation_id="cause")
        # A generator, as a round's close gives them: made while the first ones are stored.
        await add_events(conn, table, iter(many), correlation_id="close", causation_id="cause")
    with pytest.raises(LookupError):
        async with engine.begin() as conn:
            await add_events(conn, table, [work_received(i) for i in range(COPY_FROM)])
            raise LookupError("the change these events belonged to failed")
    async with engine.connect() as conn:  # a COPY as the first statement is still part of the transaction
        await copy_rows(conn, table.name, ["event_id", "event_type", "exchange", "routing_key", "payload",
                                           "occurred_at"], [(uuid.uuid4(), "t", "x", "k", "{}", datetime.now(UTC))])
        await conn.rollback()
    async with engine.connect() as conn:  # on its own, it would have committed
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        with pytest.raises(RuntimeError, match="transaction"):
            await copy_rows(autocommit, table.name, ["event_id"], [(uuid.uuid4(),)])
    async with engine.connect() as conn:
        rows = (await conn.execute(select(table).order_by(table.c.id))).mappings().all()
    expected = [(e, "request") for e in few] + [(e, "close") for e in many]
    assert [(r["event_id"], r["event_type"], r["exchange"], r["routing_key"], r["payload"], r["occurred_at"],
             r["correlation_id"], r["causation_id"]) for r in rows] == [
        (e.event_id, e.event_type(), PUBLIC_EXCHANGE, e.routing_key(), json.loads(e.model_dump_json()), e.occurred_at,
         correlation, "cause") for e, correlation in expected]


async def test_events_that_fail_while_they_are_copied_leave_nothing_and_the_connection_works(outbox_db) -> None:
    engine, table = outbox_db

    def made() -> Iterator[PublicWorkReceived]:
        for number in range(4_000):
            if number == 3_000:  # past the first chunk asyncpg sent (512 KB, some 1,500 rows)
                raise LookupError("an event could not be made")
            yield work_received(number)

    with pytest.raises(LookupError):
        async with engine.begin() as conn:
            await add_events(conn, table, made())

    async with engine.begin() as conn:
        await add_events(conn, table, [work_received(1)])
        assert (await conn.execute(select(func.count()).select_from(table))).scalar_one() == 1
