"""The AsyncAPI 3.0 document of every event, generated from the contracts (committed as docs/asyncapi.json)."""

import json
from pathlib import Path

from shared.contracts import ALL_EVENTS, Event
from shared.messaging.topology import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"


def _message_name(contract: type[Event]) -> str:
    return f"{'public.' if contract.public else ''}{contract.event_type()}"


def _channel(contract: type[Event]) -> dict:
    exchange = PUBLIC_EXCHANGE if contract.public else INTERNAL_EXCHANGE
    scope = "city or d01..d22" if "district" in contract.model_fields else "city"
    return {
        "address": f"{contract.event_type()}.{{scope}}",
        "title": f"{contract.event_type()} ({'public' if contract.public else 'internal'})",
        "description": (contract.__doc__ or "").strip(),
        "parameters": {"scope": {"description": f"routing scope: {scope}"}},
        "messages": {_message_name(contract): {"$ref": f"#/components/messages/{_message_name(contract)}"}},
        "bindings": {"amqp": {"is": "routingKey", "exchange": {"name": exchange, "type": "topic", "durable": True,
                                                               "autoDelete": False, "vhost": "/"}}},
    }


def _message(contract: type[Event]) -> dict:
    schema = contract.model_json_schema(ref_template="#/components/schemas/{model}")
    return {
        "name": contract.event_type(),
        "title": contract.__name__,
        "summary": (contract.__doc__ or "").strip(),
        "contentType": "application/json",
        "headers": {"type": "object", "properties": {"causation_id": {"type": "string"}}},
        "payload": {k: v for k, v in schema.items() if k != "$defs"},
        "bindings": {"amqp": {"deliveryMode": 2, "messageType": contract.event_type()}},
        "x-amqp-properties": "message_id = event_id; correlation_id = the flow; type = event type; "
                             "app_id = producing service; persistent",
    }


def document() -> dict:
    """The whole AsyncAPI document: one channel and one message per contract."""
    contracts = sorted(ALL_EVENTS, key=_message_name)
    schemas: dict = {}
    for contract in contracts:
        schemas.update(contract.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}))
    return {
        "asyncapi": "3.0.0",
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
        "operations": {f"receive.{_message_name(c)}": {
            "action": "receive", "channel": {"$ref": f"#/channels/{_message_name(c)}"},
            "summary": f"{c.service} publishes; subscribers bind {c.event_type()}.# or a narrower scope"}
            for c in contracts},
        "components": {"messages": {_message_name(c): _message(c) for c in contracts}, "schemas": schemas},
    }


def render() -> str:
    """The document as stable, human-diffable JSON."""
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
