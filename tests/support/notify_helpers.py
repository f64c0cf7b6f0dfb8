"""Helpers of the notifications end-to-end tests: intake, the ledger over HTTP, waiting for deliveries."""

import time
import uuid

import httpx

from shared.contracts.evaluation import WorkAdvanced
from tests.support.bus import publish_event
from tests.support.notify_stack import NotifyStack
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.system import bearer, run


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    """Poll until the predicate returns something truthy; fail with a message after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    raise AssertionError(f"{what} not met within {timeout}s")


def central(stack: NotifyStack) -> dict[str, str]:
    """Headers of a central secretariat staff member (city-wide)."""
    token = stack.system.account_token("central.notify", "central-secretariat", "staff", "کارشناس دبیرخانه مرکزی")
    return bearer(token)


def deliveries(stack: NotifyStack, **params) -> list[dict]:
    """The ledger as city-wide staff read it."""
    response = httpx.get(f"{stack.url}/deliveries", params={"limit": 500, **params}, headers=central(stack),
                         timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def submit(stack: NotifyStack, category: str = "welfare", **submitter) -> dict:
    """A work received in district 7 from a new citizen (name, national_id, mobile overridable)."""
    system = stack.system
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    body = work_body(7, category=category)
    body["submitter"] = {**body["submitter"], **submitter}
    token = system.district_staff_token(7)
    response = httpx.post(f"{system.url('submissions')}/works", json=body, headers=bearer(token), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def rows_for(stack: NotifyStack, *, event_id: str | None = None, recipient: str | None = None,
             **filters) -> list[dict]:
    """Ledger rows of one event or recipient."""
    return deliveries(stack, **{k: v for k, v in {"event_id": event_id, "recipient": recipient, **filters}.items()
                                if v is not None})


def wait_status(stack: NotifyStack, status: str, timeout: float = 30.0, **filters) -> list[dict]:
    """Wait until every matching row (at least one) has the status."""
    def done() -> list[dict]:
        rows = rows_for(stack, **filters)
        return rows if rows and all(row["status"] == status for row in rows) else []
    return wait_until(done, timeout, what=f"rows {filters} {status}")


def register_person(stack: NotifyStack, *, name: str, mobile: str | None = None, email: str | None = None) -> str:
    """Register a person at registry as the festival secretary; returns the person id."""
    response = httpx.post(f"{stack.system.url('registry')}/people", headers=bearer(stack.system.token()),
                          json={"name": name, "mobile": mobile, "email": email}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def advance(stack: NotifyStack, work: dict, *, message_id: str | None = None,
            event: WorkAdvanced | None = None) -> WorkAdvanced:
    """Publish that a work advanced from its district round, as evaluation would."""
    event = event or WorkAdvanced(work_id=uuid.UUID(work["id"]), round_id=uuid.uuid4(), tier=1, district=7,
                                  category=work["category"], rank=1)
    run(publish_event(stack.system.amqp_url, event, message_id=message_id))
    return event


def sms_to(stack: NotifyStack, mobile: str) -> list[dict]:
    """Texts the gateway double accepted for a mobile (09...)."""
    return [m for m in stack.sms.received() if m["to"] == "+98" + mobile[1:]]


def account(stack: NotifyStack, body: str, role: str, *, name: str, email: str | None = None,
            phone: str | None = None) -> tuple[dict[str, str], str]:
    """A new staff account appointed to a body, with contact details: (auth headers, person id)."""
    username = f"n.{uuid.uuid4().hex[:10]}"
    response = httpx.post(f"{stack.system.url('registry')}/accounts", headers=bearer(stack.system.token()), json={
        "username": username, "password": "notify-staff-password", "name": name, "email": email, "mobile": phone,
        "memberships": [{"body": body, "role": role}]}, timeout=10)
    assert response.status_code == 201, response.text
    return bearer(stack.system.token(username, "notify-staff-password")), response.json()["person_id"]


def publish(stack: NotifyStack, event) -> None:
    """Publish a contract as its owner would."""
    run(publish_event(stack.system.amqp_url, event))


def items(stack: NotifyStack, headers: dict, event_type: str) -> list[dict]:
    """Wait for inbox items of an event type."""
    return wait_until(lambda: [i for i in inbox(stack, headers) if i["event_type"] == event_type],
                      what=f"{event_type} in the inbox")


def inbox(stack: NotifyStack, headers: dict, **params) -> list[dict]:
    """The caller's own inbox."""
    response = httpx.get(f"{stack.url}/inbox", headers=headers, params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()
