"""Benchmark: a decision relayed to the 22 districts until every district's message is recorded, idle and while
works arrive at a steady rate, next to a baseline in the same run.

Starts the four services (as the tests and the soak do) on a private vhost and private databases and puts a staff
member in each district's secretariat. For each of N decisions the council's chair issues it to every district;
the clock starts when the central secretariat's relay request is sent and stops when notifications' delivery
ledger holds the 22 districts' inbox messages, seen from outside (polled every 10 ms). The relay makes 22
DecisionRelayed events in registry's outbox; each crosses RabbitMQ to notifications, which renders and records the
district's message. First idle, then with works submitted at --rate a second (the soak's load).

Baseline, in the same run and under the same conditions: 22 messages published with aio-pika (persistent,
publisher confirms) to a queue whose aio-pika consumer inserts each into a PostgreSQL table, from the first
publish until the 22nd row is committed.

Usage: .venv/bin/python -m bench.fanout [--decisions 20] [--rate 25] [--json results.json]
Needs RabbitMQ with rabbitmqctl and PostgreSQL (HAMI_TEST_AMQP_URL and HAMI_TEST_DATABASE_URL, or the local
defaults). Everything it created is removed at the end.
"""

import argparse
import asyncio
import json
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aio_pika
import asyncpg
import httpx

from bench.chaos.load import Load
from bench.chaos.soak import prepare
from tests.support.servers import Servers, private_vhost, provide_servers
from tests.support.system import System, bearer, drop_databases, start_system
from tests.support.waiting import wait_for

DISTRICTS = range(1, 23)
POLL_SECONDS = 0.01
RECORDED = ("SELECT count(*) FROM deliveries WHERE event_type = 'registry.decision.relayed' AND channel = 'inbox' "
            "AND subject LIKE '%' || $1 || '%'")


def persian(number: int) -> str:
    """The number in Persian digits, as the messages show it."""
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def decision_body(marker: str) -> dict:
    """A notice to every district, informing them; its title carries a marker found again in the messages."""
    return {"title": f"ابلاغیهٔ آزمون پخش {marker}", "text": "این ابلاغیه در آزمون سرعت پخش صادر شد.",
            "issuing_body": "policy-council", "kind": "notice", "all_districts": True,
            "requires_acknowledgement": False,
            "ack_deadline_at": (datetime.now(UTC) + timedelta(days=30)).isoformat()}


async def relayed_once(system: System, tokens: dict, client: httpx.AsyncClient, notifications
                       ) -> tuple[float, float]:
    """Issue one decision, relay it, and wait until the 22 districts' messages are recorded; seconds from the
    relay request to its answer, and to the messages recorded."""
    marker = persian(secrets.randbelow(10 ** 9))
    registry = system.url("registry")
    issued = await client.post(f"{registry}/decisions", json=decision_body(marker), headers=bearer(tokens["chair"]))
    issued.raise_for_status()
    started = time.perf_counter()
    relay = await client.post(f"{registry}/decisions/{issued.json()['id']}/relay", json={"notes": {}},
                              headers=bearer(tokens["central"]))
    relay.raise_for_status()
    answered, deadline = time.perf_counter() - started, started + 30
    while await notifications.fetchval(RECORDED, marker) < len(DISTRICTS):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the 22 districts' messages of decision {marker} were not all recorded in 30 s")
        await asyncio.sleep(POLL_SECONDS)
    return answered, time.perf_counter() - started


async def measure_system(system: System, tokens: dict, count: int) -> list[tuple[float, float]]:
    """(relay answered, messages recorded) in seconds per decision, one decision after another."""
    notifications = await asyncpg.connect(system.database("notifications", driver="postgresql"))
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            return [await relayed_once(system, tokens, client, notifications) for _ in range(count)]
    finally:
        await notifications.close()


