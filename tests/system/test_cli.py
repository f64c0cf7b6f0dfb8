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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import asyncpg
import httpx
import pytest

from ops.cli import main
from services.registry.settings import DEFAULT_ADMIN_PASSWORD
from shared.contracts.submissions import WorkReceived
from shared.launcher import ROOT, SERVICES
from tests.support.servers import Servers, private_vhost, rabbitmqctl
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


@dataclass
class HamiRun:
    """`hami run` started by a test: the process, its ports and databases' prefix, and its console."""

    process: subprocess.Popen
    ports: dict[str, int]
    prefix: str
    console: Path

    def output(self) -> str:
        """Everything it printed so far."""
        return self.console.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 180) -> None:
        """Until the console shows the text (failing with the console when it exits or takes too long)."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.process.poll() is None and time.monotonic() < deadline, self.output()
            time.sleep(0.5)

    def child(self, service: str) -> int:
        """The process id of one service started by it (its child `python -m services.<name>`)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in children:
            with suppress(FileNotFoundError):
                if f"services.{service}" in Path(f"/proc/{pid}/cmdline").read_text():
                    return int(pid)
        raise AssertionError(f"no {service} among {children}")


@contextmanager
def hami_run(servers: Servers, tmp_path: Path, *, env: dict[str, str] | None = None,
             before: Callable[[], None] | None = None) -> Iterator[HamiRun]:
    """`hami run` on databases of its own and a vhost of its own (with `env` added, and `before` called just before
    it starts); killed and cleaned up afterwards."""
    prefix, ports = f"hami_run{uuid.uuid4().hex[:6]}_", {name: free_port() for name in SERVICES}
    console = tmp_path / "hami-run.log"
    with private_vhost(servers) as amqp_url, console.open("wb") as out:
        environment = {**os.environ, "HAMI_DATABASE_PREFIX": prefix, "HAMI_AMQP_URL": amqp_url,
                       "HAMI_DATABASE_SERVER": servers.database("postgres").rsplit("/", 1)[0],
                       **{f"HAMI_{name.upper()}_PORT": str(port) for name, port in ports.items()}, **(env or {})}
        environment.pop("HAMI_ADMIN_PASSWORD", None)
        if before is not None:
            before()
        # A session of its own, as a terminal's: Ctrl-C there reaches the whole group (the services as well).
        process = subprocess.Popen([sys.executable, "-m", "ops.cli", "run"], cwd=ROOT, env=environment, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield HamiRun(process, ports, prefix, console)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            asyncio.run(drop_databases(servers, prefix))


def test_hami_run_starts_the_services_as_roles_that_own_nothing(servers: Servers, tmp_path: Path) -> None:
    """`hami run` (what `make run` and `make demo` use) on databases of its own and a vhost of its own: each service
    migrates as the server's user and then runs as hami_<service>_app, and the festival secretary signs in."""
    with hami_run(servers, tmp_path) as run:
        run.wait_for_output("Hami is ready")
        response = httpx.post(f"http://127.0.0.1:{run.ports['registry']}/auth/token",
                              json={"username": "secretary", "password": DEFAULT_ADMIN_PASSWORD})
        assert response.status_code == 200, response.text
        for name in SERVICES:
            users = asyncio.run(_fetchval(servers, "SELECT array_agg(DISTINCT usename) FROM pg_stat_activity "
                                          "WHERE datname = $1", f"{run.prefix}{name}"))
            assert users == [f"hami_{name}_app"], (name, users)
        run.process.send_signal(signal.SIGINT)
        assert run.process.wait(timeout=60) == 0, run.output()


def test_hami_run_restarts_a_service_that_dies(servers: Servers, tmp_path: Path) -> None:
    """A service killed outright is started again after a pause, said in one line, and is ready again; Ctrl-C
    still stops everything, and nothing is restarted while stopping."""
    with hami_run(servers, tmp_path) as run:
        run.wait_for_output("Hami is ready")
        killed = run.child("submissions")
        os.kill(killed, signal.SIGKILL)
        run.wait_for_output("submissions exited with code -9", timeout=10)
        assert "restarting in 1 s (restart 1)" in run.output()
        run.wait_for_output("submissions is ready again", timeout=90)
        url = f"http://127.0.0.1:{run.ports['submissions']}"
        assert httpx.get(f"{url}/health/ready", timeout=5).status_code == 200
        assert run.child("submissions") != killed
        assert httpx.get(f"{url}/editions/1399", timeout=5).status_code == 404  # it serves again
        os.killpg(run.process.pid, signal.SIGINT)  # Ctrl-C in its terminal: every service stops by itself too
        assert run.process.wait(timeout=60) == 0, run.output()
        assert run.output().count("restarting in") == 1, run.output()


@pytest.mark.parametrize("server", ["PostgreSQL", "RabbitMQ"])
def test_hami_run_says_in_one_line_that_a_server_is_unreachable(server: str) -> None:
    """No server on the port: one Persian-and-English line within seconds and a non-zero exit, no traceback."""
    closed = free_port()
    env = {**os.environ, "HAMI_DATABASE_PREFIX": f"hami_none{uuid.uuid4().hex[:6]}_"}
    if server == "PostgreSQL":
        env["HAMI_DATABASE_SERVER"] = f"postgresql+asyncpg://postgres@127.0.0.1:{closed}"
    else:
        env["HAMI_AMQP_URL"] = f"amqp://guest:guest@127.0.0.1:{closed}/"
    started = time.monotonic()
    ran = subprocess.run([sys.executable, "-m", "ops.cli", "run"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=30)
    took = time.monotonic() - started
    lines = [line for line in (ran.stdout + ran.stderr).splitlines() if line.strip()]
    assert ran.returncode != 0 and took < 10, (ran.returncode, took, lines)
    assert len(lines) == 1, lines
    assert f"{server} at 127.0.0.1:{closed}" in lines[0] and "در دسترس نیست" in lines[0], lines


def test_hami_run_has_docker_start_a_missing_server_where_an_engine_answers(servers: Servers, tmp_path: Path) -> None:
    """RabbitMQ stopped and a Docker engine answering: `hami run` says it starts the servers of
    deploy/dev-servers.yml, has compose bring them up and wait, checks again and starts the services. No Docker
    engine runs on the development machines, so `docker` here is a stand-in whose `compose up` starts the real
    RabbitMQ's application again, as the engine would start its container."""
    calls, bin_dir = tmp_path / "docker-calls", tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n'
                                    'if [ "$1" = compose ]; then rabbitmqctl start_app >/dev/null; fi\n')
    (bin_dir / "docker").chmod(0o755)
    try:
        with hami_run(servers, tmp_path, env={"PATH": f"{bin_dir}:{os.environ['PATH']}"},
                      before=lambda: rabbitmqctl("stop_app")) as run:
            run.wait_for_output("Hami is ready", timeout=180)
            assert "Starting RabbitMQ and PostgreSQL with Docker (dev-servers.yml)" in run.output()
            assert "Not reachable" not in run.output()
            assert calls.read_text().splitlines() == [
                "info", f"compose -p hami-dev-servers -f {ROOT / 'deploy' / 'dev-servers.yml'} up -d --wait"]
            os.killpg(run.process.pid, signal.SIGINT)
            assert run.process.wait(timeout=60) == 0, run.output()
    finally:
        rabbitmqctl("start_app", check=False)


async def _fetchval(servers: Servers, query: str, *args: object) -> object:
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()
