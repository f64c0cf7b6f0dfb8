"""The operators' `hami` tool against the running system: dead letters, ledger, outbox, staff accounts."""

import asyncio
import json
import uuid

import aio_pika
import pytest

from ops.cli import main
from shared.contracts.submissions import WorkReceived
from shared.launcher import SERVICES
from tests.support.system import System
from tests.support.waiting import wait_for


@pytest.fixture
def operator_env(system: System, monkeypatch: pytest.MonkeyPatch) -> System:
    """Point the tool at the test system's databases and vhost."""
    for service in SERVICES:
        monkeypatch.setenv(f"HAMI_{service.upper()}_DATABASE_URL", system.database(service))
    monkeypatch.setenv("HAMI_AMQP_URL", system.amqp_url)
    return system


async def _dead_letter(amqp_url: str, event: WorkReceived) -> None:
    """Put a valid event straight into evaluation's dead-letter queue, as an outage would have left it."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.default_exchange.publish(aio_pika.Message(
            json.dumps(event.model_dump(mode="json")).encode(), message_id=str(event.event_id),
            type=event.event_type(), content_type="application/json"), routing_key="evaluation.dead-letter")


def test_dead_letters_are_listed_shown_and_replayed_into_the_service(operator_env: System, capsys) -> None:
    event = WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=2, neighbourhood="محله",
                         category="welfare", title="اثر گمشده", submitter_name="علی",
                         submitter_national_id="0499370899", submitter_mobile="09121234567")
    asyncio.run(_dead_letter(operator_env.amqp_url, event))

    assert main(["dead-letters", "list"]) == 0
    assert main(["dead-letters", "show", "evaluation", "--limit", "50"]) == 0
    listed = capsys.readouterr().out
    assert str(event.event_id) in listed and "evaluation" in listed
    assert main(["dead-letters", "replay", "evaluation", "--limit", "50"]) == 0
    assert "replayed" in capsys.readouterr().out

    wait_for(lambda: asyncio.run(operator_env.fetchval(
        "evaluation", "SELECT count(*) FROM works WHERE work_id = $1", event.work_id)) == 1)


def test_ledger_verify_replay_and_outbox(operator_env: System, capsys) -> None:
    assert main(["ledger", "verify"]) == 0
    assert "the chain is intact" in capsys.readouterr().out
    wait_for(lambda: asyncio.run(operator_env.fetchval(
        "registry", "SELECT count(*) FROM ledger WHERE event_type = 'registry.neighbourhood.created'")) == 349)
    wait_for(lambda: asyncio.run(operator_env.fetchval("submissions", "SELECT count(*) FROM neighbourhoods")) == 349)
    before = asyncio.run(operator_env.fetchval("submissions", "SELECT count(*) FROM inbox"))
    assert main(["ledger", "replay", "--type", "registry.neighbourhood.created", "--limit", "20",
                 "--to", "submissions"]) == 0
    assert "done: 20 events" in capsys.readouterr().out
    assert asyncio.run(operator_env.fetchval("submissions", "SELECT count(*) FROM inbox")) == before  # all known
    assert main(["outbox"]) == 0
    shown = capsys.readouterr().out
    assert all(service in shown for service in SERVICES)


def test_staff_accounts_are_created_by_operators(operator_env: System, capsys) -> None:
    username = f"op{uuid.uuid4().hex[:8]}"
    assert main(["staff", "--username", username, "--password", "operator-made-pass", "--name", "کارشناس مرکزی",
                 "--body", "central-secretariat", "--role", "staff"]) == 0
    assert operator_env.token(username, "operator-made-pass")
    assert main(["staff", "--username", username, "--password", "x" * 12, "--name", "دوباره",
                 "--body", "central-secretariat", "--role", "staff"]) == 1
