"""Fixtures for the integration and end-to-end tests: real servers, a private vhost, the four services."""

import asyncio

import pytest

from tests.support.browser import chromium
from tests.support.external import external_user
from tests.support.scratch_db import rolled_back
from tests.support.servers import Servers, private_vhost, provide_servers
from tests.support.system import System, drop_databases, start_system


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/ except a `unit` folder (tests/<service>/unit, tests/shared/unit) talks to the real
    servers."""
    for item in items:
        if "/unit/" not in str(item.path) and "/tests/" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def servers() -> Servers:
    """The RabbitMQ and PostgreSQL servers (environment, testcontainers, or a clear failure)."""
    try:
        with provide_servers() as found:
            yield found
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def amqp_url(servers: Servers) -> str:
    """AMQP URL of a vhost private to this test run."""
    with private_vhost(servers) as url:
        yield url


@pytest.fixture(scope="session")
def system(servers: Servers, amqp_url: str, tmp_path_factory: pytest.TempPathFactory) -> System:
    """The four services running as processes, ready."""
    running = start_system(servers, amqp_url, tmp_path_factory.mktemp("logs"))
    yield running
    running.stop()
    asyncio.run(drop_databases(servers, running.prefix))


@pytest.fixture
def external_url(servers: Servers, system: System) -> str:
    """AMQP URL of a read-only external user: own `ext.*` queues, read on hami.public only."""
    if not servers.local_broker:
        pytest.fail("this test creates a RabbitMQ user with rabbitmqctl; use a local broker")
    with external_user(system.amqp_url) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's package) for a module of page tests. Per module, not per session: Playwright's
    sync API keeps an event loop running in this thread while it is open, which later asyncio.run calls and
    async tests of other modules cannot share."""
    with chromium() as running:
        yield running


@pytest.fixture
def context(browser):
    """A browser with no cookies yet, in Persian, closed after the test."""
    opened = browser.new_context(locale="fa-IR")
    yield opened
    opened.close()


@pytest.fixture
async def conn(service_engine):
    """A connection inside a transaction rolled back after the test, on the database of the service whose use
    cases are tested (each tests/<service>/usecases/conftest.py provides `service_engine`)."""
    async with rolled_back(service_engine) as connection:
        yield connection
