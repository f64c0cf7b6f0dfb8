"""docker-compose.yml: valid, secrets only from files, least-privilege users and database roles (migrations as the
owner in a one-shot step, the services as roles that own nothing), and its services really run."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import aio_pika
import asyncpg
import httpx
import jsonschema
import pytest
from aio_pika.abc import AbstractChannel, AbstractConnection
from aiormq.exceptions import ChannelAccessRefused

from shared.db import owned_by
from shared.launcher import ROOT, SERVICES, ServiceProcess
from shared.messaging.permissions import EXTERNAL, USERS
from shared.messaging.topology import (
    CONSUMING_SERVICES,
    INTERNAL_EXCHANGE,
    PUBLIC_EXCHANGE,
    declare_service_topology,
    declare_topology,
    service_queues,
)
from tests.support.compose import MissingVariable, env_file, load_compose, service_secrets
from tests.support.proxy import PREFIXES, caddy_proxy
from tests.support.servers import Servers, private_vhost, rabbitmqctl
from tests.support.system import drop_databases, free_port

SCHEMA = json.loads((Path(__file__).parent / "compose" / "compose-spec.json").read_text())
SECRET_SETTINGS = {"HAMI_DATABASE_PASSWORD", "HAMI_AMQP_PASSWORD", "HAMI_ADMIN_PASSWORD", "HAMI_SMTP_PASSWORD",
                   "HAMI_SMS_API_KEY", "HAMI_LINK_SECRET", "HAMI_KEY_ENCRYPTION_KEY",
                   "HAMI_MIGRATION_DATABASE_PASSWORD",
                   *(f"HAMI_{name.upper()}_MIGRATION_DATABASE_PASSWORD" for name in SERVICES)}
CLUSTER_NODES = ("rabbitmq", "rabbitmq-2", "rabbitmq-3")
REQUIRED = {"HAMI_SECRETS_PATH": "/etc/hami/secrets", "HAMI_PUBLIC_URL": "https://hami.example/notify"}


def test_the_compose_file_follows_the_compose_specification() -> None:
    document = load_compose(REQUIRED)
    validator = jsonschema.Draft201909Validator(SCHEMA)  # the draft the schema declares
    validator.validate(document)
    document["services"]["registry"]["helthcheck"] = document["services"]["registry"].pop("healthcheck")
    assert not validator.is_valid(document)  # and the check does catch a misspelt key


def test_compose_needs_its_required_settings() -> None:
    for name in REQUIRED:
        with pytest.raises(MissingVariable, match=name):
            load_compose({k: v for k, v in REQUIRED.items() if k != name})


def test_every_password_is_a_secret_file_never_a_value() -> None:
    document = load_compose(REQUIRED)
    assert all(Path(secret["file"]).parent == Path(REQUIRED["HAMI_SECRETS_PATH"])
               for secret in document["secrets"].values())
    for name in SERVICES:
        environment, mounts = document["services"][name]["environment"], service_secrets(document, name)
        assert {"hami_database_password", "hami_amqp_password"} <= set(mounts), name
        for key in ("HAMI_DATABASE_URL", "HAMI_AMQP_URL"):
            assert urlsplit(environment[key]).password is None, key
        assert not SECRET_SETTINGS & set(environment), name
    assert not SECRET_SETTINGS & set(env_file(ROOT / ".env.example"))
    assert {"hami_admin_password", "hami_key_encryption_key"} <= set(service_secrets(document, "registry"))
    # Evaluation prints certificates' codes and the registry checks them; evaluation grants evaluators the reading
    # of documents that submissions keeps: one key, given to the three.
    assert {service_secrets(document, name)["hami_document_key"] for name in ("registry", "evaluation",
                                                                               "submissions")} == {
        Path(REQUIRED["HAMI_SECRETS_PATH"]) / "document_key"}
    # The owners' passwords reach the one-shot migrate step only; each service gets its runtime role's.
    secrets_path = Path(REQUIRED["HAMI_SECRETS_PATH"])
    for name in SERVICES:
        runtime_secret = secrets_path / f"postgres_{name}_app_password"
        assert service_secrets(document, name)["hami_database_password"] == runtime_secret
        assert secrets_path / f"postgres_{name}_password" not in service_secrets(document, name).values()
    assert service_secrets(document, "migrate") == {
        f"hami_{name}_migration_database_password": secrets_path / f"postgres_{name}_password" for name in SERVICES}
    assert not any(urlsplit(url).password for url in document["services"]["migrate"]["environment"].values()
                   if url.startswith("postgresql"))
    assert set(service_secrets(document, "rabbitmq-definitions")) == {f"rabbitmq_{user}_password" for user in USERS}


def test_every_service_has_a_health_check_starts_in_order_and_stops_gracefully() -> None:
    services = load_compose(REQUIRED)["services"]
    default = {name for name, service in services.items() if not service.get("profiles")}
    assert set(SERVICES) | {"rabbitmq", "postgres", "rabbitmq-definitions", "migrate", "proxy"} == default
    assert services["rabbitmq"]["depends_on"]["rabbitmq-definitions"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in [*SERVICES, *CLUSTER_NODES, "amqp-proxy", "postgres"]:
        assert services[name]["healthcheck"]["test"], name
    for name in SERVICES:
        service, environment = services[name], services[name]["environment"]
        needs = service["depends_on"]
        assert needs["postgres"]["condition"] == needs["rabbitmq"]["condition"] == "service_healthy"
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        if name != "registry":
            assert needs["registry"]["condition"] == "service_healthy"
        # Migrated by the one-shot step, as the owner: the service itself runs as a role that owns nothing.
        assert environment["HAMI_ENV"] == "production" and environment["HAMI_MIGRATE_ON_START"] == "false"
        assert "HAMI_MIGRATION_DATABASE_URL" not in environment
        # HTTP requests, then in-flight handlers, each get the graceful timeout before compose kills.
        assert _seconds(service["stop_grace_period"]) > 2 * float(environment["HAMI_GRACEFUL_TIMEOUT"])


def test_the_cluster_profile_adds_two_nodes_that_join_the_first_and_haproxy_in_front_of_the_three() -> None:
    services = load_compose(REQUIRED)["services"]
    assert {name for name, service in services.items() if service.get("profiles")} == {
        "rabbitmq-2", "rabbitmq-3", "amqp-proxy"}
    assert all(services[name]["profiles"] == ["cluster"] for name in ("rabbitmq-2", "rabbitmq-3", "amqp-proxy"))
    document = load_compose(REQUIRED)
    cookies = {service_secrets(document, name)["rabbitmq_erlang_cookie"] for name in CLUSTER_NODES}
    assert cookies == {Path(REQUIRED["HAMI_SECRETS_PATH"]) / "rabbitmq_erlang_cookie"}  # one cookie: they may cluster
    peers = _conf(ROOT / "deploy/rabbitmq/cluster-node.conf")
    assert peers["cluster_formation.peer_discovery_backend"] == "classic_config"
    assert sorted(v for k, v in peers.items() if k.startswith("cluster_formation.classic_config.nodes.")) == [
        f"rabbit@{services[name]['hostname']}" for name in CLUSTER_NODES]
    for conf in ("rabbitmq.conf", "cluster-node.conf"):  # queues declared before nodes 2 and 3 joined grow too
        assert _conf(ROOT / "deploy/rabbitmq" / conf)[
            "quorum_queue.continuous_membership_reconciliation.target_group_size"] == str(len(CLUSTER_NODES))
    for name in CLUSTER_NODES[1:]:  # they join the first once it is healthy, and take definitions from it
        assert services[name]["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
        assert not any("definitions" in volume for volume in services[name]["volumes"])
    # HAMI_AMQP_HOST=amqp-proxy in .env points every service at the proxy; by default they use the first node.
    through_proxy = load_compose({**REQUIRED, "HAMI_AMQP_HOST": "amqp-proxy"})["services"]
    for name in SERVICES:
        assert urlsplit(services[name]["environment"]["HAMI_AMQP_URL"]).hostname == "rabbitmq"
        assert urlsplit(through_proxy[name]["environment"]["HAMI_AMQP_URL"]).hostname == "amqp-proxy"


def test_the_amqp_proxy_configuration_is_valid_haproxy_naming_each_node() -> None:
    config = ROOT / "deploy/haproxy/haproxy.cfg"
    checked = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    servers = [line.split()[2] for line in config.read_text().splitlines() if line.strip().startswith("server ")]
    assert servers == [f"{name}:5672" for name in CLUSTER_NODES]
    broken = subprocess.run(["haproxy", "-c", "-f", "/dev/stdin"], input="frontend amqp\n  bind :5672\n"
                            "  default_backend nowhere\n", capture_output=True, text=True, timeout=30)
    assert broken.returncode != 0  # and the check does refuse a broken configuration


def _conf(path: Path) -> dict[str, str]:
    """The settings of a rabbitmq.conf (sysctl format)."""
    lines = (line.strip() for line in path.read_text().splitlines())
    return dict(map(str.strip, line.split("=", 1)) for line in lines if line and not line.startswith("#"))


def test_the_migrate_step_grants_the_roles_the_services_connect_as() -> None:
    document = load_compose(REQUIRED)
    migrate = document["services"]["migrate"]["environment"]
    for name in SERVICES:
        service = urlsplit(document["services"][name]["environment"]["HAMI_DATABASE_URL"])
        owner = urlsplit(migrate[f"HAMI_{name.upper()}_MIGRATION_DATABASE_URL"])
        assert migrate[f"HAMI_{name.upper()}_RUNTIME_ROLE"] == service.username == f"hami_{name}_app"
        assert owner.username == f"hami_{name}" and owner.path == service.path == f"/hami_{name}"
        assert owner.hostname == service.hostname


def _seconds(duration: str) -> float:
    return float(duration.removesuffix("s"))


# --- The real servers: RabbitMQ definitions, PostgreSQL roles, the services -------------------------------------

def _write_secrets(directory: Path) -> dict[str, str]:
    """One random secret per compose secret, as an operator would create them."""
    directory.mkdir()
    values = {}
    for name in load_compose(REQUIRED)["secrets"]:
        values[name] = f"{name}-{uuid.uuid4().hex}"
        (directory / name).write_text(values[name] + "\n")
    return values


@contextmanager
def _broker_users(servers: Servers, secrets_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A private vhost with the users and topology of the compose definitions step; yields (vhost URL, names)."""
    if not servers.local_broker:
        pytest.fail("this test imports definitions with rabbitmqctl; use a local broker")
    out = secrets_path.parent / "definitions.json"
    command = load_compose(REQUIRED)["services"]["rabbitmq-definitions"]["command"]
    arguments = [str(secrets_path) if arg == "/run/secrets" else str(out) if arg.endswith(".json") else arg
                 for arg in command[1:]]
    subprocess.run([sys.executable, *arguments], cwd=ROOT, check=True)  # the compose step itself
    with private_vhost(servers) as amqp_url:
        vhost, prefix = urlsplit(amqp_url).path.lstrip("/"), f"{uuid.uuid4().hex[:8]}-"
        names = {user: prefix + user for user in USERS}
        document = _retarget(json.loads(out.read_text()), vhost, names)
        subprocess.run(["rabbitmqctl", "import_definitions"], input=json.dumps(document), text=True, check=True,
                       capture_output=True, timeout=120)
        try:
            yield amqp_url, names
        finally:
            for name in names.values():
                rabbitmqctl("delete_user", name, check=False)


