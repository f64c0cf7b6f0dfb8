"""Helpers of the notifications administration page tests: city-wide staff signed in through the sign-in form, a
work received in a district no other notifications test uses (so only this module's webhooks hear of it), the JSON
side to check what the pages did, and the CSRF pair a plain HTTP client needs to post a page's form."""

import secrets
import uuid

import httpx
from playwright.sync_api import Browser, BrowserContext, Page

from shared.web.session import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE
from tests.support.notify_helpers import wait_until
from tests.support.notify_stack import NotifyStack
from tests.support.registry_pages import sign_in
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.system import STAFF_PASSWORD, bearer

DISTRICT = 19
ADMIN = ("modir.payamha", "central-secretariat", "staff", "نرگس صالحی")
ROUTING_PATTERN = f"submissions.work.received.d{DISTRICT:02d}"


def admin_token(stack: NotifyStack) -> str:
    """The central secretariat's staff member who administers notifications (created once), signed in."""
    username, body, role, name = ADMIN
    return stack.system.account_token(username, body, role, name)


def signed_in_page(browser: Browser, stack: NotifyStack, *, javascript: bool = True) -> tuple[BrowserContext, Page]:
    """A browser that signed in as the administrator through registry's sign-in form, at the templates page."""
    admin_token(stack)
    context = browser.new_context(java_script_enabled=javascript, locale="fa-IR")
    page = context.new_page()
    page.goto(f"{stack.url}/admin/templates")  # sends the browser to sign in, then back here
    sign_in(page, ADMIN[0], STAFF_PASSWORD)
    page.wait_for_url(f"{stack.url}/admin/templates")
    return context, page


def receive_work(stack: NotifyStack) -> dict:
    """A work received in district 19: its public event reaches the webhooks listening for that district."""
    system = stack.system
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    response = httpx.post(f"{system.url('submissions')}/works", json=work_body(DISTRICT),
                          headers=bearer(system.district_staff_token(DISTRICT)), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def api(stack: NotifyStack, path: str, **params: object) -> object:
    """A JSON read as the administrator."""
    response = httpx.get(f"{stack.url}{path}", params=params, headers=bearer(admin_token(stack)), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def webhook_rows(stack: NotifyStack, webhook_id: str) -> list[dict]:
    """The ledger's rows of one webhook."""
    return api(stack, "/deliveries", channel="webhook", recipient=f"webhook:{webhook_id}", limit=500)


def wait_for_webhook_rows(stack: NotifyStack, webhook_id: str, status: str) -> list[dict]:
    """Wait until the webhook has rows and all of them have the status."""
    def done() -> list[dict]:
        rows = webhook_rows(stack, webhook_id)
        return rows if rows and all(r["status"] == status for r in rows) else []
    return wait_until(done, timeout=60, what=f"webhook {webhook_id} rows {status}")


def disable_quietly(stack: NotifyStack, webhook_id: str) -> None:
    """Disable a webhook this module registered (other modules share the stack and must not hear of ours)."""
    httpx.delete(f"{stack.url}/webhooks/{webhook_id}", headers=bearer(admin_token(stack)), timeout=10)


def reset_template(stack: NotifyStack, rule: str, channel: str) -> None:
    """Back to the default template (other modules check the default texts)."""
    response = httpx.delete(f"{stack.url}/templates/{rule}/{channel}", headers=bearer(admin_token(stack)),
                            timeout=10)
    assert response.status_code == 200, response.text


class PageClient:
    """A plain HTTP client with a session cookie and a CSRF pair, for what no form offers (hostile input)."""

    def __init__(self, stack: NotifyStack, token: str) -> None:
        self.csrf = secrets.token_urlsafe(32)  # the pages accept a CSRF token of 32 characters or more
        self.http = httpx.Client(base_url=stack.url, timeout=30, follow_redirects=False,
                                 cookies={SESSION_COOKIE: token, CSRF_COOKIE: self.csrf})

    def get(self, path: str, **params: object) -> httpx.Response:
        """A page."""
        return self.http.get(path, params=params)

    def post(self, path: str, form: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        """A form post (with the CSRF field unless told otherwise)."""
        return self.http.post(path, data={**form, **({CSRF_FIELD: self.csrf} if csrf else {})})


def unknown_id() -> str:
    """An id nothing has."""
    return str(uuid.uuid4())
