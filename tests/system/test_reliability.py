"""Breaking things on purpose: nothing accepted is lost, nothing is applied twice."""

import asyncio
import signal
import time
import uuid
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest

from shared.contracts.submissions import WorkReceived
from tests.support.bus import new_message_id, publish_event, publish_raw, queue_depth
from tests.support.evaluation import count, times_projected
from tests.support.servers import rabbitmqctl
from tests.support.submissions import WORK, neighbourhood_known, submit
from tests.support.system import System
from tests.support.waiting import wait_for


@pytest.fixture
def staff(system: System) -> str:
    """A district-7 staff token, once submissions knows district 7's neighbourhoods."""
    token = system.district_staff_token(7)
    wait_for(lambda: neighbourhood_known(system, 7, WORK["neighbourhood"]))
    return token






def delivered(system: System, tracking_code: str) -> int:
    """How many ledger rows notifications has for the work's receipt."""
    return count(system, "notifications", "SELECT count(*) FROM deliveries WHERE body LIKE '%' || $1 || '%'",
                 tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))


def metric(system: System, service: str, name: str, **labels: str) -> float:
    """A value from a service's /metrics."""
    wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else "")
    for line in httpx.get(f"{system.url(service)}/metrics").text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.split()[-1])
    return 0.0


def received_event(**overrides: object) -> WorkReceived:
    """A work-received event as submissions would publish it."""
    return WorkReceived(**{
        "work_id": uuid.uuid4(), "tracking_code": "1234-5678-9012", "district": 7, "neighbourhood": "نظام آباد",
        "category": "welfare", "title": "صندوق قرض‌الحسنه محله", "submitter_name": "علی رضایی",
        "submitter_national_id": "0499370899", "submitter_mobile": "09121234567", **overrides})


@asynccontextmanager
async def table_locked(system: System, service: str, table: str):
    """Hold an exclusive lock so the service's consumer blocks mid-message, before its ack."""
    connection = await asyncpg.connect(system.database(service, driver="postgresql"))
    transaction = connection.transaction()
    await transaction.start()
    await connection.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.rollback()
        await connection.close()


async def wait_until_blocked(system: System, service: str, timeout: float = 20.0) -> None:
    """Wait until one of the service's sessions waits on a lock (the consumer is mid-message)."""
    connection = await asyncpg.connect(system.database(service, driver="postgresql"))
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
                f"{system.prefix}{service}"):
                return
            await asyncio.sleep(0.1)
        pytest.fail(f"{service}'s consumer never blocked")
    finally:
        await connection.close()


def test_broker_stopped_while_works_are_submitted(system: System, staff: str) -> None:
    if not system.servers.local_broker:
        pytest.fail("this test stops the local broker with rabbitmqctl; point HAMI_TEST_AMQP_URL at it")
    rabbitmqctl("stop_app")
    try:
        responses = [submit(system, staff) for _ in range(10)]
    finally:
        rabbitmqctl("start_app")

    assert [r.status_code for r in responses] == [201] * 10
    works = [r.json() for r in responses]
    wait_for(lambda: all(times_projected(system, w["id"]) == 1 for w in works), timeout=90)
    wait_for(lambda: all(delivered(system, w["tracking_code"]) == 1 for w in works), timeout=90)
    for process in system.processes.values():  # consumers resumed by themselves
        process.wait_ready(timeout=60)


def test_the_same_message_twice_has_one_effect(system: System) -> None:
    event = received_event()
    duplicates_before = metric(system, "evaluation", "hami_events_consumed_total",
                               event_type="submissions.work.received", outcome="duplicate")

    asyncio.run(publish_event(system.amqp_url, event))
    asyncio.run(publish_event(system.amqp_url, event))

    wait_for(lambda: metric(system, "evaluation", "hami_events_consumed_total",
                            event_type="submissions.work.received", outcome="duplicate") == duplicates_before + 1)
    wait_for(lambda: delivered(system, event.tracking_code) >= 1)
    time.sleep(1)
    assert times_projected(system, str(event.work_id)) == 1
    assert count(system, "notifications", "SELECT count(*) FROM deliveries WHERE event_id = $1", event.event_id) == 1
    assert count(system, "evaluation", "SELECT count(*) FROM inbox WHERE message_id = $1", str(event.event_id)) == 1


def test_a_malformed_message_is_dead_lettered_and_the_consumer_keeps_working(system: System, staff: str) -> None:
    before = asyncio.run(queue_depth(system.amqp_url, "evaluation.dead-letter"))

    asyncio.run(publish_raw(system.amqp_url, routing_key="submissions.work.received.d07",
                            message_type="submissions.work.received", body=b'{"work_id": "not a uuid"',
                            message_id=new_message_id()))

    wait_for(lambda: asyncio.run(queue_depth(system.amqp_url, "evaluation.dead-letter")) == before + 1)
    work = submit(system, staff).json()
    wait_for(lambda: times_projected(system, work["id"]) == 1)
    assert metric(system, "evaluation", "hami_dead_letter_depth") == before + 1


def test_a_consumer_killed_before_its_ack_gets_the_message_again_and_applies_it_once(
        system: System, staff: str) -> None:
    async def scenario() -> dict:
        async with table_locked(system, "evaluation", "works"):
            work = submit(system, staff).json()
            await wait_until_blocked(system, "evaluation")
            system.processes["evaluation"].stop(signal.SIGKILL)
        return work

    work = asyncio.run(scenario())
    assert times_projected(system, work["id"]) == 0
    system.restart("evaluation")
    wait_for(lambda: times_projected(system, work["id"]) == 1)
    time.sleep(1)
    assert times_projected(system, work["id"]) == 1


def test_sigterm_during_work_finishes_in_flight_messages(system: System, staff: str) -> None:
    process = system.processes["evaluation"]

    async def scenario() -> dict:
        async with table_locked(system, "evaluation", "works"):
            work = submit(system, staff).json()
            await wait_until_blocked(system, "evaluation")
            process.process.send_signal(signal.SIGTERM)
            await asyncio.sleep(1.0)  # the handler is still waiting on the lock when the lock goes
        return work

    work = asyncio.run(scenario())
    # uvicorn re-raises the signal after its graceful shutdown, so -SIGTERM is a clean exit here.
    assert process.process.wait(timeout=30) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in process.log_tail(200)
    assert times_projected(system, work["id"]) == 1  # finished before exiting, not left for redelivery
    system.restart("evaluation")
    more = submit(system, staff).json()
    wait_for(lambda: times_projected(system, more["id"]) == 1)
    assert times_projected(system, work["id"]) == 1
