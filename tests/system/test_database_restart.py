"""PostgreSQL restarted under the running services: while it is down they answer 503 (never 500) and say what is
missing; afterwards they reconnect, consumers resume, nothing lost or doubled."""

import asyncio
import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import times_projected
from tests.support.submissions import ensure_open_call, submit, work_body
from tests.support.system import System
from tests.support.waiting import wait_for


def cluster(action: str) -> None:
    """Stop or start the local PostgreSQL cluster."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True, timeout=120)


def test_services_recover_from_a_database_restart(system: System) -> None:
    if not shutil.which("pg_ctlcluster") or "127.0.0.1" not in system.servers.database_url:
        pytest.fail("this test restarts the local PostgreSQL with pg_ctlcluster; point HAMI_TEST_DATABASE_URL at it")
    ensure_open_call(system)
    staff = system.district_staff_token(7)
    during = WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=7, neighbourhood="محله",
                          category="welfare", title="اثر در زمان قطعی", submitter_name="علی رضایی",
                          submitter_national_id="0499370899", submitter_mobile="09121234567")
    cluster("stop")
    try:
        asyncio.run(publish_event(system.amqp_url, during))  # consumers cannot apply it yet: they retry
        refused_while_down(system, staff)
        asyncio.run(asyncio.sleep(2))
    finally:
        cluster("start")

    for process in system.processes.values():
        process.wait_ready(timeout=60)
    wait_for(lambda: times_projected(system, str(during.work_id)) == 1, timeout=60)
    after = submit(system, staff, work_body(7))
    assert after.status_code == 201, after.text
    wait_for(lambda: times_projected(system, after.json()["id"]) == 1, timeout=30)
    assert times_projected(system, str(during.work_id)) == 1


def refused_while_down(system: System, staff: str) -> None:
    """With PostgreSQL stopped: a JSON request and a page each get 503, Retry-After and the stable code, and every
    service's /health/ready names the database."""
    submitted = submit(system, staff, work_body(7))
    page = httpx.get(f"{system.url('evaluation')}/festival/results", headers={"accept": "text/html"}, timeout=30)
    for response in (submitted, page):
        assert response.status_code == 503, (response.request.url, response.status_code, response.text[:500])
        assert 0 < int(response.headers["retry-after"]) <= 30
        assert "service_unavailable" in response.text
    assert submitted.json()["error"]["message_fa"] and submitted.json()["error"]["message_en"]
    assert page.headers["content-type"].startswith("text/html") and "دوباره تلاش کنید" in page.text
    for name in system.processes:
        ready = httpx.get(f"{system.url(name)}/health/ready", timeout=30)
        assert ready.status_code == 503 and "database" in ready.json()["missing"], (name, ready.text)
