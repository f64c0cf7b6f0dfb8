"""What the registry's page tests act with: district people with Persian names (their names show on every page),
decisions issued and relayed through the JSON API, signing in through the form, and an expired session."""

import asyncio
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from playwright.sync_api import BrowserContext, Page

from services.registry.identity.crypto import issue_token, open_private_key
from services.registry.settings import DEVELOPMENT_KEY_ENCRYPTION_KEY
from shared.persian import to_persian_digits
from shared.web.session import SESSION_COOKIE
from tests.support.system import STAFF_PASSWORD, System, bearer

DISTRICT, OTHER_DISTRICT = 14, 15
SECRETARY = ("dabir.mantaghe14", "district-14", "secretary", "مریم کاظمی")
STAFF = ("karshenas.mantaghe14", "district-14", "staff", "علی رضایی")
OTHER_SECRETARY = ("dabir.mantaghe15", "district-15", "secretary", "حسن مرادی")
CHAIR = ("raees.shora.safahat", "policy-council", "chair", "رئیس شورای سیاست‌گذاری")
CENTRAL = ("karshenas.markazi", "central-secretariat", "staff", "زهرا نوری")


@dataclass
class Registry:
    """The running registry and the tokens of the people the page tests need."""

    system: System
    tokens: dict[str, str]

    @property
    def base(self) -> str:
        return self.system.url("registry")

    def post(self, path: str, who: str, body: dict | None = None) -> httpx.Response:
        """A JSON POST as someone."""
        return httpx.post(f"{self.base}{path}", json=body or {}, headers=bearer(self.tokens[who]), timeout=30)

    def get(self, path: str, who: str) -> httpx.Response:
        """A JSON GET as someone."""
        return httpx.get(f"{self.base}{path}", headers=bearer(self.tokens[who]), timeout=30)

    def decision(self, title: str, *, seconds: int = 3 * 24 * 3600, note: str = "",
                 districts: tuple[int, ...] = (DISTRICT,)) -> str:
        """A directive issued by the council chair and relayed by the central secretariat with a note per
        district; returns its id."""
        deadline = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
        issued = self.post("/decisions", "chair", {
            "title": title, "text": "برنامهٔ هفتهٔ همسایگی در همهٔ سراهای محله برگزار شود.\nگزارش آن تا پایان ماه برسد.",
            "issuing_body": "policy-council", "kind": "directive", "districts": list(districts),
            "ack_deadline_at": deadline})
        assert issued.status_code == 201, issued.text
        decision_id = issued.json()["id"]
        relayed = self.post(f"/decisions/{decision_id}/relay", "central",
                            {"notes": {str(d): note for d in districts}})
        assert relayed.status_code == 200, relayed.text
        return decision_id

    def status(self, decision_id: str, district: int = DISTRICT) -> str:
        """A district's status of a decision, as the JSON API tells the festival secretary."""
        rows = self.get(f"/decisions/{decision_id}", "festival")
        return next(r["status"] for r in rows.json()["per_district"] if r["district"] == district)


def registry_people(system: System) -> Registry:
    """Accounts (created once) for the district's secretary and staff, another district's secretary, the council
    chair and central staff, each signed in; the festival secretary is the first administrator."""
    people = {"secretary": SECRETARY, "staff": STAFF, "other": OTHER_SECRETARY, "chair": CHAIR, "central": CENTRAL}
    tokens = {key: system.account_token(username, body, role, name)
              for key, (username, body, role, name) in people.items()}
    return Registry(system, {**tokens, "festival": system.token()})


def fresh_title(what: str) -> str:
    """A decision title no other test uses (Persian digits, as the pages show it)."""
    return f"{what} شمارهٔ {to_persian_digits(str(random.randrange(10**5, 10**6)))}"


def sign_in(page: Page, username: str, password: str = STAFF_PASSWORD) -> None:
    """Fill the sign-in form the page shows and send it."""
    page.fill("#field-username", username)
    page.fill("#field-password", password)
    page.click("form[action$='/sign-in'] button[type=submit]")
    page.wait_for_load_state()


def expired_token(system: System, token: str) -> str:
    """The same person's token, signed by the registry's own key, but an hour past its expiry."""
    query = ("SELECT json_build_array(kid, private_pem)::text FROM signing_keys "
             "WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1")
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API keeps an event loop running in this one
        row = thread.submit(asyncio.run, system.fetchval("registry", query)).result()
    kid, pem = json.loads(row)
    claims = jwt.decode(token, options={"verify_signature": False})
    account = {"id": claims["sub"], "username": claims["username"], "name": claims["name"],
               "memberships": claims["memberships"]}
    pem = open_private_key(pem, DEVELOPMENT_KEY_ENCRYPTION_KEY)  # stored encrypted (the test system's dev key)
    return issue_token(kid=kid, private_pem=pem, issuer=claims["iss"], account=account, minutes=5,
                       now=time.time() - 3600)


def with_session(context: BrowserContext, system: System, token: str) -> None:
    """Put a session cookie (any token) into the browser for the registry's host."""
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": system.url("registry")}])
