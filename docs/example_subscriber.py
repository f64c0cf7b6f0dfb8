"""Example: how another municipal system follows the Hami festival's public events. Copy it and change handle().

Every message on the public exchange `hami.public` is a CloudEvent 1.0 in the AMQP binding's binary mode: the
body is the event's JSON (content type application/json) and the headers carry its attributes, `cloudEvents_id`
(the event id, also the AMQP message_id), `cloudEvents_source` (/hami/<service>), `cloudEvents_type` (e.g.
evaluation.results.published), `cloudEvents_time` (RFC 3339), `cloudEvents_specversion` (1.0) and
`cloudEvents_dataschema`; the same attributes again as `ce-*` headers for readers of Knative's RabbitMQ binding.
The body's schema is components.messages["public.<type>"].payload in the festival's AsyncAPI document
(docs/asyncapi.json). Events are JSON; ignore fields you do not know.

1. Listen live: a queue of your own, bound to `hami.public` with the routing keys you care about
   (<service>.<entity>.<event>.<scope>, e.g. `evaluation.results.#`, `submissions.work.received.d07`). Your
   RabbitMQ user may read `hami.public` and configure, read and write only queues named `ext.<you>.*`.
2. Optionally catch up first from the ledger: GET {registry}/public-events?after_seq=N pages through what was
   published before your queue existed. The two can overlap: deduplicate on the event id.

Needs: pip install aio-pika jsonschema httpx (httpx only for --registry).
Run:   python example_subscriber.py --amqp amqp://user:pass@host/ --name kommun --bind 'evaluation.results.#'
Prints one line per event, "<type> <id> <routing key> <payload>", or "INVALID <id> <what is wrong>".
Stops after --count events or --timeout seconds; exit status 0, 1 if any event was invalid, 2 if it timed out
before --count events arrived.
"""

import argparse
import asyncio
import json
import re
import sys
from datetime import datetime
from pathlib import Path

import aio_pika
import jsonschema
from aio_pika.abc import AbstractIncomingMessage
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

PUBLIC_EXCHANGE = "hami.public"
ATTRIBUTES = ("specversion", "id", "source", "type", "time", "dataschema")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")  # the characters RFC 3986 allows


class Schemas:
    """Each public event's payload schema from the AsyncAPI document, its $refs resolved within the document."""

    def __init__(self, document: dict) -> None:
        self.messages = document["components"]["messages"]
        self.registry = Registry().with_resource("urn:asyncapi", Resource(document, DRAFT202012))

    def problems(self, event_type: str, payload: object) -> list[str]:
        """What is wrong with a payload of this type (nothing: an empty list)."""
        name = f"public.{event_type}"
        if name not in self.messages:
            return [f"no public event {event_type!r} in the AsyncAPI document"]
        pointer = f"/components/messages/{name}/payload"
        if "schemaFormat" in self.messages[name]["payload"]:  # an AsyncAPI multi-format schema object
            pointer += "/schema"
        validator = jsonschema.Draft202012Validator({"$ref": f"urn:asyncapi#{pointer}"}, registry=self.registry,
                                                    format_checker=jsonschema.FormatChecker())
        return [f"{'/'.join(map(str, e.absolute_path)) or 'payload'}: {e.message}"
                for e in validator.iter_errors(payload)]


def cloudevent_problems(message: AbstractIncomingMessage, payload: dict) -> list[str]:
    """What breaks the CloudEvents rules in a message's attributes (nothing: an empty list)."""
    headers = message.headers or {}
    found = {name: headers.get(f"cloudEvents_{name}", headers.get(f"cloudEvents:{name}")) for name in ATTRIBUTES}
    problems = [f"{name} missing or not a string" for name, value in found.items()
                if not isinstance(value, str) or not value]
    if problems:
        return problems
    if found["specversion"] != "1.0":
        problems.append(f"specversion {found['specversion']!r} is not 1.0")
    if not URI_REFERENCE.fullmatch(found["source"]):
        problems.append(f"source {found['source']!r} is not a URI reference")
    if not RFC3339.fullmatch(found["time"]):
        problems.append(f"time {found['time']!r} is not RFC 3339")
    elif not RFC3339.fullmatch(str(payload.get("occurred_at"))) or (
            datetime.fromisoformat(found["time"]) != datetime.fromisoformat(payload["occurred_at"])):
        problems.append("time is not the event's occurred_at")
    if not found["dataschema"].endswith(f"/{found['type']}/v{payload.get('schema_version')}.json"):
        problems.append(f"dataschema {found['dataschema']!r} does not name this type and schema version")
    if found["id"] != payload.get("event_id") or found["type"] != message.type:
        problems.append("id or type differ from the event's own")
    if (message.content_type or "").split(";")[0] != "application/json":
        problems.append(f"content type {message.content_type!r} is not application/json")
    return problems


