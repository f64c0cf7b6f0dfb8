"""An external municipal system: a read-only RabbitMQ user on the public exchange, catching up from the ledger."""

import asyncio
import uuid

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused

from shared.contracts.submissions import PublicWorkReceived, WorkReceived
from shared.messaging.topology import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE
from tests.support.bus import publish_event
from tests.support.external import external_user
from tests.support.servers import Servers
from tests.support.system import System

PERSONAL = ("name", "national_id", "mobile", "email", "tracking_code")


@pytest.fixture
def external_url(servers: Servers, system: System) -> str:
    """AMQP URL of a read-only external user: own `ext.*` queues, read on hami.public only."""
    if not servers.local_broker:
        pytest.fail("this test creates a RabbitMQ user with rabbitmqctl; use a local broker")
    with external_user(system.amqp_url) as url:
        yield url


async def _receive_public(external_url: str, amqp_url: str) -> list[aio_pika.IncomingMessage]:
    connection = await aio_pika.connect(external_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(f"ext.test.{uuid.uuid4().hex[:6]}", exclusive=True)
        await queue.bind(await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False), routing_key="submissions.#")
        work = uuid.uuid4()
        await publish_event(amqp_url, WorkReceived(
            work_id=work, tracking_code="1234-5678-9012", district=7, neighbourhood="نظام آباد", category="welfare",
            title="اثر", submitter_name="علی", submitter_national_id="0499370899", submitter_mobile="09121234567"))
        await publish_event(amqp_url, PublicWorkReceived(work_id=work, district=7, neighbourhood="نظام آباد",
                                                         category="welfare"))
        for _ in range(100):
            message = await queue.get(fail=False)
            if message:
                await message.ack()
                break
            await asyncio.sleep(0.1)
        extra = await queue.get(fail=False)
        return [m for m in (message, extra) if m]


def test_an_external_system_receives_public_events_only_without_personal_data(external_url: str,
                                                                                system: System) -> None:
    messages = asyncio.run(_receive_public(external_url, system.amqp_url))

    assert len(messages) == 1  # the public copy, never the internal one
    body = messages[0].body.decode()
    assert messages[0].type == "submissions.work.received" and messages[0].message_id
    assert not any(word in body for word in PERSONAL) and "علی" not in body


def test_an_external_system_cannot_read_internal_events_or_publish(external_url: str) -> None:
    async def try_internal() -> None:
        connection = await aio_pika.connect(external_url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(f"ext.snoop.{uuid.uuid4().hex[:6]}", exclusive=True)
            await queue.bind(INTERNAL_EXCHANGE, routing_key="#")

    async def try_publish() -> None:
        connection = await aio_pika.connect(external_url)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False)
            await exchange.publish(aio_pika.Message(b"{}"), routing_key="evaluation.results.published.city")

    with pytest.raises(ChannelAccessRefused):
        asyncio.run(try_internal())
    with pytest.raises(ChannelAccessRefused):
        asyncio.run(try_publish())
