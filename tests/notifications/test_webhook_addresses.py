"""Webhooks cannot reach inside, over HTTP against the running service (issue #11, item 6): a URL whose host is a
number in disguise is refused at registration with a stable code even where development lets webhooks reach this
machine, and a redirect is never followed (not even to this machine's own receiver) and counts as a failure
recorded by its status alone. The address check with the production policy is in usecases/test_webhook_targets.py.
"""

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from shared.contracts.submissions import PublicWorkStatusChanged
from tests.support import notify_stack as stacks
from tests.support.bus import publish_event
from tests.support.notify_helpers import central, rows_for, wait_until
from tests.support.notify_stack import NotifyStack
from tests.support.system import run

notify_stack = stacks.notify_stack
DISTRICT = 21  # no other test publishes anything about district 21


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "017700000001", "0x7f000001", "127.1"])
def test_a_host_written_as_a_number_is_refused_and_nothing_is_stored(notify_stack: NotifyStack, host: str) -> None:
    headers = central(notify_stack)
    before = httpx.get(f"{notify_stack.url}/webhooks", headers=headers).json()
    response = httpx.post(f"{notify_stack.url}/webhooks", headers=headers, json={
        "name": "سامانه", "url": f"http://{host}:{notify_stack.hooks.port}/hooks", "patterns": ["#"]})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "webhook_target_not_allowed" and error["message_fa"] and error["message_en"]
    assert httpx.get(f"{notify_stack.url}/webhooks", headers=headers).json() == before


def test_a_redirect_is_not_followed_and_the_failure_is_recorded_by_its_status(notify_stack: NotifyStack) -> None:
    headers, hooks = central(notify_stack), notify_stack.hooks
    inside = f"/hooks/inside-{uuid.uuid4().hex[:8]}"
    hook = httpx.post(f"{notify_stack.url}/webhooks", headers=headers, json={
        "name": "گیرندهٔ بازگرداننده", "url": f"{hooks.url}/redirect?to={hooks.url}{inside}",
        "patterns": [f"submissions.work.status_changed.d{DISTRICT}"]})
    assert hook.status_code == 201, hook.text
    event = PublicWorkStatusChanged(work_id=uuid.uuid4(), district=DISTRICT, category="welfare", status="shortlisted",
                                    previous_status="received", at=datetime.now(UTC))

    run(publish_event(notify_stack.system.amqp_url, event))

    recipient = f"webhook:{hook.json()['id']}"
    [row] = wait_until(lambda: [r for r in rows_for(notify_stack, recipient=recipient) if r["last_error"]],
                       what="a failed attempt recorded")
    httpx.delete(f"{notify_stack.url}/webhooks/{hook.json()['id']}", headers=headers).raise_for_status()
    assert "endpoint answered HTTP 307 Temporary Redirect (redirects are not followed)" in row["last_error"]
    assert row["status"] in ("failed", "dead")
    received = hooks.received()
    assert any(r.get("redirected") and r["body"]["event"]["work_id"] == str(event.work_id) for r in received)
    assert not any(r["path"].startswith(inside) for r in received), "the redirect was followed"