def _retarget(document: dict, vhost: str, names: dict[str, str]) -> dict:
    """The definitions moved to a test vhost with prefixed user names (users are broker-wide)."""
    document["vhosts"] = [{"name": vhost}]
    for row in document["permissions"] + document["topic_permissions"]:
        row.update(vhost=vhost, user=names[row["user"]])
    for row in document["exchanges"] + document["queues"] + document["bindings"]:
        row["vhost"] = vhost
    for row in document["users"]:
        row["name"] = names[row["name"]]
    return document


def _user_url(amqp_url: str, user: str, password: str) -> str:
    parts = urlsplit(amqp_url)
    return f"amqp://{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}:{parts.port or 5672}{parts.path}"


async def _connect(url: str) -> AbstractConnection:
    """Definitions import asynchronously: wait until the user can sign in."""
    for _ in range(50):
        try:
            return await aio_pika.connect(url)
        except aio_pika.exceptions.ProbableAuthenticationError:
            await asyncio.sleep(0.2)
    return await aio_pika.connect(url)


async def _refused(connection: AbstractConnection, action: Callable[[AbstractChannel], Awaitable[object]]) -> None:
    channel = await connection.channel(publisher_confirms=True)
    with pytest.raises(ChannelAccessRefused):
        await action(channel)


