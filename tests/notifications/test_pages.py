"""The staff inbox in a real browser: the unread count in the navigation, the inbox (newest first, Jalali dates,
Persian digits, paging, an empty state), marking one item read with htmx and without JavaScript, marking all read,
the desk card, and what is refused (a post without the CSRF token, another person's item, nobody signed in).

District 13 is used by no other test; its items come from decisions relayed to it through registry."""

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from shared.persian import to_persian_digits as fa
from tests.support.browser import RESULTS, check_page
from tests.support.notifications_pages import (
    account_without_bodies,
    browser_as,
    inbox_of,
    person_of,
    relay_decision,
    rounds_opened_for,
    unread_of,
)
from tests.support.system import System
from tests.support.waiting import wait_for

DISTRICT = 13
DECISIONS = [("برگزاری نشست هم‌اندیشی محله‌ها", "تا پایان هفته برگزار شود."),
             ("گزارش ماهانهٔ دفترهای محله", "گزارش را تا پنجم ماه بفرستید.")]
# A form the page did not offer, posted by the browser (with the page's CSRF token or without it).
POST_FORM = """([action, withToken]) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    if (withToken) form.appendChild(document.querySelector('input[name=csrf_token]').cloneNode());
    document.body.appendChild(form);
    form.submit();
}"""


def relayed(system: System, token: str) -> list[dict]:
    return [i for i in inbox_of(system, token) if i["event_type"] == "registry.decision.relayed"]


@pytest.fixture(scope="module")
def district(system: System) -> dict[str, str]:
    """Two staff members of district 13's secretariat, each with their appointment and two relayed decisions."""
    clerk = system.account_token("pages.d13.clerk", f"district-{DISTRICT}", "staff", "سمیرا احمدی")
    colleague = system.account_token("pages.d13.colleague", f"district-{DISTRICT}", "staff", "رضا مرادی")
    for title, note in DECISIONS:
        relay_decision(system, DISTRICT, title, note)
    for token in (clerk, colleague):
        wait_for(lambda t=token: len(relayed(system, t)) >= len(DECISIONS) and len(inbox_of(system, t)) > 2)
    return {"clerk": clerk, "colleague": colleague}


def badge(count: int) -> str:
    return f"{fa(str(count))} پیام خوانده‌نشده"


def test_a_clerk_sees_the_unread_count_opens_the_inbox_and_marks_one_then_all_read(
        system: System, browser: Browser, district: dict[str, str]) -> None:
    token, inbox = district["clerk"], f"{system.url('notifications')}/staff/inbox"
    unread = unread_of(system, token)
    context = browser_as(browser, system, token)
    page = context.new_page()
    page.goto(inbox)
    expect(page.locator(".hami-header #inbox-unread")).to_have_text(badge(unread))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("صندوق پیام")
    titles = main.locator("li h2").all_inner_texts()
    assert titles[0] == f"مصوبهٔ جدید برای منطقه ۱۳: {DECISIONS[1][0]}"  # newest first
    assert any(DECISIONS[0][0] in t for t in titles) and "یادداشت دبیرخانه: تا پایان هفته" in main.inner_text()
    assert re.search(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", main.locator("time").first.inner_text())
    expect(main.get_by_role("link", name="رفتن به میز کار")).to_be_visible()  # the appointment's page
    decisions = main.get_by_role("link", name="دیدن مصوبه‌های منطقه")
    expect(decisions).to_have_count(2)
    assert decisions.first.get_attribute("href") == f"{system.url('registry')}/district/decisions"
    check_page(page, "notifications-inbox")

    page.goto(f"{system.url('registry')}/desk")  # another service's page loads the badge and the desk card
    expect(page.locator(".hami-header #inbox-unread")).to_have_text(badge(unread))
    expect(page.locator("main")).to_contain_text(f"{fa(str(unread))} پیام خوانده‌نشده دارید.")
    newest = page.locator("main a[href*='/staff/inbox#item-']")
    expect(newest).to_have_count(3)
    expect(newest.first).to_have_text(titles[0])
    page.screenshot(path=str(RESULTS / "notifications-desk-card-in-registry.png"), full_page=True)
    page.goto(inbox)

    page.evaluate("window.stillTheSamePage = true")
    first = main.locator("li").first
    first.get_by_role("button", name=re.compile("^خواندم")).click()
    expect(page.locator(".hami-header #inbox-unread")).to_have_text(badge(unread - 1))
    expect(page.get_by_role("status")).to_have_text("پیام خوانده‌شده علامت خورد.")
    expect(first.locator(".badge")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True  # htmx swapped the list; no reload
    assert unread_of(system, token) == unread - 1

    page.get_by_role("button", name="همه را خواندم").click()
    expect(main).to_contain_text(f"همهٔ {fa(str(len(titles)))} پیام را خوانده‌اید.")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".hami-header .badge")).to_have_count(0)
    assert unread_of(system, token) == 0
    check_page(page, "notifications-inbox-all-read")
    context.close()


