"""docs/example_subscriber.py, run as another municipal system would run it: its own process, only the external
RabbitMQ user's rights, checking every event's CloudEvents attributes and its payload against docs/asyncapi.json."""

import ast
import asyncio
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import pytest

from shared.contracts.cloudevents import amqp_headers, envelope
from tests.support.submissions import ensure_open_call, submit, wait_for_neighbourhoods, work_body
from tests.support.system import System
from tests.support.waiting import wait_for

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "example_subscriber.py"
DISTRICT = 12  # few other tests submit here, so its queue sees only this test's works
KEY = f"submissions.work.received.d{DISTRICT:02d}"


def start(tmp_path: Path, *options: str) -> tuple[subprocess.Popen, str, list[str]]:
    """The script in its own process, outside the repository, waited for until its queue is bound; its queue and
    what it printed before (the catch-up)."""
    name = f"ex{uuid.uuid4().hex[:6]}"
    process = subprocess.Popen([sys.executable, str(SCRIPT), "--exclusive", "--name", name, "--bind", KEY, *options],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    before = []
    while not (line := process.stdout.readline()).startswith("listening"):
        if not line:
            pytest.fail(f"the subscriber ended before listening: {before}, {process.communicate()}")
        before.append(line.rstrip("\n"))
    return process, f"ext.{name}.events", before


def test_the_example_imports_nothing_from_the_project() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules <= {"argparse", "asyncio", "json", "re", "sys", "datetime", "pathlib", "aio_pika", "jsonschema",
                       "referencing", "httpx"}, modules


def test_the_example_subscriber_validates_what_it_catches_up_on_and_what_arrives_live(
        external_url: str, system: System, tmp_path: Path) -> None:
    wait_for_neighbourhoods(system)
    ensure_open_call(system)  # the call opened: a public event the catch-up finds in the ledger
    wait_for(lambda: asyncio.run(system.fetchval(
        "registry", "SELECT count(*) FROM ledger WHERE event_type = $1 AND exchange = $2",
        "submissions.call.opened", "hami.public")), timeout=30)
    process, _, caught_up = start(tmp_path, "--amqp", external_url, "--registry", system.url("registry"),
                                  "--count", "3", "--timeout", "60")
    token = system.district_staff_token(DISTRICT)
    works = [submit(system, token, work_body(DISTRICT)) for _ in range(3)]
    assert all(w.status_code == 201 for w in works), [w.text for w in works]

    out, err = process.communicate(timeout=90)

    assert process.returncode == 0, (out, err)
    live = out.splitlines()
    assert not [line for line in caught_up + live if line.startswith("INVALID")], (caught_up, live)
    assert any(line.startswith("submissions.call.opened ") for line in caught_up), caught_up
    assert len(live) == 3, live
    assert [line.split(" ", 3)[:3] for line in live] == [["submissions.work.received", line.split(" ")[1], KEY]
                                                         for line in live]
    assert {json.loads(line.split(" ", 3)[3])["work_id"] for line in live} == {w.json()["id"] for w in works}


async def publish_to(amqp_url: str, queue: str, body: dict, headers: dict) -> None:
    """A broken producer's message, straight into the subscriber's queue (not hami.public, so the services never
    see it), published with the platform's own user (the external one may not publish)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        await (await connection.channel()).default_exchange.publish(aio_pika.Message(
            json.dumps(body).encode(), message_id=body["event_id"], type="submissions.work.received",
            content_type="application/json", headers=headers), routing_key=queue, mandatory=True)


def test_an_event_that_is_no_cloudevent_or_breaks_its_schema_is_reported(external_url: str, system: System,
                                                                        tmp_path: Path) -> None:
    process, queue, _ = start(tmp_path, "--amqp", external_url, "--count", "2", "--timeout", "30")
    now = datetime.now(UTC)
    bare = {"event_id": str(uuid.uuid4()), "occurred_at": now.isoformat(), "schema_version": 1,
            "work_id": str(uuid.uuid4()), "district": DISTRICT, "neighbourhood": "بازار", "category": "welfare"}
    enveloped = {**bare, "event_id": str(uuid.uuid4()), "district": "twelve", "work_id": "not-a-uuid"}
    del enveloped["neighbourhood"]
    attributes = envelope(event_id=enveloped["event_id"], event_type="submissions.work.received", occurred_at=now,
                          schema_version=1)
    asyncio.run(publish_to(system.amqp_url, queue, bare, {}))
    asyncio.run(publish_to(system.amqp_url, queue, enveloped, amqp_headers(attributes)))

    out, err = process.communicate(timeout=60)

    assert process.returncode == 1, (out, err)
    no_cloudevent, bad_payload = out.splitlines()
    assert no_cloudevent.startswith(f"INVALID {bare['event_id']} ") and "specversion missing" in no_cloudevent
    assert "required property" not in no_cloudevent  # its payload is fine
    assert bad_payload.startswith(f"INVALID {enveloped['event_id']} ") and "missing" not in bad_payload
    assert "'neighbourhood' is a required property" in bad_payload and "district: 'twelve'" in bad_payload
    assert "work_id: 'not-a-uuid' is not a 'uuid'" in bad_payload


def test_the_example_subscriber_gives_up_after_its_timeout(external_url: str, tmp_path: Path) -> None:
    process, _, _ = start(tmp_path, "--amqp", external_url, "--count", "1", "--timeout", "2")
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 2 and "timed out after 2.0 s with 0 events" in out, out
