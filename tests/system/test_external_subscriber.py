"""An external municipal system: a read-only RabbitMQ user on the public exchange, catching up from the ledger;
what it receives is a CloudEvent in the AMQP binding's binary mode."""

import asyncio
import json
import re
import uuid
from urllib.parse import urlsplit

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused
from cloudevents.core.bindings import amqp, rabbitmq

from ops import bus
from shared.contracts.cloudevents import amqp_headers, envelope
from shared.contracts.submissions import PublicWorkReceived, WorkReceived
from shared.messaging.topology import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE
from tests.support.bus import publish_event
from tests.support.submissions import submit, wait_for_neighbourhoods, work_body
from tests.support.system import System

PERSONAL = ("name", "national_id", "mobile", "email", "tracking_code")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


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


async def _receive_submitted(external_url: str, system: System) -> tuple[dict, aio_pika.IncomingMessage]:
    """A work submitted over HTTP, and the public message about it that reached the external system's queue."""
    connection = await aio_pika.connect(external_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(f"ext.ce.{uuid.uuid4().hex[:6]}", exclusive=True)
        await queue.bind(await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False),
                         routing_key="submissions.work.received.d07")
        response = await asyncio.to_thread(submit, system, system.district_staff_token(7), work_body(7))
        assert response.status_code == 201, response.text
        work = response.json()
        for _ in range(200):
            message = await queue.get(fail=False)
            if message and json.loads(message.body)["work_id"] == work["id"]:
                await message.ack()
                return work, message
            await asyncio.sleep(0.1)
        pytest.fail("the public event of the submitted work never arrived")


def test_a_public_event_is_a_cloudevent_in_the_amqp_binding(external_url: str, system: System) -> None:
    wait_for_neighbourhoods(system)
    work, message = asyncio.run(_receive_submitted(external_url, system))

    headers = {name: value for name, value in message.headers.items() if isinstance(value, str)}
    # The CloudEvents SDK reads it through the AMQP binding (cloudEvents_*) and Knative's RabbitMQ binding (ce-*).
    event = amqp.from_binary_event(amqp.AMQPMessage(properties={"content-type": message.content_type},
                                                    application_properties=headers, application_data=message.body))
    same = rabbitmq.from_binary_event(rabbitmq.RabbitMQMessage(headers=headers, content_type=message.content_type,
                                                               body=message.body))
    assert event.get_attributes() == same.get_attributes()
    payload = json.loads(message.body)
    assert event.get_data() == payload and payload["work_id"] == work["id"]
    # What the spec asks of each attribute, beyond what the SDK checks.
    assert event.get_specversion() == "1.0" and event.get_datacontenttype() == "application/json"
    assert event.get_id() == payload["event_id"] == message.message_id
    assert event.get_type() == "submissions.work.received" == message.type
    assert event.get_source() == "/hami/submissions" and URI_REFERENCE.fullmatch(event.get_source())
    assert RFC3339.fullmatch(headers["cloudEvents_time"]) and headers["cloudEvents_time"] == headers["ce-time"]
    assert event.get_time().isoformat() == payload["occurred_at"].replace("Z", "+00:00")
    schema = urlsplit(event.get_dataschema())
    assert (schema.scheme, schema.netloc, schema.path) == (
        "https", "hami.tehran.ir", f"/events/schemas/submissions.work.received/v{payload['schema_version']}.json")
    assert not any(name.startswith("cloudEvents:") for name in message.headers)  # one separator per message
    # The AMQP properties the platform always set are still there.
    assert message.correlation_id and message.app_id == "submissions" and message.delivery_mode == 2


def test_internal_events_carry_no_cloudevents_headers(system: System) -> None:
    async def one_internal() -> aio_pika.IncomingMessage:
        connection = await aio_pika.connect(system.amqp_url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(exclusive=True)
            await queue.bind(await channel.get_exchange(INTERNAL_EXCHANGE, ensure=False),
                             routing_key="submissions.work.received.d07")
            response = await asyncio.to_thread(submit, system, system.district_staff_token(7), work_body(7))
            assert response.status_code == 201, response.text
            for _ in range(200):
                if message := await queue.get(fail=False):
                    return message
                await asyncio.sleep(0.1)
            pytest.fail("no internal event arrived")

    wait_for_neighbourhoods(system)
    message = asyncio.run(one_internal())
    assert message.type == "submissions.work.received" and message.message_id
    assert not any(name.lower().startswith(("cloudevents", "ce-")) for name in message.headers or {})


def test_a_public_event_replayed_from_the_ledger_is_the_same_cloudevent(amqp_url: str) -> None:
    event = PublicWorkReceived(work_id=uuid.uuid4(), district=7, neighbourhood="نظام آباد", category="welfare")
    row = {"event_id": str(event.event_id), "event_type": event.event_type(), "routing_key": event.routing_key(),
           "exchange": PUBLIC_EXCHANGE, "correlation_id": None, "causation_id": None,
           "payload": event.model_dump(mode="json")}  # a ledger row, as `hami ledger replay` reads it

    async def replayed() -> aio_pika.IncomingMessage:
        connection = await aio_pika.connect(amqp_url)
        async with connection:
            queue = await (await connection.channel()).declare_queue(exclusive=True)
            await bus.republish(amqp_url, [row], queue=queue.name)
            for _ in range(100):
                if message := await queue.get(fail=False):
                    return message
                await asyncio.sleep(0.1)
            pytest.fail("the replayed event never arrived")

    message = asyncio.run(replayed())
    cloud = {name: value for name, value in message.headers.items() if name.startswith(("cloudEvents_", "ce-"))}
    assert cloud == amqp_headers(envelope(event_id=str(event.event_id), event_type="submissions.work.received",
                                          occurred_at=event.occurred_at, schema_version=1))
    parsed = amqp.from_binary_event(amqp.AMQPMessage(properties={"content-type": message.content_type},
                                                     application_properties=cloud, application_data=message.body))
    assert parsed.get_time() == event.occurred_at and parsed.get_id() == str(event.event_id)