def test_without_javascript_marking_read_posts_the_form_and_comes_back_to_the_inbox(
        system: System, browser: Browser, district: dict[str, str]) -> None:
    token = district["clerk"]
    httpx.post(f"{system.url('notifications')}/inbox/read-all",
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    relay_decision(system, DISTRICT, "پاکسازی بوستان محله", "با همکاری شورایاری‌ها")
    wait_for(lambda: unread_of(system, token) == 1)
    context = browser_as(browser, system, token, javascript=False)
    page = context.new_page()
    page.goto(f"{system.url('notifications')}/staff/inbox")
    main = page.locator("main")
    expect(main).to_contain_text("۱ پیام خوانده‌نشده")
    item = main.locator("li", has=page.get_by_role("button", name=re.compile("^خواندم")))
    item_id = item.get_attribute("id")
    item.get_by_role("button").click()
    expect(main).to_contain_text("پیام را خوانده‌اید.")
    assert page.url.endswith(f"/staff/inbox#{item_id}") and unread_of(system, token) == 0
    context.close()


def test_another_persons_item_and_a_post_without_the_csrf_token_are_refused_in_persian(
        system: System, browser: Browser, district: dict[str, str]) -> None:
    notifications = system.url("notifications")
    theirs = relayed(system, district["colleague"])[0]
    target = f"{notifications}/staff/inbox/{theirs['id']}/read"
    assert theirs["read_at"] is None
    context = browser_as(browser, system, district["clerk"])
    page = context.new_page()
    page.goto(f"{notifications}/staff/inbox")
    with page.expect_navigation() as refused:  # the clerk's browser posts a form for the colleague's item
        page.evaluate(POST_FORM, [target, True])
    assert refused.value.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("پیدا نشد")
    assert theirs["title"] not in page.content() and "رضا مرادی" not in page.content()
    check_page(page, "notifications-refused")
    page.goto(f"{notifications}/staff/inbox")
    with page.expect_navigation() as nonsense:
        page.evaluate(POST_FORM, [f"{notifications}/staff/inbox/not-an-item/read", True])
    assert nonsense.value.status == 404 and "پیام پیدا نشد." in page.locator("main").inner_text()
    context.close()

    context = browser_as(browser, system, district["colleague"])
    page = context.new_page()
    page.goto(f"{notifications}/staff/inbox")
    with page.expect_navigation() as stale:  # their own item, but the form lacks the CSRF token
        page.evaluate(POST_FORM, [target, False])
    assert stale.value.status == 403
    expect(page.locator("main")).to_contain_text("فرم منقضی شده است")
    check_page(page, "notifications-refused-csrf")
    context.close()
    assert [i for i in inbox_of(system, district["colleague"]) if i["id"] == theirs["id"]][0]["read_at"] is None

    anonymous = httpx.post(target, data={"page": "1"})
    assert anonymous.status_code == 303 and "/sign-in?next=" in anonymous.headers["location"]


def test_an_empty_inbox_says_so_and_the_fragments_answer_anyone(system: System, browser: Browser) -> None:
    notifications = system.url("notifications")
    token, _ = account_without_bodies(system, "pages.empty", "مهسا کریمی")
    context = browser_as(browser, system, token)
    page = context.new_page()
    page.goto(f"{notifications}/staff/inbox")
    expect(page.locator("main")).to_contain_text("صندوق پیام شما خالی است.")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".hami-header .badge")).to_have_count(0)
    check_page(page, "notifications-inbox-empty")
    context.close()

    for path in ("/staff/inbox/count", "/desk/card"):
        anonymous = httpx.get(f"{notifications}{path}")
        assert anonymous.status_code == 200 and anonymous.headers["cache-control"] == "no-store"
    assert httpx.get(f"{notifications}/staff/inbox/count").text.strip() == '<span id="inbox-unread"></span>'
    sign_in = httpx.get(f"{notifications}/staff/inbox")
    assert sign_in.status_code == 303 and "/sign-in?next=" in sign_in.headers["location"]


def test_a_long_inbox_is_paged_and_the_desk_card_shows_the_newest_unread(system: System, browser: Browser) -> None:
    notifications = system.url("notifications")
    token, _ = account_without_bodies(system, "pages.juror", "داور پرکار")
    rounds_opened_for(system, person_of(token), 23)
    context = browser_as(browser, system, token)
    page = context.new_page()
    page.goto(f"{notifications}/staff/inbox")
    expect(page.locator(".hami-header #inbox-unread")).to_have_text(badge(23))
    main = page.locator("main")
    expect(main.locator("#inbox-list > ol > li")).to_have_count(20)
    expect(main.get_by_role("navigation")).to_contain_text("صفحهٔ ۱ از ۲")
    main.get_by_role("link", name="صفحهٔ بعد").click()
    expect(main.locator("#inbox-list > ol > li")).to_have_count(3)
    expect(main).to_contain_text("آغاز دور ارزیابی")
    check_page(page, "notifications-inbox-page-2")

    card = page.request.get(f"{notifications}/desk/card")
    assert card.status == 200 and "<strong>۲۳</strong> پیام خوانده‌نشده دارید." in card.text()
    assert card.text().count("/staff/inbox#item-") == 3
    context.close()