async def measure_baseline(amqp_url: str, database_url: str, count: int) -> list[float]:
    """Seconds for 22 messages from the first publish until the last one's row is committed, `count` times."""
    table = f"bench_fanout_{secrets.token_hex(4)}"
    database = await asyncpg.create_pool(database_url, min_size=4, max_size=10)
    connection = await aio_pika.connect_robust(amqp_url)
    try:
        await database.execute(f"CREATE TABLE {table} (message_id text PRIMARY KEY, district int NOT NULL)")
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        queue = await channel.declare_queue(exclusive=True)
        done: asyncio.Queue = asyncio.Queue()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                body = json.loads(message.body)
                await database.execute(f"INSERT INTO {table} VALUES ($1, $2)", message.message_id,
                                       body["district"])
                done.put_nowait(message.message_id)

        await queue.consume(on_message)
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            await asyncio.gather(*(channel.default_exchange.publish(aio_pika.Message(
                json.dumps({"district": district}).encode(), message_id=secrets.token_hex(8),
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue.name) for district in DISTRICTS))
            for _ in DISTRICTS:
                await done.get()
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        await connection.close()
        await database.execute(f"DROP TABLE IF EXISTS {table}")
        await database.close()


def percentiles(timings: list[float]) -> dict:
    """p50, p99 (the worst, at 20 samples) and mean, in milliseconds."""
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p99_ms": round(p99 * 1000, 1),
            "mean_ms": round(statistics.mean(ordered) * 1000, 1), "samples": len(ordered)}


def phase(system: System, servers: Servers, tokens: dict, args, rate: float) -> dict:
    """The system's and the baseline's figures, with works arriving at `rate` a second (0: idle)."""
    load = Load({s: system.url(s) for s in ("registry", "submissions")}, tokens, rate=rate,
                decision_every=10 ** 9) if rate else None
    if load:
        load.start()
        time.sleep(3)  # the load settles
    try:
        hami = asyncio.run(measure_system(system, tokens, args.decisions))
        baseline = asyncio.run(measure_baseline(system.amqp_url, servers.database("postgres", driver="postgresql"),
                                                args.decisions))
    finally:
        if load:
            load.stop()
    accepted = sum(1 for r in load.requests if r.kind == "work" and r.outcome == "accepted") if load else 0
    return {"rate": rate, "works_accepted": accepted, "hami": percentiles([recorded for _, recorded in hami]),
            "relay_answered": percentiles([answered for answered, _ in hami]), "baseline": percentiles(baseline)}


def report(phases: list[dict]) -> str:
    """A Markdown table: each phase, the system against the baseline."""
    lines = ["| works arriving | relay → 22 districts' messages recorded: p50 / p99 (ms) | the relay request answered: "
             "p50 / p99 (ms) | baseline p50 / p99 (ms) |", "|---|---|---|---|"]
    for found in phases:
        load = f"{found['rate']:g}/s ({found['works_accepted']} accepted)" if found["rate"] else "none (idle)"
        hami, answered, base = found["hami"], found["relay_answered"], found["baseline"]
        lines.append(f"| {load} | {hami['p50_ms']:,.0f} / {hami['p99_ms']:,.0f} | "
                     f"{answered['p50_ms']:,.0f} / {answered['p99_ms']:,.0f} | "
                     f"{base['p50_ms']:,.0f} / {base['p99_ms']:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    """Start the system, prepare the districts, measure idle then under intake, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=20)
    parser.add_argument("--rate", type=float, default=25.0, help="works a second during the loaded phase")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with provide_servers() as servers, private_vhost(servers) as amqp_url, tempfile.TemporaryDirectory() as logs:
        system = start_system(servers, amqp_url, Path(logs))
        try:
            tokens = prepare(system)
            for district in DISTRICTS:
                system.district_staff_token(district)
            wait_for_members(system)
            asyncio.run(measure_system(system, tokens, 2))  # warm-up: first templates, first connections
            phases = [phase(system, servers, tokens, args, 0), phase(system, servers, tokens, args, args.rate)]
        finally:
            system.stop()
            asyncio.run(drop_databases(servers, system.prefix))
    print(f"a decision relayed to the 22 districts, {args.decisions} decisions one after another:")
    print(report(phases))
    if args.json:
        args.json.write_text(json.dumps(phases, indent=2))


def wait_for_members(system: System) -> None:
    """Until notifications knows a staff member in every district's secretariat."""
    wait_for(lambda: asyncio.run(system.fetchval(
        "notifications", "SELECT count(DISTINCT district) FROM memberships WHERE active")) >= len(DISTRICTS))


if __name__ == "__main__":
    main()
