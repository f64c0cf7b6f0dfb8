"""What the page tests of the council, the central secretariat and committee members act with: their accounts
(with Persian names), decisions issued through the JSON API, Jalali dates as people type them, and a browser page
signed in as one of them."""

import random
from datetime import UTC, datetime, timedelta

import jdatetime
from playwright.sync_api import BrowserContext, Page

from shared.persian import TEHRAN, to_persian_digits
from tests.support.registry_pages import Registry, registry_people, with_session
from tests.support.system import System

COMMITTEE = "committee-welfare"
COMMITTEE_MEMBER = ("ozv.komite.refah", COMMITTEE, "member", "نرگس احمدی")
JURY_MEMBER = ("ozv.davari", "jury", "juror", "کاوه صادقی")


def staff_people(system: System) -> Registry:
    """The registry page tests' people plus a member of the welfare committee and a juror."""
    registry = registry_people(system)
    for key, (username, body, role, name) in {"committee": COMMITTEE_MEMBER, "juror": JURY_MEMBER}.items():
        registry.tokens[key] = system.account_token(username, body, role, name)
    return registry


def signed_in(context: BrowserContext, registry: Registry, who: str) -> Page:
    """A new page of a browser holding the person's session."""
    with_session(context, registry.system, registry.tokens[who])
    return context.new_page()


def jalali_in(days: int, *, persian: bool = True) -> str:
    """The Jalali date (Tehran) some days from today as people type it, e.g. ۱۴۰۵/۰۹/۱۵."""
    day = jdatetime.date.fromgregorian(date=(datetime.now(TEHRAN) + timedelta(days=days)).date())
    text = day.strftime("%Y/%m/%d")
    return to_persian_digits(text) if persian else text


def fresh(what: str) -> str:
    """A title no other test uses (Persian digits, as the pages show it)."""
    return f"{what} {to_persian_digits(str(random.randrange(10**5, 10**6)))}"


def issue_directive(registry: Registry, title: str, *, districts: tuple[int, ...] = (14, 15),
                    committees: tuple[str, ...] = (), seconds: int = 5 * 24 * 3600) -> str:
    """A directive issued by the council chair through the JSON API (not relayed); returns its id."""
    issued = registry.post("/decisions", "chair", {
        "title": title, "text": "هر منطقه فهرست سراهای فعال را تا پایان هفته بفرستد.", "issuing_body": "policy-council",
        "kind": "directive", "districts": list(districts), "committees": list(committees),
        "ack_deadline_at": (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()})
    assert issued.status_code == 201, issued.text
    return issued.json()["id"]
