"""The operators' `hami` tool against the running system: dead letters, ledger, outbox, staff accounts; and
`hami run` itself."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aio_pika
import asyncpg
import httpx
import pytest

from ops.cli import main
from services.registry.settings import DEFAULT_ADMIN_PASSWORD
from shared.contracts.submissions import WorkReceived
from shared.launcher import ROOT, SERVICES
from tests.support.servers import Servers, private_vhost
from tests.support.system import System, drop_databases, free_port
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
    assert main(["ledger", "checkpoint"]) == 0  # signed on demand, checked by verify with the rest
    assert main(["ledger", "verify"]) == 0
    out = capsys.readouterr().out
    assert "the chain is intact" in out and " 0 checkpoints" not in out
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


def test_hami_run_starts_the_services_as_roles_that_own_nothing(servers: Servers, tmp_path: Path) -> None:
    """`hami run` (what `make run` and `make demo` use) on databases of its own and a vhost of its own: each service
    migrates as the server's user and then runs as hami_<service>_app, and the festival secretary signs in."""
    prefix, ports = f"hami_run{uuid.uuid4().hex[:6]}_", {name: free_port() for name in SERVICES}
    log = tmp_path / "hami-run.log"
    with private_vhost(servers) as amqp_url, log.open("wb") as out:
        env = {**os.environ, "HAMI_DATABASE_PREFIX": prefix, "HAMI_AMQP_URL": amqp_url,
               "HAMI_DATABASE_SERVER": servers.database("postgres").rsplit("/", 1)[0],
               **{f"HAMI_{name.upper()}_PORT": str(port) for name, port in ports.items()}}
        env.pop("HAMI_ADMIN_PASSWORD", None)
        process = subprocess.Popen([sys.executable, "-m", "ops.cli", "run"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while "Hami is ready" not in log.read_text(errors="replace"):
                assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.5)
            response = httpx.post(f"http://127.0.0.1:{ports['registry']}/auth/token",
                                  json={"username": "secretary", "password": DEFAULT_ADMIN_PASSWORD})
            assert response.status_code == 200, response.text
            for name in SERVICES:
                users = asyncio.run(_fetchval(servers, "SELECT array_agg(DISTINCT usename) FROM pg_stat_activity "
                                              "WHERE datname = $1", f"{prefix}{name}"))
                assert users == [f"hami_{name}_app"], (name, users)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == 0, log.read_text(errors="replace")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            asyncio.run(drop_databases(servers, prefix))


async def _fetchval(servers: Servers, query: str, *args: object) -> object:
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()
