"""Hostile input never yields a 5xx from notifications (issue #11, item 7), and a refusal changes nothing: NUL bytes,
lone surrogates and control characters in any text (templates, webhook names, opt-out addresses, the ledger's
filters), integers past PostgreSQL's range in queries and pages, addresses longer than any index takes, and template
previews that would take too long or too much (refused within a budget while the service keeps answering)."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from tests.support import notify_stack as stacks
from tests.support.notify_helpers import central
from tests.support.notify_stack import NotifyStack

notify_stack = stacks.notify_stack
TEMPLATE = "/templates/work_not_advanced/sms"  # no other test saves it: it stays the default throughout
BIG = str(2**63)  # one past PostgreSQL's bigint
HOSTILE_TEXT = {"NUL": "سلام\x00دنیا", "lone surrogate": "سلام\ud800", "escape": "سلام\x1b[31m"}
# Refusals of a parameter's form: the route's schema (invalid_input) or, before any route, the request guard.
FORM_REFUSALS = {"invalid_input", "invalid_characters"}


@pytest.fixture(scope="module")
def staff(notify_stack: NotifyStack) -> dict[str, str]:
    """City-wide staff's headers, signed in once for the module."""
    return central(notify_stack)


def refused(response: httpx.Response, codes: set[str] = FORM_REFUSALS) -> str:
    """The refusal's code, after checking it is a 4xx in the common error shape with one of `codes`."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    code = response.json()["error"]["code"]
    assert code in codes, response.text[:300]
    return code


def json_body(payload: dict) -> bytes:
    """A JSON body with every character outside ASCII as a \\u escape (a lone surrogate can be sent no other way)."""
    return json.dumps(payload).encode()


def count(stack: NotifyStack, path: str, headers: dict) -> int:
    """How many items a staff listing holds."""
    response = httpx.get(f"{stack.url}{path}", headers=headers, params={"limit": 1000}, timeout=10)
    assert response.status_code == 200, response.text
    return len(response.json())


@pytest.mark.parametrize("kind", list(HOSTILE_TEXT))
def test_control_characters_in_any_text_are_refused_and_change_nothing(
        notify_stack: NotifyStack, staff: dict[str, str], kind: str) -> None:
    headers, url = staff, notify_stack.url
    text = HOSTILE_TEXT[kind]
    webhooks_before = count(notify_stack, "/webhooks", headers)
    for method, path, payload in (
            ("PUT", TEMPLATE, {"text": text}),
            ("POST", f"{TEMPLATE}/preview", {"text": text}),
            ("PUT", "/templates/work_not_advanced/email", {"subject": text, "text": "متن"}),
            ("POST", "/webhooks", {"name": text, "url": "http://127.0.0.1:9/h", "patterns": ["#"]}),
            ("POST", "/webhooks", {"name": "سامانه", "url": f"http://127.0.0.1:9/{text}", "patterns": ["#"]}),
            ("POST", "/webhooks", {"name": "سامانه", "url": "http://127.0.0.1:9/h", "patterns": ["#"],
                                   "secret": text * 8}),
    ):
        response = httpx.request(method, f"{url}{path}", content=json_body(payload), timeout=10,
                                 headers={**headers, "Content-Type": "application/json"})
        refused(response)
    assert httpx.get(f"{url}{TEMPLATE}", headers=headers).json()["customised"] is False
    assert count(notify_stack, "/webhooks", headers) == webhooks_before


@pytest.mark.parametrize("value", ["a\x00b@example.org", "a\x1bb@example.org", "\x00"])
def test_control_characters_in_addresses_and_filters_are_refused(
        notify_stack: NotifyStack, staff: dict[str, str], value: str) -> None:
    headers, url = staff, notify_stack.url
    opt_outs = count(notify_stack, "/opt-outs", headers)
    quoted = f"/opt-outs/email/{quote(value, safe='@')}"
    refused(httpx.put(f"{url}{quoted}", headers=headers))
    refused(httpx.delete(f"{url}{quoted}", headers=headers))
    for name in ("recipient", "status", "channel", "event_type", "rule"):
        refused(httpx.get(f"{url}/deliveries", headers=headers, params={name: value}))
    assert count(notify_stack, "/opt-outs", headers) == opt_outs


def test_numbers_past_the_databases_range_are_refused(notify_stack: NotifyStack, staff: dict[str, str]) -> None:
    headers, url = staff, notify_stack.url
    for path in ("/deliveries", "/inbox", "/opt-outs"):
        for params in ({"offset": BIG}, {"offset": "1" + "0" * 40}, {"offset": "-1"}, {"limit": BIG},
                       {"limit": "0"}):
            refused(httpx.get(f"{url}{path}", headers=headers, params=params))
        assert httpx.get(f"{url}{path}", headers=headers, params={"offset": 2**31 - 1}).json() == []
    for page in (BIG, "9" * 5000, "۹" * 5000, "-3", "x"):  # the inbox page shows the first (or last) page
        response = httpx.get(f"{url}/staff/inbox", headers=headers, params={"page": page})
        assert response.status_code == 200, (page[:20], response.status_code)


def test_an_address_no_index_takes_and_one_that_is_no_address_are_refused(
        notify_stack: NotifyStack, staff: dict[str, str]) -> None:
    headers, url = staff, notify_stack.url
    before = count(notify_stack, "/opt-outs", headers)
    refused(httpx.put(f"{url}/opt-outs/email/{'a' * 3000}@example.org", headers=headers))
    assert refused(httpx.put(f"{url}/opt-outs/email/no-at-sign", headers=headers), {"invalid_email"})
    assert refused(httpx.put(f"{url}/opt-outs/sms/0912", headers=headers), {"invalid_mobile"})
    refused(httpx.post(f"{url}/webhooks", headers=headers, json={
        "name": "سامانه", "url": "http://127.0.0.1:99999/h", "patterns": ["#"]}))
    assert count(notify_stack, "/opt-outs", headers) == before


COSTLY = {
    "a billion steps": "{% for i in range(10**9) %}x{% endfor %}",
    "a gigabyte string": "{{ 'x' * 10**9 }}",
    "ten billion silent steps": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("text", list(COSTLY.values()), ids=list(COSTLY))
def test_a_costly_template_is_refused_quickly_and_nothing_is_saved(
        notify_stack: NotifyStack, staff: dict[str, str], text: str) -> None:
    headers, url = staff, f"{notify_stack.url}{TEMPLATE}"
    for method, path in (("POST", f"{url}/preview"), ("PUT", url)):
        started = time.monotonic()
        response = httpx.request(method, path, headers=headers, json={"text": text}, timeout=30)
        assert time.monotonic() - started < 2.0, method
        assert refused(response, {"template_too_costly"})
        assert response.json()["error"]["message_fa"]
    assert httpx.get(url, headers=headers).json()["customised"] is False


def test_the_service_answers_while_a_costly_preview_runs(notify_stack: NotifyStack, staff: dict[str, str]) -> None:
    headers, url = staff, notify_stack.url
    started = threading.Event()

    def costly() -> httpx.Response:
        started.set()
        return httpx.post(f"{url}{TEMPLATE}/preview", headers=headers, timeout=30,
                          json={"text": COSTLY["ten billion silent steps"]})
    with ThreadPoolExecutor(1) as pool:
        preview = pool.submit(costly)
        started.wait()
        time.sleep(0.1)  # the preview is on its way
        answers = []
        while not preview.done():
            before = time.monotonic()
            assert httpx.get(f"{url}/health/live", timeout=5).status_code == 200
            answers.append(time.monotonic() - before)
            time.sleep(0.05)
        assert refused(preview.result(), {"template_too_costly"})
    assert len(answers) >= 2 and max(answers) < 1.0, answers
