"""Submissions' pages in the browser tests: a browser signed in as a persona (the session cookie set to the
persona's token, as registry's sign-in page would), a document on disk to choose in a file input, and numbers
as people type them."""

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from shared.persian import to_ascii_digits, to_persian_digits
from tests.support.files import PDF
from tests.support.submissions import national_id
from tests.support.system import System

SESSION_COOKIE = "hami_session"


def beside_the_browser(function: Callable[..., Any], *args: Any) -> Any:
    """Run a helper that runs its own event loop (database checks): Playwright's sync API runs one in this
    thread, so the helper gets a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def signed_in(browser: Browser, system: System, token: str | None) -> BrowserContext:
    """A fresh browser (its own cookies), signed in with the token when one is given."""
    context = browser.new_context(locale="fa-IR", accept_downloads=True)
    if token:
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": system.url("submissions")}])
    return context


def open_page(context: BrowserContext, url: str) -> Page:
    """A new tab of the browser on a page."""
    page = context.new_page()
    page.goto(url)
    return page


def pdf_on_disk(folder: Path, name: str = "گزارش کار.pdf") -> Path:
    """A small PDF as a file a clerk would choose."""
    path = folder / name
    path.write_bytes(PDF)
    return path


def persian(text: str) -> str:
    """Digits as a person types them on a Persian keyboard."""
    return to_persian_digits(text)


def ascii_code(text: str) -> str:
    """A tracking code read off a page (Persian digits), as ASCII."""
    return to_ascii_digits(text).strip()


def invalid_national_id() -> str:
    """A national ID whose check digit is wrong."""
    valid = national_id()
    return valid[:9] + str((int(valid[9]) + 1) % 10)


def unique_number() -> str:
    """A number in Persian digits that tells this run's work apart from others in titles."""
    return persian(str(random.randrange(1000, 10_000)))
