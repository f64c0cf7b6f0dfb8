"""The RabbitMQ and PostgreSQL servers the integration tests use, and a private vhost per run."""

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

HOW_TO = (
    "The integration tests need a real RabbitMQ and PostgreSQL. Either set\n"
    "  HAMI_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/\n"
    "  HAMI_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres\n"
    "(`make test` sets these defaults when they are unset), or make a Docker engine reachable so\n"
    "testcontainers can start them."
)


@dataclass(frozen=True)
class Servers:
    """Where the broker and the database server are."""

    amqp_url: str
    database_url: str  # a server-level URL (postgresql://user@host:port/postgres)
    local_broker: bool  # rabbitmqctl controls it (vhosts, stop_app/start_app)

    def database(self, name: str, *, driver: str = "postgresql+asyncpg") -> str:
        """URL of a named database on the server, for SQLAlchemy's async engine by default."""
        parts = urlsplit(self.database_url)
        return urlunsplit((driver, parts.netloc, f"/{name}", "", ""))


def _docker_reachable() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0


def _is_local(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"} and shutil.which("rabbitmqctl") is not None


@contextmanager
def provide_servers() -> Iterator[Servers]:
    """Servers from the environment, else from testcontainers, else a failure that says what to do."""
    amqp, database = os.environ.get("HAMI_TEST_AMQP_URL"), os.environ.get("HAMI_TEST_DATABASE_URL")
    if amqp and database:
        yield Servers(amqp, database, _is_local(amqp))
        return
    if not _docker_reachable():
        raise RuntimeError(HOW_TO)
    from testcontainers.community.postgres import PostgresContainer
    from testcontainers.community.rabbitmq import RabbitMqContainer

    with PostgresContainer("postgres:15", driver=None) as pg, RabbitMqContainer("rabbitmq:3.13") as mq:
        amqp = f"amqp://guest:guest@{mq.get_container_host_ip()}:{mq.get_exposed_port(5672)}/"
        yield Servers(amqp, pg.get_connection_url(), local_broker=False)


def rabbitmqctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run rabbitmqctl against the local node."""
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120, check=check)


@contextmanager
def private_vhost(servers: Servers) -> Iterator[str]:
    """An AMQP URL on a fresh vhost (local broker), so test runs never share queues with anything else."""
    if not servers.local_broker:
        yield servers.amqp_url
        return
    vhost = f"hami-test-{uuid.uuid4().hex[:8]}"
    user = urlsplit(servers.amqp_url).username or "guest"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
    parts = urlsplit(servers.amqp_url)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))
    finally:
        rabbitmqctl("delete_vhost", vhost, check=False)
