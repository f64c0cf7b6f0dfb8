"""Submissions' pages in the browser tests: a browser signed in as a persona (the session cookie set to the
persona's token, as registry's sign-in page would), a document on disk to choose in a file input, and numbers
as people type them."""

import random
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page

from shared.persian import to_ascii_digits, to_persian_digits
from tests.support.browser import beside_the_browser  # noqa: F401 (page tests take it from here)
from tests.support.files import PDF
from tests.support.submissions import NEIGHBOURHOODS, mobile, national_id
from tests.support.system import System, bearer

SESSION_COOKIE = "hami_session"


def signed_in(browser: Browser, system: System, token: str | None, *, address: str | None = None) -> BrowserContext:
    """A fresh browser (its own cookies), signed in with the token when one is given; with an address, as if it
    came through the proxy from that client (the tracking lookup's rate limit counts per client)."""
    context = browser.new_context(locale="fa-IR", accept_downloads=True,
                                  extra_http_headers={"X-Forwarded-For": address} if address else None)
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


def enter_work(page: Page, *, title: str, national: str, phone: str, document: Path) -> None:
    """Fill the work form of district 7 as the clerk types it (a PDF chosen) and send it."""
    page.select_option("#field-category", "welfare")
    page.fill("#field-title", title)
    page.fill("#field-summary", "زنان محله هر هفته با هم لباس می‌دوزند و به خانواده‌های نیازمند می‌دهند.")
    page.select_option("#field-neighbourhood", NEIGHBOURHOODS[7])
    page.fill("#field-beneficiaries", persian("45"))
    page.fill("#field-name", "زهرا احمدی")
    page.fill("#field-national_id", national)
    page.fill("#field-mobile", phone)
    page.set_input_files("#field-documents", str(document))
    page.click("main button[type=submit]")


def district_7_work(system: System, token: str) -> dict:
    """A work of district 7 entered through the JSON route (as its office's staff, by the token)."""
    body = {"district": 7, "neighbourhood": NEIGHBOURHOODS[7], "category": "participation",
            "title": f"باغچهٔ مشترک کوچه {unique_number()}", "summary": "همسایه‌ها زمین خالی را باغچه کردند.",
            "submitter": {"name": "مریم کاظمی", "national_id": national_id(), "mobile": mobile()}}
    response = httpx.post(f"{system.url('submissions')}/works", json=body, headers=bearer(token), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def look_up(page: Page, code: str, phone: str) -> None:
    """Ask the tracking page for a work, as a citizen types its code and mobile."""
    page.fill("#field-code", code)
    page.fill("#field-mobile", phone)
    page.click("main button[type=submit]")
