"""CloudEvents 1.0 envelopes of public events: one set of attributes, mapped onto the AMQP and HTTP bindings.

Binary content mode everywhere: the body stays the event's JSON, the attributes travel as headers, so existing
subscribers see the same body and off-the-shelf CloudEvents consumers understand the headers.
"""

from datetime import UTC, datetime

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
# Where a public event's JSON schema is named: <base>/<event type>/v<schema_version>.json. It is the schema of
# components.messages["public.<event type>"].payload in docs/asyncapi.json for that version.
SCHEMA_BASE = "https://hami.tehran.ir/events/schemas"
# The AMQP binding allows "cloudEvents_" or "cloudEvents:" and prefers "_" (JMS 2.0 selectors reject ":");
# CloudEvents' Java Spring AMQP reader and the Python SDK's AMQP binding read it.
AMQP_PREFIX = "cloudEvents_"
# Knative's RabbitMQ binding for AMQP 0-9-1, which the Python SDK's rabbitmq module reads, names them "ce-".
RABBITMQ_PREFIX = "ce-"
HTTP_PREFIX = "ce-"


def source(service: str) -> str:
    """The producing service as a CloudEvents source (a URI reference), e.g. '/hami/submissions'."""
    return f"/hami/{service}"


def dataschema(event_type: str, schema_version: int) -> str:
    """The URI naming the JSON schema of an event type's payload at a schema version."""
    return f"{SCHEMA_BASE}/{event_type}/v{schema_version}.json"


def rfc3339(moment: datetime) -> str:
    """A time in RFC 3339, in UTC with a 'Z' (stored times are timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError("an event's time must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def envelope(*, event_id: str, event_type: str, occurred_at: datetime, schema_version: int) -> dict[str, str]:
    """The CloudEvents attributes of one public event, each in its canonical string form."""
    return {
        "specversion": SPECVERSION,
        "id": event_id,
        "source": source(event_type.split(".", 1)[0]),  # event types are '<service>.<entity>.<action>'
        "type": event_type,
        "time": rfc3339(occurred_at),
        "dataschema": dataschema(event_type, schema_version),
        "datacontenttype": CONTENT_TYPE,
    }


def amqp_headers(attributes: dict[str, str]) -> dict[str, str]:
    """AMQP application properties (binary mode): every attribute but datacontenttype, which is the message's
    content type; under both prefixes, so either kind of reader finds them."""
    rest = {name: value for name, value in attributes.items() if name != "datacontenttype"}
    return {f"{prefix}{name}": value for prefix in (AMQP_PREFIX, RABBITMQ_PREFIX) for name, value in rest.items()}


def http_headers(attributes: dict[str, str]) -> dict[str, str]:
    """HTTP headers (binary mode): ce-<attribute>, and datacontenttype as Content-Type."""
    headers = {f"{HTTP_PREFIX}{name}": value for name, value in attributes.items() if name != "datacontenttype"}
    return {**headers, "Content-Type": attributes["datacontenttype"]}
