"""`hami run`'s development servers (deploy/dev-servers.yml): when Docker may start them, and that they are where
`hami run` looks for them, on 127.0.0.1 only."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from ops.dev_servers import COMPOSE_FILE, applies
from ops.settings import LOCAL_AMQP_URL, LOCAL_DATABASE_SERVER

SCHEMA = Path(__file__).resolve().parents[2] / "system" / "compose" / "compose-spec.json"


def test_docker_is_asked_only_for_servers_on_this_machines_standard_ports() -> None:
    assert applies(LOCAL_DATABASE_SERVER, LOCAL_AMQP_URL)
    assert applies("postgresql+asyncpg://postgres@localhost", "amqp://guest:guest@localhost/hami-test-1")


@pytest.mark.parametrize(("database", "broker"), [
    ("postgresql+asyncpg://postgres@db.example:5432", LOCAL_AMQP_URL),
    (LOCAL_DATABASE_SERVER, "amqp://guest:guest@127.0.0.1:5999/"),
    ("postgresql+asyncpg://postgres@127.0.0.1:6543", LOCAL_AMQP_URL),
    (LOCAL_DATABASE_SERVER, "amqp://u:p@rabbitmq.example/hami"),
])
def test_servers_elsewhere_are_not_started_here(database: str, broker: str) -> None:
    assert not applies(database, broker)


def test_the_dev_servers_listen_where_hami_run_looks_and_only_on_loopback() -> None:
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text())).validate(document)
    services = document["services"]
    assert set(services) == {"rabbitmq", "postgres"}
    assert services["rabbitmq"]["ports"] == [f"127.0.0.1:{urlsplit(LOCAL_AMQP_URL).port}:5672"]
    assert services["postgres"]["ports"] == [f"127.0.0.1:{urlsplit(LOCAL_DATABASE_SERVER).port}:5432"]
    assert all(service["healthcheck"]["test"] for service in services.values())  # `up --wait` waits for them
