"""A service whose database or broker goes away answers 503 with Retry-After and the common refusal (a Persian
page for browsers), never 500; /health/ready names what is missing; all comes back with the server. The servers
are taken away through a TCP link for this one service, so the shared PostgreSQL and RabbitMQ keep running."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from shared.launcher import SERVICES, ServiceProcess, service_env
from tests.support.link import Link, link_to
from tests.support.servers import Servers
from tests.support.system import drop_databases, free_port
from tests.support.waiting import wait_for


def through(url: str, link: Link) -> str:
    """The same URL reaching its server through the link."""
    parts = urlsplit(url)
    netloc = f"{parts.netloc.rsplit('@', 1)[0]}@127.0.0.1:{link.port}" if "@" in parts.netloc else \
        f"127.0.0.1:{link.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def readiness(url: str) -> httpx.Response:
    """The service's /health/ready answer."""
    return httpx.get(f"{url}/health/ready", timeout=10)


def assert_unavailable(response: httpx.Response) -> None:
    """503, Retry-After of a few seconds, and the stable code."""
    assert response.status_code == 503, (response.status_code, response.text[:500])
    assert 0 < int(response.headers["retry-after"]) <= 30
    assert "service_unavailable" in response.text


@pytest.fixture
def submissions(servers: Servers, amqp_url: str, tmp_path: Path) -> Iterator[tuple[ServiceProcess, Link, Link]]:
    """Submissions alone, on a database of its own, reaching PostgreSQL and RabbitMQ through links (it migrates
    directly: only the running service's connections go through the link)."""
    database, broker = urlsplit(servers.database_url), urlsplit(amqp_url)
    prefix = f"hami_u{uuid.uuid4().hex[:8]}_"
    with link_to(database.hostname, database.port or 5432) as pg, link_to(broker.hostname, broker.port or 5672) as mq:
        env = service_env("submissions", database_server=servers.database("postgres").rsplit("/", 1)[0],
                          amqp_url=through(amqp_url, mq), ports={name: free_port() for name in SERVICES},
                          database_prefix=prefix, extra={"HAMI_LOG_JSON": "true"})
        env["HAMI_DATABASE_URL"] = through(env["HAMI_DATABASE_URL"], pg)
        process = ServiceProcess("submissions", env, log_path=tmp_path / "submissions.log")
        process.start()
        try:
            process.wait_ready(timeout=90)
            yield process, pg, mq
        finally:
            process.stop()
            asyncio.run(drop_databases(servers, prefix))


def test_without_its_database_a_service_answers_503_and_recovers(submissions) -> None:
    process, pg, _ = submissions
    url = process.url
    assert httpx.get(f"{url}/editions/1399").status_code == 404

    pg.cut()
    try:
        assert_unavailable(httpx.get(f"{url}/editions/1399"))
        tracked = httpx.post(f"{url}/track", json={"code": "1234-5678-9012", "mobile": "09121234567"})
        assert_unavailable(tracked)
        assert tracked.json()["error"]["details"]["dependency"] == "database"
        assert tracked.json()["error"]["message_fa"] and tracked.json()["error"]["message_en"]
        page = httpx.get(f"{url}/festival", headers={"accept": "text/html"})
        assert_unavailable(page)
        assert page.headers["content-type"].startswith("text/html")
        assert "دوباره تلاش کنید" in page.text and "Traceback" not in page.text
        ready = readiness(url)
        assert ready.status_code == 503 and ready.json()["missing"] == ["database"], ready.text
        assert ready.json()["checks"]["database"] is False
    finally:
        pg.restore()

    wait_for(lambda: readiness(url).status_code == 200, timeout=30)
    assert httpx.get(f"{url}/editions/1399").status_code == 404
    assert httpx.get(f"{url}/festival").status_code == 200
    logged = [line for line in process.log_tail(400).splitlines() if "request.dependency_unreachable" in line]
    assert any('"path": "/festival"' in line for line in logged), logged  # the page's 503 is logged as well


def test_without_its_broker_a_service_says_so_and_still_takes_requests(submissions) -> None:
    process, _, mq = submissions
    url = process.url
    mq.cut()
    try:
        # Requests only write to the database (the outbox): they go on while the broker is away.
        missing = wait_for(lambda: (r := readiness(url)).status_code == 503 and r.json()["missing"], timeout=30)
        assert "broker" in missing, missing
        assert "database" not in missing
        assert httpx.get(f"{url}/editions/1399").status_code == 404
        assert httpx.get(f"{url}/festival").status_code == 200
    finally:
        mq.restore()
    wait_for(lambda: readiness(url).status_code == 200, timeout=60)