async def _publish(channel: AbstractChannel, exchange: str, routing_key: str) -> None:
    target = await channel.get_exchange(exchange, ensure=False)
    await target.publish(aio_pika.Message(b"{}"), routing_key=routing_key, mandatory=False)


async def _service_user_may_only_do_its_own_work(url: str, service: str) -> None:
    other = next(name for name in CONSUMING_SERVICES if name != service)
    async with await _connect(url) as connection:
        channel = await connection.channel(publisher_confirms=True)
        await declare_service_topology(channel, service)
        await (await channel.get_queue(service_queues()[service].name, ensure=False)).get(fail=False)
        await _publish(channel, INTERNAL_EXCHANGE, f"{service}.probe.checked.city")
        await _refused(connection, lambda ch: _publish(ch, INTERNAL_EXCHANGE, f"{other}.probe.forged.city"))
        await _refused(connection, lambda ch: ch.declare_queue(service_queues()[other].name, durable=True,
                                                               arguments=service_queues()[other].arguments()))
        await _refused(connection, lambda ch: _get(ch, service_queues()[other].name))
        await _refused(connection, lambda ch: ch.declare_exchange(INTERNAL_EXCHANGE, "topic", durable=True))


async def _get(channel: AbstractChannel, queue: str) -> None:
    await (await channel.get_queue(queue, ensure=False)).get(fail=False)


