"""What evaluation's page tests act with: a district's committee members and secretary with Persian names (their
names show on the pages), works arriving over the bus as submissions publishes them, a tier-1 round opened through
the JSON API, and signing in through registry's page on the way to an evaluation page."""

import asyncio
import uuid
from dataclasses import dataclass
from urllib.parse import unquote

import httpx
from playwright.sync_api import Browser, Page

from services.evaluation import db_council
from shared.contracts.submissions import WorkChanged, WorkReceived
from shared.db import make_engine
from tests.support.browser import beside_the_browser  # noqa: F401 (page tests take it from here)
from tests.support.bus import publish_event
from tests.support.registry_pages import sign_in
from tests.support.system import STAFF_PASSWORD, System, bearer
from tests.support.waiting import wait_for

COMMITTEES = ("executive", "executive", "scientific", "young-citizens", "scientific")
MEMBER_NAMES = ("سارا کریمی", "رضا محمدی", "مینا حسینی", "امید رستمی", "لیلا صادقی")
TITLES = ("آشپزخانهٔ مهربانی", "همراهی با سالمندان تنها", "کلاس‌های رایگان محله", "صندوق قرض‌الحسنهٔ کوچه")
CRITERIA = ("innovation", "social_impact", "sustainability", "participation", "feasibility")


@dataclass
class Round:
    """A district's tier-1 round as the page tests set it up."""

    system: System
    district: int
    edition: str
    category: str
    secretary: tuple[str, str]  # username, token
    members: list[tuple[str, str, str]]  # username, name, token
    works: list[WorkReceived]
    round_id: str = ""

    def api(self, method: str, path: str, token: str, body: dict | None = None) -> httpx.Response:
        """Call evaluation's JSON API as someone."""
        return httpx.request(method, f"{self.system.url('evaluation')}{path}", json=body, headers=bearer(token),
                             timeout=30)

    def projected(self, query: str, *args: object) -> object:
        """One value from evaluation's database (in a thread: Playwright runs an event loop in this one)."""
        return beside_the_browser(lambda: asyncio.run(self.system.fetchval("evaluation", query, *args)))

    def my_works(self, member: int) -> list[dict]:
        """A member's works in the round, as the JSON API lists them."""
        response = self.api("GET", f"/rounds/{self.round_id}/my-works", self.members[member][2])
        assert response.status_code == 200, response.text
        return response.json()


def appoint(system: System, appointer: str, username: str, body: str, role: str, name: str, mobile: str) -> str:
    """An account (created once) appointed to a body by someone allowed to; returns its token."""
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(appointer), timeout=30, json={
        "username": username, "password": STAFF_PASSWORD, "name": name, "mobile": mobile,
        "memberships": [{"body": body, "role": role}]})
    assert response.status_code in (201, 409), response.text
    return system.token(username, STAFF_PASSWORD)


def district_round(system: System, *, district: int, edition: str, category: str, secretary_name: str) -> Round:
    """A district's secretary (Persian name), five committee members, four works over the bus, and the round
    opened through the JSON API (k = 3)."""
    code = f"district-{district:02d}"
    secretary = f"dabir.arzyabi.{district:02d}"
    secretary_token = system.account_token(secretary, code, "secretary", secretary_name)
    members = [(f"davar.{district:02d}.{i}", MEMBER_NAMES[i],
                appoint(system, secretary_token, f"davar.{district:02d}.{i}", f"{code}-{COMMITTEES[i]}", "member",
                        MEMBER_NAMES[i], f"0912{district:02d}880{i:02d}")) for i in range(len(MEMBER_NAMES))]
    works = [WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=district,
                          neighbourhood="نارمک", category=category, title=title, edition=edition,
                          submitter_name="شهروند", submitter_national_id="0499370899",
                          submitter_mobile=f"0935{district:02d}7{i:04d}") for i, title in enumerate(TITLES)]
    for work in works:
        beside_the_browser(asyncio.run, publish_event(system.amqp_url, work))
    setup = Round(system, district, edition, category, (secretary, secretary_token), members, works)
    wait_for(lambda: setup.projected("SELECT count(*) FROM works WHERE district = $1 AND edition = $2", district,
                                     edition) == len(works))  # other modules send works of the district too
    wait_for(lambda: setup.projected("SELECT count(*) FROM memberships WHERE active AND district = $1 "
                                     "AND role = 'member'", district) >= len(members))
    opened = setup.api("POST", "/rounds", secretary_token, {"edition": edition, "tier": 1, "district": district,
                                                            "category": category, "k": 3})
    assert opened.status_code == 201, opened.text
    setup.round_id = opened.json()["id"]
    return setup


def documents_attached(work: WorkReceived) -> WorkChanged:
    """What submissions publishes when a document is attached to a work."""
    return WorkChanged(work_id=work.work_id, edition=work.edition, district=work.district,
                       neighbourhood=work.neighbourhood, category=work.category, title=work.title,
                       changed=["documents"], submitter_name=work.submitter_name,
                       submitter_mobile=work.submitter_mobile, documents=1)


def signed_in_at(browser: Browser, url: str, username: str) -> Page:
    """A fresh browser asked for an evaluation page: registry's sign-in page first, then back to the page."""
    page = browser.new_context(locale="fa-IR").new_page()
    page.goto(url)
    assert "/sign-in" in page.url, page.url
    sign_in(page, username)
    assert unquote(page.url).startswith(url), page.url  # the browser shows Persian digits percent-encoded
    return page


def fill_sheet(page: Page, scores: dict[str, str]) -> None:
    """Type scores into the sheet's boxes (by criterion code)."""
    for code, value in scores.items():
        page.fill(f"#field-score_{code}", value)


def jury_proposes(system: System, edition: str, awards: dict[str, list[tuple[str, int, str]]]) -> None:
    """The awards tier 2's closing proposes (place, district, title per category), stored in evaluation's own
    database: running a whole jury round takes long, and the council's page only reads what was proposed."""
    async def store() -> None:
        engine = make_engine(system.database("evaluation"), pool_size=1, max_overflow=0)
        try:
            async with engine.begin() as conn:
                for category, places in awards.items():
                    await db_council.propose_awards(conn, edition=edition, category=category, awards_=[
                        {"work_id": str(uuid.uuid4()), "place": place, "district": district, "title": title}
                        for place, district, title in places])
        finally:
            await engine.dispose()
    beside_the_browser(asyncio.run, store())
