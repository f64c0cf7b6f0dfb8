"""Helpers of the inbox page tests: a browser signed in as someone, inbox items made by real flows (a decision
relayed to a district) or, for paging, by the notifications use case that tells evaluators a round opened."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from playwright.sync_api import Browser, BrowserContext

from services.notifications.rules import usecases as rules
from shared.contracts.evaluation import RoundOpened
from shared.db import make_engine
from shared.web.session import SESSION_COOKIE
from tests.support.notifications_db import recorder
from tests.support.system import STAFF_PASSWORD, System, bearer


def browser_as(browser: Browser, system: System, token: str | None, *, javascript: bool = True) -> BrowserContext:
    """A browser context, signed in with the token's session cookie (all services share the host 127.0.0.1)."""
    context = browser.new_context(java_script_enabled=javascript, locale="fa-IR")
    if token:
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": system.url("registry"),
                              "httpOnly": True, "sameSite": "Lax"}])
    return context


def account_without_bodies(system: System, username: str, name: str) -> tuple[str, str]:
    """An account on no body (nothing addresses it, so its inbox stays empty); its token and person id."""
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(system.token()), timeout=10,
                          json={"username": username, "password": STAFF_PASSWORD, "name": name})
    assert response.status_code in (201, 409), response.text
    token = system.token(username, STAFF_PASSWORD)
    return token, person_of(token)


def person_of(token: str) -> str:
    """The person a token signs in (its subject)."""
    return jwt.decode(token, options={"verify_signature": False})["sub"]


def relay_decision(system: System, district: int, title: str, note: str) -> None:
    """The council's chair issues a decision to one district; the central secretariat relays it with a note."""
    registry = system.url("registry")
    chair = system.account_token("chair.council", "policy-council", "chair")
    central = system.account_token("central.notify", "central-secretariat", "staff", "کارشناس دبیرخانه مرکزی")
    issued = httpx.post(f"{registry}/decisions", headers=bearer(chair), timeout=10, json={
        "title": title, "text": "متن کامل مصوبه در سامانه است.", "issuing_body": "policy-council",
        "kind": "directive", "districts": [district],
        "ack_deadline_at": (datetime.now(UTC) + timedelta(days=7)).isoformat()})
    assert issued.status_code == 201, issued.text
    relayed = httpx.post(f"{registry}/decisions/{issued.json()['id']}/relay", headers=bearer(central), timeout=10,
                         json={"notes": {str(district): note}})
    assert relayed.status_code == 200, relayed.text


def inbox_of(system: System, token: str, **params: str) -> list[dict]:
    """The person's inbox through the JSON API."""
    response = httpx.get(f"{system.url('notifications')}/inbox", headers=bearer(token), params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def unread_of(system: System, token: str) -> int:
    """How many of the person's items are unread, through the JSON API."""
    response = httpx.get(f"{system.url('notifications')}/inbox/unread-count", headers=bearer(token), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["unread"]


def rounds_opened_for(system: System, person_id: str, count: int) -> None:
    """`count` tier-1 rounds open with this person as their evaluator, told by the use case the consumer runs."""
    async def tell() -> None:
        engine = make_engine(system.database("notifications"), pool_size=1, max_overflow=0)
        try:
            for index in range(count):
                event = RoundOpened(round_id=uuid.uuid4(), edition="1405", tier=1, category="welfare",
                                    district=index % 22 + 1, evaluator_ids=[uuid.UUID(person_id)],
                                    deadline=datetime.now(UTC) + timedelta(days=10))
                async with engine.begin() as conn:
                    await rules.round_opened(conn, recorder(), event)
        finally:
            await engine.dispose()
    # Playwright's sync API runs an event loop in this thread: the database work gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, tell()).result()