async def _external_user_only_reads_public_events(url: str) -> None:
    async with await _connect(url) as connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("ext.compose-test", durable=True)
        await queue.bind(PUBLIC_EXCHANGE, routing_key="evaluation.award.#")
        await queue.get(fail=False)
        await _refused(connection, lambda ch: _publish(ch, PUBLIC_EXCHANGE, "evaluation.award.forged.city"))
        await _refused(connection, lambda ch: _publish(ch, INTERNAL_EXCHANGE, "registry.person.forged.city"))
        await _refused(connection, lambda ch: _bind(ch, "ext.compose-test", INTERNAL_EXCHANGE))
        await _refused(connection, lambda ch: _get(ch, service_queues()["registry"].name))
        await _refused(connection, lambda ch: ch.declare_queue("not-ext", durable=True))


async def _bind(channel: AbstractChannel, queue: str, exchange: str) -> None:
    await (await channel.get_queue(queue, ensure=False)).bind(exchange, routing_key="#")


def test_the_definitions_give_each_user_least_privilege(servers: Servers, tmp_path: Path) -> None:
    passwords = _write_secrets(tmp_path / "secrets")
    with _broker_users(servers, tmp_path / "secrets") as (amqp_url, names):
        async def check() -> None:
            guest = await aio_pika.connect(amqp_url)
            async with guest:  # the definitions match the topology's arguments exactly (else PRECONDITION_FAILED)
                await declare_topology(await guest.channel())
            for service in CONSUMING_SERVICES:
                url = _user_url(amqp_url, names[service], passwords[f"rabbitmq_{service}_password"])
                await _service_user_may_only_do_its_own_work(url, service)
            await _external_user_only_reads_public_events(
                _user_url(amqp_url, names[EXTERNAL], passwords[f"rabbitmq_{EXTERNAL}_password"]))

        asyncio.run(check())


@contextmanager
def _database_roles(servers: Servers, secrets_path: Path) -> Iterator[str]:
    """The compose init script run against the test server with a private prefix; yields the prefix."""
    prefix, server = f"hami_compose_{uuid.uuid4().hex[:8]}_", urlsplit(servers.database_url)
    env = {**os.environ, "POSTGRES_USER": server.username or "postgres", "PGHOST": server.hostname or "127.0.0.1",
           "PGPORT": str(server.port or 5432), "HAMI_POSTGRES_SECRETS_DIR": str(secrets_path),
           "HAMI_DATABASE_PREFIX": prefix}
    if server.password:
        env["PGPASSWORD"] = server.password
    try:
        subprocess.run(["sh", str(ROOT / "deploy" / "postgres" / "init-databases.sh")], env=env, check=True,
                       capture_output=True)
        yield prefix
    finally:
        asyncio.run(_drop(servers, prefix))


