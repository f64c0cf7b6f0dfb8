"""Test helpers moved out of test_reliability.py so no test module imports another."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from tests.support.system import STAFF_PASSWORD, System, bearer


def times_projected(system: System, work_id: str) -> int:
    """How many times evaluation holds the work (must end at exactly 1)."""
    return count(system, "evaluation", "SELECT count(*) FROM works WHERE work_id = $1", uuid.UUID(work_id))


def evaluation(system: System, method: str, path: str, token: str, body: dict | None = None) -> httpx.Response:
    """Call evaluation as someone."""
    return httpx.request(method, f"{system.url('evaluation')}{path}", json=body, headers=bearer(token), timeout=30)


def appoint_account(system: System, appointer: str, username: str, body: str, role: str, mobile: str) -> str:
    """An account appointed to a body by someone allowed to; returns its token."""
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(appointer), json={
        "username": username, "password": STAFF_PASSWORD, "name": f"داور {username}", "mobile": mobile,
        "memberships": [{"body": body, "role": role}]})
    assert response.status_code in (201, 409), response.text
    return system.token(username, STAFF_PASSWORD)


def projected(system: System, query: str, *args) -> int:
    """A count from evaluation's database."""
    return asyncio.run(system.fetchval("evaluation", query, *args))


def council_decides(system: System, parameters: dict) -> None:
    """The council chair issues an actionable decision to every district."""
    chair = system.account_token("chair.council", "policy-council", "chair")
    response = httpx.post(f"{system.url('registry')}/decisions", headers=bearer(chair), json={
        "title": "مصوبه داوری", "text": "متن مصوبه", "issuing_body": "policy-council", "kind": "actionable",
        "all_districts": True, "ack_deadline_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        "parameters": parameters})
    assert response.status_code == 201, response.text


def count(system: System, service: str, query: str, *args: object) -> int:
    """A count from a service's database."""
    return asyncio.run(system.fetchval(service, query, *args))