def handle(event_type: str, event_id: str, routing_key: str, payload: dict) -> None:
    """Do something useful with one event (here: print it)."""
    print(event_type, event_id, routing_key, json.dumps(payload, ensure_ascii=False), flush=True)


async def catch_up(registry: str, schemas: Schemas, seen: set[str]) -> int:
    """Page through the public events the ledger kept; returns how many were invalid."""
    import httpx

    invalid, after_seq = 0, 0
    async with httpx.AsyncClient(base_url=registry, timeout=10) as client:
        while True:
            page = (await client.get("/public-events", params={"after_seq": after_seq, "limit": 500})).json()
            for event in page["events"]:
                if event["event_id"] in seen:
                    continue
                seen.add(event["event_id"])
                if problems := schemas.problems(event["event_type"], event["payload"]):
                    print("INVALID", event["event_id"], "; ".join(problems), flush=True)
                    invalid += 1
                else:
                    handle(event["event_type"], event["event_id"], event["routing_key"], event["payload"])
            if not page["events"]:
                return invalid
            after_seq = page["next_after_seq"]


async def listen(args: argparse.Namespace, schemas: Schemas, seen: set[str], tally: dict[str, int]) -> None:
    """Consume live events from our own queue until --count of them, counting them and the invalid ones."""
    connection = await aio_pika.connect_robust(args.amqp)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        queue = await channel.declare_queue(f"ext.{args.name}.events", durable=not args.exclusive,
                                            exclusive=args.exclusive)
        exchange = await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False)  # ours to read, not to declare
        for key in args.bind:
            await queue.bind(exchange, routing_key=key)
        print(f"listening on {queue.name} for {' '.join(args.bind)}", flush=True)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process():  # acknowledged once handled; an exception here requeues it
                    if message.message_id in seen:
                        continue
                    seen.add(message.message_id)
                    tally["events"] += 1
                    try:
                        payload = json.loads(message.body)
                    except ValueError as error:
                        payload = f"not JSON: {error}"
                    problems = ([f"body is {payload}" if isinstance(payload, str) else "body is not an object"]
                                if not isinstance(payload, dict) else
                                cloudevent_problems(message, payload) + schemas.problems(message.type, payload))
                    if problems:
                        print("INVALID", message.message_id, "; ".join(problems), flush=True)
                        tally["invalid"] += 1
                    else:
                        handle(message.type, message.message_id, message.routing_key, payload)
                if args.count and tally["events"] >= args.count:
                    return


async def main() -> int:
    """Parse the options, catch up if asked, listen; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp", required=True, help="amqp://user:password@host:5672/vhost")
    parser.add_argument("--name", required=True, help="your system's short name (queue ext.<name>.events)")
    parser.add_argument("--bind", action="append", help="routing key pattern (repeatable; default '#')")
    parser.add_argument("--asyncapi", default=str(Path(__file__).with_name("asyncapi.json")),
                        help="the festival's AsyncAPI document (docs/asyncapi.json)")
    parser.add_argument("--registry", help="registry's URL, to catch up from the ledger first")
    parser.add_argument("--count", type=int, default=0, help="stop after this many live events (0: never)")
    parser.add_argument("--timeout", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--exclusive", action="store_true", help="a queue that lives only while this runs")
    args = parser.parse_args()
    args.bind = args.bind or ["#"]
    schemas = Schemas(json.loads(Path(args.asyncapi).read_text(encoding="utf-8")))
    seen: set[str] = set()
    tally = {"events": 0, "invalid": await catch_up(args.registry, schemas, seen) if args.registry else 0}
    try:
        await asyncio.wait_for(listen(args, schemas, seen, tally), args.timeout)
    except TimeoutError:
        print(f"timed out after {args.timeout} s with {tally['events']} events", flush=True)
        return 1 if tally["invalid"] else 2 if args.count else 0
    return 1 if tally["invalid"] else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
