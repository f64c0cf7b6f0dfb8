"""docker-compose.yml: valid against the Compose Specification, and its services' commands really run."""

import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import jsonschema
import pytest

from shared.launcher import SERVICES, ServiceProcess
from tests.support.compose import MissingVariable, load_compose
from tests.support.servers import Servers, private_vhost, rabbitmqctl
from tests.support.system import drop_databases, free_port

SCHEMA = json.loads((Path(__file__).parent / "compose" / "compose-spec.json").read_text())
SECRETS = {"HAMI_RABBITMQ_PASSWORD": "compose-test-mq-password", "HAMI_POSTGRES_PASSWORD": "compose-test-db",
           "HAMI_ADMIN_PASSWORD": "compose-test-admin-password"}


def test_the_compose_file_follows_the_compose_specification() -> None:
    document = load_compose(SECRETS)
    validator = jsonschema.Draft201909Validator(SCHEMA)  # the draft the schema declares
    validator.validate(document)
    document["services"]["registry"]["helthcheck"] = document["services"]["registry"].pop("healthcheck")
    assert not validator.is_valid(document)  # and the check does catch a misspelt key


def test_compose_needs_every_secret_and_has_no_defaults_for_them() -> None:
    for name in SECRETS:
        with pytest.raises(MissingVariable, match=name):
            load_compose({k: v for k, v in SECRETS.items() if k != name})


def test_every_service_has_a_health_check_and_starts_in_order() -> None:
    services = load_compose(SECRETS)["services"]
    assert set(SERVICES) | {"rabbitmq", "postgres"} == set(services)
    for name in [*SERVICES, "rabbitmq", "postgres"]:
        assert services[name]["healthcheck"]["test"], name
    for name in SERVICES:
        needs = services[name]["depends_on"]
        assert needs["postgres"]["condition"] == needs["rabbitmq"]["condition"] == "service_healthy"
        if name != "registry":
            assert needs["registry"]["condition"] == "service_healthy"
        assert services[name]["environment"]["HAMI_ENV"] == "production"


def _local_env(name: str, environment: dict[str, str], *, amqp_url: str, prefix: str,
               ports: dict[str, int]) -> dict[str, str]:
    """The compose environment with the compose hosts mapped to this machine's servers."""
    env = dict(environment)
    local_amqp = urlsplit(amqp_url)
    compose_amqp = urlsplit(env["HAMI_AMQP_URL"])
    env["HAMI_AMQP_URL"] = f"amqp://{compose_amqp.username}:{compose_amqp.password}@{local_amqp.netloc.split('@')[-1]}{local_amqp.path}"
    database = urlsplit(env["HAMI_DATABASE_URL"])
    env["HAMI_DATABASE_URL"] = (f"{database.scheme}://{database.username}:{database.password}@127.0.0.1:5432/"
                                f"{prefix}{database.path.removeprefix('/hami_')}")
    env["HAMI_REGISTRY_URL"] = f"http://127.0.0.1:{ports['registry']}"
    env["HAMI_HTTP_PORT"] = str(ports[name])
    env["HAMI_HTTP_HOST"] = "127.0.0.1"
    return env


async def _ensure_role(servers: Servers, password: str) -> None:
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = 'hami'"):
            await connection.execute(f"CREATE ROLE hami LOGIN CREATEDB PASSWORD '{password}'")
    finally:
        await connection.close()


def test_each_compose_service_command_runs_with_its_compose_environment(servers: Servers, tmp_path: Path) -> None:
    if not servers.local_broker:
        pytest.fail("this test adds the compose RabbitMQ user with rabbitmqctl; use a local broker")
    with private_vhost(servers) as amqp_url:  # its own vhost: these services must not compete with the suite's
        _run_compose_services(servers, amqp_url, tmp_path)


def _run_compose_services(servers: Servers, amqp_url: str, tmp_path: Path) -> None:
    services = load_compose(SECRETS)["services"]
    vhost = urlsplit(amqp_url).path.lstrip("/") or "/"
    rabbitmqctl("add_user", "hami", SECRETS["HAMI_RABBITMQ_PASSWORD"], check=False)
    rabbitmqctl("set_permissions", "-p", vhost, "hami", ".*", ".*", ".*")
    asyncio.run(_ensure_role(servers, SECRETS["HAMI_POSTGRES_PASSWORD"]))
    prefix, ports = "hami_compose_", {name: free_port() for name in SERVICES}
    processes = []
    try:
        for name in SERVICES:
            command = services[name]["command"]
            assert command[0] == "python", command
            env = _local_env(name, services[name]["environment"], amqp_url=amqp_url, prefix=prefix, ports=ports)
            process = ServiceProcess(name, env, log_path=tmp_path / f"{name}.log",
                                     command=[sys.executable, *command[1:]])
            process.start()
            processes.append(process)
        for process in processes:
            process.wait_ready(timeout=90)
    finally:
        for process in processes:
            process.stop()
        asyncio.run(drop_databases(servers, prefix))
        rabbitmqctl("delete_user", "hami", check=False)
