"""What the festival secretary's page tests act with: a browser signed in through the form as the festival secretary,
form posts with the session and CSRF cookies (for hostile input the browser would not send), and a structure body
renamed behind the registry's back (so a reload has something to put right)."""

import asyncio
import random
import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx
from playwright.sync_api import BrowserContext, Page

from shared.web.session import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE
from tests.support.registry_pages import sign_in
from tests.support.system import ADMIN_PASSWORD, ADMIN_USERNAME, System


def secretary_page(context: BrowserContext, system: System) -> Page:
    """A page signed in as the festival secretary through the sign-in form, on the desk."""
    page = context.new_page()
    page.goto(f"{system.url('registry')}/sign-in")
    sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert page.url == f"{system.url('registry')}/desk", page.url
    return page


def fresh_username(what: str) -> str:
    """A username no other test uses."""
    return f"{what}.{random.randrange(10**5, 10**6)}"


def post_form(system: System, token: str, path: str, fields: dict[str, str]) -> httpx.Response:
    """A form post as a browser with a session and a valid CSRF token would send it."""
    csrf = secrets.token_urlsafe(32)
    cookies = {SESSION_COOKIE: token, CSRF_COOKIE: csrf}
    return httpx.post(f"{system.url('registry')}{path}", data={**fields, CSRF_FIELD: csrf}, cookies=cookies,
                      timeout=30, follow_redirects=False)


def get_page(system: System, token: str, path: str, params: dict[str, str] | None = None) -> httpx.Response:
    """A page as a browser with a session would ask for it."""
    return httpx.get(f"{system.url('registry')}{path}", params=params, cookies={SESSION_COOKIE: token}, timeout=30,
                     follow_redirects=False)


def rename_body_behind_the_registry(system: System, code: str, name: str) -> None:
    """Change a body's stored name directly (as if the file had been edited since), so the next reload restores it."""
    query = f"UPDATE bodies SET name_fa = '{name}' WHERE code = '{code}' RETURNING code"
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API keeps an event loop running in this one
        assert thread.submit(asyncio.run, system.fetchval("registry", query)).result() == code