async def _drop(servers: Servers, prefix: str) -> None:
    await drop_databases(servers, prefix)
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        for name in SERVICES:
            await connection.execute(f'DROP ROLE IF EXISTS "{prefix}{name}"')
            await connection.execute(f'DROP ROLE IF EXISTS "{prefix}{name}_app"')
    finally:
        await connection.close()


def _dsn(servers: Servers, role: str, password: str) -> str:
    server = urlsplit(servers.database_url)
    return f"postgresql://{quote(role, safe='')}:{quote(password, safe='')}@{server.hostname}:{server.port or 5432}"


def test_each_service_role_owns_only_its_own_database(servers: Servers, tmp_path: Path) -> None:
    passwords = _write_secrets(tmp_path / "secrets")
    with _database_roles(servers, tmp_path / "secrets") as prefix:
        async def check() -> None:
            for name in SERVICES:
                other = next(n for n in SERVICES if n != name)
                for role, may_create in ((f"{prefix}{name}", True), (f"{prefix}{name}_app", False)):
                    dsn = _dsn(servers, role, passwords[f"postgres_{name}{role.removeprefix(prefix + name)}_password"])
                    connection = await asyncpg.connect(f"{dsn}/{prefix}{name}")
                    try:
                        found = await connection.fetchrow("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles "
                                                          "WHERE rolname = current_user")
                        assert not any(found.values()), found
                        if may_create:
                            await connection.execute("CREATE TABLE owned (id int)")  # the owner: its schema
                        else:
                            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # the runtime role: nothing
                                await connection.execute("CREATE TABLE mine (id int)")
                    finally:
                        await connection.close()
                    with pytest.raises(asyncpg.InsufficientPrivilegeError):
                        await asyncpg.connect(f"{dsn}/{prefix}{other}")

        asyncio.run(check())


