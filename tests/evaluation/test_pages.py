"""The public results page in a real browser, for citizens without signing in: an edition's awards per category
(places, titles, districts: what the public JSON shows, nothing personal), Jalali dates and Persian digits, and
the empty states.

The jury's proposed awards are stored as closing tier 2 would store them (running the whole tiered flow takes
half a minute); the council then publishes them through a real decision. Editions 1388 and 1389 are used by no
other test."""

import asyncio
import re

import httpx
from playwright.sync_api import Browser, expect

from shared.persian import to_persian_digits as fa
from tests.support.browser import beside_the_browser, check_page
from tests.support.evaluation import council_decides
from tests.support.evaluation_pages import jury_proposes
from tests.support.system import System
from tests.support.waiting import wait_for

EDITION, UNPUBLISHED = "1389", "1388"
AWARDS = {
    "participation": [("first", 13, "باغچهٔ مشترک محله"), ("second", 4, "کتابخانهٔ کوچه"),
                      ("third", 20, "جشن همسایگی نارمک"), ("honourable_mention", 7, "پاکسازی بوستان با نوجوانان")],
    "welfare": [("first", 2, "آشپزخانهٔ مهربانی"), ("second", 16, "همراهی با سالمندان تنها")],
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def published(system: System, query: str) -> object:
    """One value about the published awards, from evaluation's database."""
    query = f"SELECT {query} FROM awards WHERE published_at IS NOT NULL"
    return beside_the_browser(asyncio.run, system.fetchval("evaluation", query))


def test_citizens_read_the_published_results_of_an_edition_and_the_empty_states(system: System,
                                                                                 browser: Browser) -> None:
    evaluation = system.url("evaluation")
    page = browser.new_page()
    if published(system, "count(*)") == 0:
        page.goto(f"{evaluation}/festival/results")  # nothing published anywhere yet (this module alone)
        expect(page.locator("main")).to_contain_text("هنوز نتیجه‌ای از جشنواره اعلام نشده است.")
        check_page(page, "evaluation-results-none")

    page.goto(f"{evaluation}/festival/results/{UNPUBLISHED}")
    expect(page.get_by_role("heading", level=1)).to_have_text("نتایج جشنوارهٔ حامی ۱۳۸۸")
    expect(page.locator("main")).to_contain_text("نتایج جشنوارهٔ حامی ۱۳۸۸ هنوز اعلام نشده است.")
    check_page(page, "evaluation-results-empty")

    jury_proposes(system, EDITION, AWARDS)
    assert httpx.get(f"{evaluation}/results/{EDITION}").json() == []  # proposed is not published
    council_decides(system, {"action": "approve_results", "edition": EDITION})
    public = wait_for(lambda: httpx.get(f"{evaluation}/results/{EDITION}").json())

    page.goto(f"{evaluation}/festival/results/{fa(EDITION)}")  # Persian digits in the address work too
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("نتایج جشنوارهٔ حامی ۱۳۸۹")
    expect(main.locator("section").get_by_role("heading", level=2)).to_have_text(
        ["کارآفرینی", "رفاه و خدمات اجتماعی", "مشارکت‌های مردمی"])
    participation = main.locator("section", has=page.get_by_role("heading", name="مشارکت‌های مردمی"))
    rows = participation.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_have_text(re.compile(r"رتبهٔ اول\s*باغچهٔ مشترک محله\s*منطقه ۱۳"))
    expect(rows.nth(3)).to_have_text(re.compile(r"تقدیرنامه\s*پاکسازی بوستان با نوجوانان\s*منطقه ۷"))
    expect(participation).to_contain_text(re.compile(r"تاریخ اعلام: [۰-۹]{1,2} [آ-ی]+ [۰-۹]{4}"))
    entrepreneurship = main.locator("section", has=page.get_by_role("heading", name="کارآفرینی"))
    expect(entrepreneurship).to_contain_text("نتایج این بخش هنوز اعلام نشده است.")
    shown = {title for category in public for title in (a["title"] for a in category["awards"])}
    assert shown == {t for places in AWARDS.values() for _, _, t in places}
    assert not UUID.search(page.content())  # nothing beyond the public JSON: not even the work's id
    check_page(page, "evaluation-results")

    page.goto(f"{evaluation}/festival/results")
    newest = published(system, "max(edition)")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"نتایج جشنوارهٔ حامی {fa(newest)}")
    if newest != EDITION:  # another test published a newer edition: ours is one link away
        page.get_by_role("link", name=f"جشنوارهٔ {fa(EDITION)}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("نتایج جشنوارهٔ حامی ۱۳۸۹")
    page.close()
