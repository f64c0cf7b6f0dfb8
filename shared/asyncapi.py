"""The AsyncAPI 3.1 document of every event, generated from the contracts (committed as docs/asyncapi.json) and
checked by AsyncAPI's own parser in the tests: what other systems' tooling reads must be valid, not only current."""

import json
from pathlib import Path

from shared.contracts import ALL_EVENTS, Event
from shared.contracts.base import DISTRICTS, district_scope
from shared.contracts.catalogue import entry_for
from shared.contracts.cloudevents import AMQP_PREFIX, RABBITMQ_PREFIX
from shared.messaging.topology import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE

AMQP_BINDING = "0.3.0"

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"


def _message_name(contract: type[Event]) -> str:
    return f"{'public.' if contract.public else ''}{contract.event_type()}"


def _scopes(contract: type[Event]) -> list[str]:
    """The routing scopes a contract's events carry: the city, or one of the 22 districts too."""
    return ["city", *(district_scope(d) for d in DISTRICTS)] if "district" in contract.model_fields else ["city"]


def _channel(contract: type[Event]) -> dict:
    exchange = PUBLIC_EXCHANGE if contract.public else INTERNAL_EXCHANGE
    scopes = _scopes(contract)
    return {
        "address": f"{contract.event_type()}.{{scope}}",
        "title": f"{contract.event_type()} ({'public' if contract.public else 'internal'})",
        "description": (contract.__doc__ or "").strip(),
        "parameters": {"scope": {"description": "routing scope: 'city', or the district (d01..d22) an event is "
                                                "about", "enum": scopes, "examples": scopes[:2]}},
        "messages": {_message_name(contract): {"$ref": f"#/components/messages/{_message_name(contract)}"}},
        "bindings": {"amqp": {"is": "routingKey", "bindingVersion": AMQP_BINDING,
                              "exchange": {"name": exchange, "type": "topic", "durable": True, "autoDelete": False,
                                           "vhost": "/"}}},
    }


def _discriminators_as_names(schema: object) -> object:
    """Pydantic writes OpenAPI's discriminator object ({propertyName, mapping}); AsyncAPI's schema wants the
    property's name."""
    if isinstance(schema, dict):
        return {key: (value["propertyName"] if key == "discriminator" and isinstance(value, dict)
                      else _discriminators_as_names(value)) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_discriminators_as_names(item) for item in schema]
    return schema


def _schema(contract: type[Event]) -> dict:
    schema = contract.model_json_schema(ref_template="#/components/schemas/{model}")
    return _discriminators_as_names(schema)


# CloudEvents 1.0 attributes every public message carries as AMQP headers (binary content mode), under both
# prefixes readers use (shared/contracts/cloudevents.py); the content type is the message's own.
CLOUDEVENTS = {
    "specversion": "always 1.0", "id": "the event's id (as message_id)", "source": "the producing service, e.g. "
    "/hami/submissions", "type": "the event type, e.g. submissions.work.received", "time": "when it happened, "
    "RFC 3339 in UTC", "dataschema": "the URI of this event's JSON schema at its schema version",
}


def _headers(contract: type[Event]) -> dict:
    properties: dict = {"causation_id": {"type": "string", "description": "the event that caused this one"}}
    if contract.public:
        for prefix in (AMQP_PREFIX, RABBITMQ_PREFIX):
            properties |= {f"{prefix}{name}": {"type": "string", "description": f"CloudEvents {name}: {text}"}
                           for name, text in CLOUDEVENTS.items()}
    required = [f"{AMQP_PREFIX}{name}" for name in CLOUDEVENTS] if contract.public else []
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


def _message(contract: type[Event]) -> dict:
    schema = _schema(contract)
    message = {
        "name": contract.event_type(),
        "title": contract.__name__,
        "summary": (contract.__doc__ or "").strip(),
        "contentType": "application/json",
        "headers": _headers(contract),
        "payload": {k: v for k, v in schema.items() if k != "$defs"},
        "bindings": {"amqp": {"messageType": contract.event_type(), "bindingVersion": AMQP_BINDING}},
        "x-amqp-properties": "message_id = event_id; correlation_id = the flow; type = event type; "
                             "app_id = producing service; persistent",
    }
    if entry := entry_for(contract):
        message |= {
            "title": f"{entry.title_fa} ({contract.event_type()})",
            "description": f"{entry.when_en}\n\n{entry.when_fa}",
            "examples": [{"name": "example", "summary": entry.when_en,
                          "payload": entry.example.model_dump(mode="json")}],
        }
    return message


def _operation(contract: type[Event]) -> dict:
    return {
        "action": "receive", "channel": {"$ref": f"#/channels/{_message_name(contract)}"},
        "summary": f"{contract.service} publishes; subscribers bind {contract.event_type()}.# or a narrower scope",
        # Every event is published persistent and mandatory, with a timestamp; consumers ack.
        "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "timestamp": True, "ack": True,
                              "bindingVersion": AMQP_BINDING}},
    }


def document() -> dict:
    """The whole AsyncAPI document: one channel and one message per contract."""
    contracts = sorted(ALL_EVENTS, key=_message_name)
    schemas: dict = {}
    for contract in contracts:
        schemas.update(_schema(contract).get("$defs", {}))
    return {
        "asyncapi": "3.1.0",
        "info": {
            "title": "Hami festival events",
            "version": "1.0.0",
            "description": "Events of the Hami festival platform (جشنواره حامی). Public events (exchange "
                           f"{PUBLIC_EXCHANGE}) are the curated, personal-data-free contract for other municipal "
                           f"systems; internal events ({INTERNAL_EXCHANGE}) are for the platform's services. "
                           "Routing keys are <service>.<entity>.<event>.<scope>. Consumers must ignore unknown "
                           "fields. Generated from shared/contracts by `hami asyncapi`; do not edit by hand.",
        },
        "defaultContentType": "application/json",
        "servers": {"rabbitmq": {"host": "rabbitmq:5672", "protocol": "amqp", "protocolVersion": "0.9.1"}},
        "channels": {_message_name(c): _channel(c) for c in contracts},
        "operations": {f"receive.{_message_name(c)}": _operation(c) for c in contracts},
        "components": {"messages": {_message_name(c): _message(c) for c in contracts}, "schemas": schemas},
    }


def render() -> str:
    """The document as stable, human-diffable JSON."""
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