def _migrate_as_compose(document: dict, prefix: str, work_dir: Path) -> None:
    """The compose migrate step itself, run here: its command, environment and secrets, the hosts mapped."""
    step = document["services"]["migrate"]
    secrets_dir = work_dir / "run-secrets-migrate"
    secrets_dir.mkdir()
    for target, source in service_secrets(document, "migrate").items():
        (secrets_dir / target).write_bytes(source.read_bytes())
    env = {**os.environ, **step["environment"], "HAMI_SECRETS_DIR": str(secrets_dir)}
    for name in SERVICES:
        owner = urlsplit(env[f"HAMI_{name.upper()}_MIGRATION_DATABASE_URL"])
        env[f"HAMI_{name.upper()}_MIGRATION_DATABASE_URL"] = \
            f"{owner.scheme}://{prefix}{name}@127.0.0.1:5432/{prefix}{name}"
        role = env[f"HAMI_{name.upper()}_RUNTIME_ROLE"]
        env[f"HAMI_{name.upper()}_RUNTIME_ROLE"] = f"{prefix}{role.removeprefix('hami_')}"
    assert step["command"][:3] == ["python", "-m", "ops.cli"], step["command"]
    done = subprocess.run([sys.executable, *step["command"][1:]], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_migrate_step_leaves_the_runtime_roles_unable_to_touch_the_ledgers_guard(
        servers: Servers, tmp_path: Path) -> None:
    passwords = _write_secrets(tmp_path / "secrets")
    document = load_compose({**REQUIRED, "HAMI_SECRETS_PATH": str(tmp_path / "secrets")})
    with _database_roles(servers, tmp_path / "secrets") as prefix:
        _migrate_as_compose(document, prefix, tmp_path)

        async def check() -> None:
            runtime = f"{_dsn(servers, f'{prefix}registry_app', passwords['postgres_registry_app_password'])}/" \
                      f"{prefix}registry"
            assert await owned_by(runtime) == []
            connection = await asyncpg.connect(runtime)
            try:
                await connection.fetchval("SELECT count(*) FROM ledger")
                for statement in ("DROP TRIGGER ledger_no_update_or_delete ON ledger",
                                  "ALTER TABLE ledger DISABLE TRIGGER USER", "UPDATE ledger SET hash = hash",
                                  "DELETE FROM ledger", "TRUNCATE ledger", "DELETE FROM ledger_checkpoints"):
                    with pytest.raises(asyncpg.InsufficientPrivilegeError):
                        await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(check())


def _local_env(document: dict, name: str, *, amqp_url: str, users: dict[str, str], prefix: str,
               ports: dict[str, int], secrets_dir: Path) -> dict[str, str]:
    """What compose gives the container (.env, environment, /run/secrets), with the hosts mapped here."""
    env = {**env_file(ROOT / ".env.example"), **REQUIRED, **document["services"][name]["environment"]}
    secrets_dir.mkdir()
    for target, source in service_secrets(document, name).items():
        (secrets_dir / target).write_bytes(source.read_bytes())
    local = urlsplit(amqp_url)
    assert urlsplit(env["HAMI_AMQP_URL"]).username == name
    env["HAMI_AMQP_URL"] = f"amqp://{users[name]}@{local.hostname}:{local.port or 5672}{local.path}"
    database = urlsplit(env["HAMI_DATABASE_URL"])
    assert database.username == f"hami_{name}_app" and database.path.lstrip("/") == f"hami_{name}"
    env["HAMI_DATABASE_URL"] = f"{database.scheme}://{prefix}{name}_app@127.0.0.1:5432/{prefix}{name}"
    env.update(HAMI_SECRETS_DIR=str(secrets_dir), HAMI_REGISTRY_URL=f"http://127.0.0.1:{ports['registry']}",
               HAMI_HTTP_PORT=str(ports[name]), HAMI_HTTP_HOST="127.0.0.1")
    return env


def _check_docs_behind_the_proxy(ports: dict[str, int], work_dir: Path) -> None:
    """With compose's HAMI_SITE_URLS each service's /docs, reached through the proxy's Caddyfile, asks for its
    openapi.json under its own path, and gets it there."""
    with caddy_proxy({name: f"127.0.0.1:{port}" for name, port in ports.items()}, work_dir) as origin:
        for name, prefix in PREFIXES.items():
            docs = httpx.get(f"{origin}{prefix}/docs", timeout=10)
            assert docs.status_code == 200 and f"url: '{prefix}/openapi.json'" in docs.text, (name, docs.text)
            spec = httpx.get(f"{origin}{prefix}/openapi.json", timeout=10)
            assert spec.status_code == 200 and spec.json()["paths"], name
            if prefix:  # "Try it out" calls go through the proxy too
                assert spec.json()["servers"] == [{"url": prefix}], name


def test_each_service_runs_with_its_compose_environment_and_own_users(servers: Servers, tmp_path: Path) -> None:
    _write_secrets(tmp_path / "secrets")
    document = load_compose({**REQUIRED, "HAMI_SECRETS_PATH": str(tmp_path / "secrets")})
    with _broker_users(servers, tmp_path / "secrets") as (amqp_url, users), \
            _database_roles(servers, tmp_path / "secrets") as prefix:
        _migrate_as_compose(document, prefix, tmp_path)
        ports, processes = {name: free_port() for name in SERVICES}, []
        try:
            for name in SERVICES:
                command = document["services"][name]["command"]
                assert command[0] == "python", command
                env = _local_env(document, name, amqp_url=amqp_url, users=users, prefix=prefix, ports=ports,
                                 secrets_dir=tmp_path / f"run-secrets-{name}")
                process = ServiceProcess(name, env, log_path=tmp_path / f"{name}.log",
                                         command=[sys.executable, *command[1:]])
                process.start()
                processes.append(process)
            for process in processes:
                process.wait_ready(timeout=90)
            _check_docs_behind_the_proxy(ports, tmp_path / "proxy")
            started = time.monotonic()
            for process in processes:  # SIGTERM, as compose stops them: a clean shutdown within the grace period
                # uvicorn finishes its shutdown, then re-raises the signal it caught.
                assert process.stop(timeout=45) in (0, -signal.SIGTERM), process.log_tail()
                assert "Application shutdown complete" in process.log_tail(5), process.log_tail()
            assert time.monotonic() - started < 50
        finally:
            for process in processes:
                process.stop()
