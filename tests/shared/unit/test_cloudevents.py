"""The CloudEvents envelope of public events, read back by the CloudEvents SDK through its AMQP, RabbitMQ and HTTP
bindings, and checked against the spec's rules the SDK leaves out (source a URI reference, dataschema a URI)."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from cloudevents.core.bindings import amqp, http, rabbitmq

from shared.contracts import ALL_EVENTS
from shared.contracts.cloudevents import amqp_headers, envelope, http_headers, rfc3339

PUBLIC_TYPES = sorted({contract.event_type() for contract in ALL_EVENTS if contract.public})
OCCURRED = datetime(2026, 11, 27, 10, 30, 15, 123456, tzinfo=UTC)
BODY = json.dumps({"event_id": "4f0c", "schema_version": 2}).encode()
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def attributes(event_type: str, schema_version: int = 2) -> dict[str, str]:
    """The envelope of one event of that type."""
    return envelope(event_id="4f0c", event_type=event_type, occurred_at=OCCURRED, schema_version=schema_version)


def check_spec_rules(event) -> None:
    """What CloudEvents 1.0 says of these attributes beyond the SDK's own checks."""
    found = event.get_attributes()
    assert found["specversion"] == "1.0"
    assert all(isinstance(found[name], str) and found[name] for name in ("id", "source", "type"))
    assert URI_REFERENCE.fullmatch(found["source"])
    schema = urlsplit(found["dataschema"])
    assert schema.scheme == "https" and schema.netloc and URI_REFERENCE.fullmatch(found["dataschema"])
    assert found["time"].tzinfo is not None


def test_there_are_public_events_to_envelope() -> None:
    assert "evaluation.results.published" in PUBLIC_TYPES and "submissions.work.received" in PUBLIC_TYPES


@pytest.mark.parametrize("event_type", PUBLIC_TYPES)
def test_every_public_event_reads_back_through_the_sdk_amqp_binding(event_type: str) -> None:
    headers = amqp_headers(attributes(event_type))
    event = amqp.from_binary_event(amqp.AMQPMessage(
        properties={"content-type": "application/json"}, application_properties=headers, application_data=BODY))
    check_spec_rules(event)
    assert event.get_type() == event_type and event.get_id() == "4f0c"
    assert event.get_source() == f"/hami/{event_type.split('.')[0]}"
    assert event.get_time() == OCCURRED and event.get_datacontenttype() == "application/json"
    assert event.get_dataschema() == f"https://hami.tehran.ir/events/schemas/{event_type}/v2.json"
    assert event.get_data() == json.loads(BODY)


@pytest.mark.parametrize("event_type", PUBLIC_TYPES)
def test_every_public_event_reads_back_through_the_sdk_rabbitmq_binding(event_type: str) -> None:
    headers = amqp_headers(attributes(event_type))
    event = rabbitmq.from_binary_event(rabbitmq.RabbitMQMessage(
        headers=headers, content_type="application/json", body=BODY))
    check_spec_rules(event)
    assert event.get_attributes() == amqp.from_binary_event(amqp.AMQPMessage(
        properties={"content-type": "application/json"}, application_properties=headers,
        application_data=BODY)).get_attributes()


def test_amqp_headers_use_one_separator_per_prefix_and_leave_the_content_type_to_the_message() -> None:
    headers = amqp_headers(attributes("evaluation.results.published"))
    assert set(headers) == {f"{prefix}{name}" for prefix in ("cloudEvents_", "ce-")
                            for name in ("specversion", "id", "source", "type", "time", "dataschema")}
    assert not any(name.startswith("cloudEvents:") for name in headers)
    assert headers["cloudEvents_time"] == headers["ce-time"] == "2026-11-27T10:30:15.123456Z"


def test_the_same_event_as_the_sdk_would_write_it_over_http() -> None:
    ours = http_headers(attributes("submissions.work.received"))
    sdk = http.to_binary_event(http.from_binary_event(http.HTTPMessage(headers=ours, body=BODY)))
    assert {k.lower(): v for k, v in ours.items()} == {k.lower(): v for k, v in sdk.headers.items()}
    assert ours["Content-Type"] == "application/json" and ours["ce-type"] == "submissions.work.received"


def test_a_missing_attribute_is_refused_by_the_sdk() -> None:
    headers = http_headers(attributes("submissions.work.received"))
    del headers["ce-source"]
    with pytest.raises(Exception, match="source"):
        http.from_http_event(http.HTTPMessage(headers=headers, body=BODY))


def test_time_is_rfc3339_in_utc_and_a_naive_time_is_refused() -> None:
    tehran = datetime(2026, 11, 27, 14, 0, tzinfo=timezone(timedelta(hours=3, minutes=30)))
    assert rfc3339(tehran) == "2026-11-27T10:30:00Z" and RFC3339.fullmatch(rfc3339(OCCURRED))
    with pytest.raises(ValueError):
        rfc3339(datetime(2026, 11, 27, 10, 30))
