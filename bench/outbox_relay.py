"""Benchmark: the outbox relay alone, next to raw aio-pika publishing measured in the same run.

Seeds a scratch database (evaluation's own migrations) with N events in its outbox, as a round's close writes them,
then times, on a private vhost whose one queue takes every internal event:
  relay     shared.messaging.outbox.OutboxRelay draining the outbox: claim a batch (FOR UPDATE SKIP LOCKED),
            publish each event persistent and mandatory with publisher confirms, mark the batch sent, commit;
  baseline  aio-pika publishing the same bodies to the same exchange, persistent and mandatory, with publisher
            confirms awaited a batch (the relay's batch size) at a time; no database.
Both are measured until the last confirm (and the relay until its last batch is marked sent); the queue is purged
between runs. Usage: .venv/bin/python bench/outbox_relay.py [--events 20000] [--runs 3]
Needs RabbitMQ with rabbitmqctl and PostgreSQL: HAMI_TEST_AMQP_URL and HAMI_TEST_DATABASE_URL, or the local defaults.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch import drop_database, rates_report, scratch_database  # noqa: E402
from services.evaluation import db  # noqa: E402
from shared.contracts.evaluation import WorkEvaluated  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.messaging.broker import make_broker  # noqa: E402
from shared.messaging.outbox import OutboxRelay, add_events  # noqa: E402
from shared.messaging.topology import INTERNAL_EXCHANGE, declare_topology  # noqa: E402
from shared.migrate import migrate  # noqa: E402

AMQP = os.environ.get("HAMI_TEST_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672/"
DATABASE = os.environ.get("HAMI_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
SINK = "bench.sink"
BATCH = 200  # the relay's default batch


def events(count: int) -> list[WorkEvaluated]:
    """What a round's close queues: one evaluation per work."""
    round_id = uuid.uuid4()
    return [WorkEvaluated(round_id=round_id, tier=1, category="welfare", work_id=uuid.uuid4(), district=1 + i % 22,
                          rank=i + 1, score=0.5) for i in range(count)]


async def seed(engine, count: int) -> list[WorkEvaluated]:
    """N unsent events in the outbox."""
    queued = events(count)
    async with engine.begin() as conn:
        await add_events(conn, db.outbox, queued, correlation_id="bench")
    return queued


async def time_relay(engine, amqp_url: str, count: int) -> float:
    """Seconds for the relay to publish and mark sent every queued event."""
    broker = make_broker(amqp_url, service="evaluation")
    await broker.connect()
    relay = OutboxRelay(engine, db.outbox, broker, batch_size=BATCH)
    try:
        started, sent = time.perf_counter(), 0
        while sent < count:
            sent += await relay.relay_once()
        return time.perf_counter() - started
    finally:
        await broker.stop()


async def time_baseline(amqp_url: str, queued: list[WorkEvaluated]) -> float:
    """Seconds for aio-pika to publish the same bodies with confirms, a batch awaited at a time."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.get_exchange(INTERNAL_EXCHANGE, ensure=False)
        bodies = [(event.model_dump_json().encode(), event.routing_key(), str(event.event_id)) for event in queued]
        started = time.perf_counter()
        for first in range(0, len(bodies), BATCH):
            await asyncio.gather(*(exchange.publish(
                aio_pika.Message(body, message_id=event_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                                 content_type="application/json"), routing_key=key, mandatory=True)
                for body, key, event_id in bodies[first:first + BATCH]))
        return time.perf_counter() - started
    finally:
        await connection.close()


async def prepare_vhost(amqp_url: str) -> None:
    """The topology, and one queue bound to every internal event (so each publish is routed and kept)."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        await declare_topology(channel)
        sink = await channel.declare_queue(SINK, durable=True, arguments={"x-queue-type": "quorum"})
        await sink.bind(INTERNAL_EXCHANGE, routing_key="#")
    finally:
        await connection.close()


async def purge(amqp_url: str) -> None:
    """Empty every queue of the vhost, so each run starts alike."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        for name in (SINK, "registry.events", "notifications.events", "submissions.events", "evaluation.events"):
            queue = await channel.declare_queue(name, passive=True)
            await queue.purge()
    finally:
        await connection.close()


async def run(args, amqp_url: str, database_url: str) -> list[tuple[float, float]]:
    """Each run: seed, relay, purge, baseline, purge."""
    await migrate("evaluation", database_url)
    await prepare_vhost(amqp_url)
    engine = make_engine(database_url)
    runs = []
    try:
        for _ in range(args.runs):
            queued = await seed(engine, args.events)
            relay = await time_relay(engine, amqp_url, args.events)
            await purge(amqp_url)
            baseline = await time_baseline(amqp_url, queued)
            await purge(amqp_url)
            runs.append((relay, baseline))
            async with engine.begin() as conn:
                await conn.execute(db.outbox.delete())
    finally:
        await engine.dispose()
    return runs


def main() -> None:
    """Run, report the medians and every run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    vhost = f"hami-bench-{uuid.uuid4().hex[:6]}"
    name, database_url = scratch_database(DATABASE)
    parts = urlsplit(AMQP)
    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(["rabbitmqctl", "set_permissions", "-p", vhost, parts.username or "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True)
    amqp_url = urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))
    try:
        runs = asyncio.run(run(args, amqp_url, database_url))
    finally:
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)
        asyncio.run(drop_database(DATABASE, name))
    print(f"publishing {args.events:,} events with confirms ({args.runs} runs; median events/s, then every run):")
    print(rates_report(args.events, runs, ("outbox relay", "baseline: aio-pika"), "relay"))



if __name__ == "__main__":
    main()
