"""The registry's pages in a real browser: signing in and out (and back to where one was), the desk by role, a
district secretary acknowledging a decision and reporting it implemented, filing a district report (a refused
input next to its field, then a valid one), the district's offices, refusals that leak nothing, CSRF."""

import re
import uuid

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from shared.persian import to_persian_digits
from tests.support.browser import check_page
from tests.support.registry_pages import (
    DISTRICT,
    OTHER_SECRETARY,
    SECRETARY,
    STAFF,
    Registry,
    expired_token,
    fresh_title,
    registry_people,
    sign_in,
    with_session,
)
from tests.support.system import ADMIN_PASSWORD, ADMIN_USERNAME, STAFF_PASSWORD, System
from tests.support.waiting import wait_for

D = to_persian_digits(str(DISTRICT))


@pytest.fixture(scope="module")
def registry(system: System) -> Registry:
    return registry_people(system)


def signed_in_page(context: BrowserContext, registry: Registry, who: str) -> Page:
    """A page whose browser holds a session of the given person (as the sign-in page would set it)."""
    with_session(context, registry.system, registry.tokens[who])
    return context.new_page()


def test_the_front_door_leads_to_the_festival_page(registry: Registry) -> None:
    response = httpx.get(f"{registry.base}/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{registry.system.url('submissions')}/festival"


def test_signing_in_refuses_a_wrong_password_in_persian_then_lands_on_the_desk(context: BrowserContext,
                                                                                registry: Registry) -> None:
    page = context.new_page()
    page.goto(f"{registry.base}/sign-in")
    check_page(page, "registry-sign-in")
    page.click("form[action$='/sign-in'] button[type=submit]")  # nothing typed
    expect(page.locator("#error-username")).to_have_text("این بخش را پر کنید.")
    expect(page.locator("#error-password")).to_have_text("این بخش را پر کنید.")

    sign_in(page, SECRETARY[0], "not-the-password")

    expect(page.locator("#error-summary")).to_contain_text("نام کاربری یا گذرواژه درست نیست.")
    expect(page.locator("#field-username")).to_have_value(SECRETARY[0])
    expect(page.locator("#field-password")).to_have_value("")
    assert "not-the-password" not in page.content()
    check_page(page, "registry-sign-in-refused")
    sign_in(page, SECRETARY[0])
    assert page.url == f"{registry.base}/desk"
    expect(page.locator("h1")).to_have_text(f"سلام، {SECRETARY[3]}")
    expect(page.locator("main")).to_contain_text(f"دبیر دبیرخانهٔ هادی منطقه {D}")


def test_repeated_failures_lock_the_username_with_the_wait_in_persian(context: BrowserContext,
                                                                      registry: Registry) -> None:
    page = context.new_page()
    page.goto(f"{registry.base}/sign-in")
    for _ in range(6):
        sign_in(page, "nobody.locked.out", "wrong-password")
    summary = page.locator("#error-summary").inner_text()
    assert "تلاش‌های ناموفق زیاد بود" in summary and re.search("[۱-۹]", summary), summary
    check_page(page, "registry-sign-in-locked")


def test_signing_in_with_next_returns_to_the_page_asked_for(context: BrowserContext, registry: Registry) -> None:
    page = context.new_page()
    page.goto(f"{registry.base}/district/offices")
    assert page.url.startswith(f"{registry.base}/sign-in?next=")
    expect(page.locator("main")).to_contain_text("پس از ورود به همان صفحه برمی‌گردید")
    sign_in(page, STAFF[0])
    assert page.url == f"{registry.base}/district/offices"
    expect(page.locator("h1")).to_have_text(f"دفترهای جشنواره در منطقهٔ {D}")


@pytest.mark.parametrize("cookie", ["expired", "forged"])
def test_an_expired_or_forged_session_goes_to_sign_in_and_then_back(context: BrowserContext, registry: Registry,
                                                                     cookie: str) -> None:
    token = expired_token(registry.system, registry.tokens["secretary"]) if cookie == "expired" else "forged.token.x"
    with_session(context, registry.system, token)
    page = context.new_page()
    page.goto(f"{registry.base}/district/decisions?district={DISTRICT}")
    assert page.url.startswith(f"{registry.base}/sign-in?next=")
    sign_in(page, SECRETARY[0])
    assert page.url == f"{registry.base}/district/decisions?district={DISTRICT}"
    expect(page.locator("h1")).to_have_text(f"مصوبه‌های منطقهٔ {D}")


def test_signing_out_ends_the_session(context: BrowserContext, registry: Registry) -> None:
    page = context.new_page()
    page.goto(f"{registry.base}/sign-in")
    sign_in(page, STAFF[0])
    page.click("form[action$='/sign-out'] button")
    assert page.url == f"{registry.base}/sign-in"
    assert not [c for c in context.cookies() if c["name"] == "hami_session"]
    page.goto(f"{registry.base}/desk")
    assert page.url.startswith(f"{registry.base}/sign-in?next=")


def test_the_secretary_acknowledges_a_decision_and_reports_it_implemented(context: BrowserContext,
                                                                           registry: Registry) -> None:
    title = fresh_title("هفتهٔ همسایگی")
    decision_id = registry.decision(title, note="لطفاً تا پایان هفته به سراهای محله خبر دهید.")
    late_title = fresh_title("گزارش فوری")
    late = registry.decision(late_title, seconds=2)
    wait_for(lambda: registry.get(f"/decisions/{late}", "festival").json()["summary"]["overdue"] == [DISTRICT])
    page = signed_in_page(context, registry, "secretary")

    page.goto(f"{registry.base}/desk")
    waiting = page.locator(f"section[aria-labelledby='waiting-{DISTRICT}']")
    overdue = waiting.locator("li", has_text=late_title)
    expect(overdue).to_contain_text("مهلت گذشته")
    expect(overdue).to_have_class(re.compile("border-danger"))
    expect(waiting).to_contain_text(title)
    check_page(page, "registry-desk-district-secretary")

    page.goto(f"{registry.base}/district/decisions")
    expect(page.locator("li.card", has_text=late_title)).to_contain_text("مهلت تأیید گذشته")
    check_page(page, "registry-district-decisions")
    page.click(f"text={title}")
    expect(page.locator("main")).to_contain_text("لطفاً تا پایان هفته به سراهای محله خبر دهید.")
    expect(page.locator("main")).to_contain_text("ابلاغ شده؛ منتظر تأیید دریافت")
    check_page(page, "registry-district-decision")

    page.fill("#field-note", "به همهٔ سراها خبر داده شد.")
    page.click("text=تأیید دریافت مصوبه")
    expect(page.locator("[role=status]")).to_contain_text("دریافت این مصوبه")
    assert registry.status(decision_id) == "acknowledged"
    check_page(page, "registry-district-decision-acknowledged")
    page.fill("#field-note", "در ۱۲ سرای محله برگزار شد.")
    page.click("text=مصوبه اجرا شد")
    expect(page.locator("[role=status]")).to_contain_text("اجرای این مصوبه")
    expect(page.locator("main")).to_contain_text("در ۱۲ سرای محله برگزار شد.")
    assert registry.status(decision_id) == "implemented"
    expect(page.locator("form[action*='/district/decisions/']")).to_have_count(0)


def test_district_staff_may_acknowledge_too(context: BrowserContext, registry: Registry) -> None:
    title = fresh_title("پاکسازی محله")
    decision_id = registry.decision(title)
    page = signed_in_page(context, registry, "staff")
    page.goto(f"{registry.base}/district/decisions/{decision_id}")
    page.click("text=تأیید دریافت مصوبه")
    expect(page.locator("[role=status]")).to_contain_text("دریافت این مصوبه")
    assert registry.status(decision_id) == "acknowledged"


def test_the_district_files_its_report_after_a_refused_input(context: BrowserContext, registry: Registry) -> None:
    page = signed_in_page(context, registry, "secretary")
    page.goto(f"{registry.base}/district/reports/new")
    expect(page.locator("#figures table")).to_be_visible()
    expect(page.locator("#figures input, #figures textarea")).to_have_count(0)  # figures are read-only
    check_page(page, "registry-report-new")
    page.fill("#field-period_start", "۱۴۰۵/۱۳/۰۱")
    page.press("#field-period_start", "Tab")  # htmx asks for the period's figures again
    expect(page.locator("#figures")).to_contain_text("تاریخ دوره معتبر نیست.")

    page.fill("#field-period_start", "۱۴۰۵/۰۸/۰۱")
    page.fill("#field-period_end", "۱۴۰۵/۰۸/۳۰")
    page.fill("#field-achievements", "جشن محله در سه سرا برگزار شد.")
    page.fill("#field-shortcomings", "کمبود داور و فضای برگزاری. " * 800)  # past 20,000 characters
    page.click("text=ثبت و فرستادن گزارش")

    expect(page.locator("#error-shortcomings")).to_have_text("این بخش بیش از ۲۰٬۰۰۰ نویسه است.")
    expect(page.locator("#error-summary a[href='#field-shortcomings']")).to_be_visible()
    expect(page.locator("#field-achievements")).to_have_value("جشن محله در سه سرا برگزار شد.")
    expect(page.locator("#field-period_end")).to_have_value("۱۴۰۵/۰۸/۳۰")
    check_page(page, "registry-report-refused")

    page.fill("#field-period_end", "۱۴۰۵/۰۷/۰۱")
    page.fill("#field-shortcomings", "کمبود داور در کمیتهٔ علمی.")
    page.click("text=ثبت و فرستادن گزارش")
    expect(page.locator("#error-period_end")).to_have_text("تاریخ شروع دوره باید پیش از پایان آن باشد.")
    expect(page.locator("#field-shortcomings")).to_have_value("کمبود داور در کمیتهٔ علمی.")

    page.fill("#field-period_end", "1405/08/30")
    gap = {part: page.locator(f'[id="field-shortcoming_items.1.{part}"]') for part in ("what", "since", "needed")}
    gap["what"].fill("داور کمیتهٔ علمی")
    gap["since"].fill("۱۴۰۵/۱۳/۰۱")
    gap["needed"].fill("دو داور تا پایان آبان")
    page.click("text=ثبت و فرستادن گزارش")
    expect(page.locator('[id="error-shortcoming_items.1.since"]')).to_have_text("تاریخ شروع کمبود معتبر نیست.")
    expect(gap["needed"]).to_have_value("دو داور تا پایان آبان")

    gap["since"].fill("۱۴۰۵/۰۷/۰۱")
    page.click("text=ثبت و فرستادن گزارش")
    expect(page.locator(".panel-confirmation")).to_contain_text(f"گزارش منطقهٔ {D} ثبت شد")
    expect(page.locator("main table").last).to_contain_text("۱۴۰۵/۰۷/۰۱")
    expect(page.locator("main")).to_contain_text("دو داور تا پایان آبان")
    expect(page.locator("main")).to_contain_text("کمبود داور در کمیتهٔ علمی.")
    expect(page.locator("main")).to_contain_text("۱۴۰۵/۰۸/۰۱ تا ۱۴۰۵/۰۸/۳۰")
    check_page(page, "registry-report-filed")
    filed = registry.get(f"/districts/{DISTRICT}/reports", "secretary").json()
    assert any(r["achievements"] == "جشن محله در سه سرا برگزار شد." and r["shortcoming_items"][0]["what"] ==
               "داور کمیتهٔ علمی" for r in filed)


def test_the_offices_page_shows_the_districts_places_and_people(context: BrowserContext, registry: Registry) -> None:
    hood = httpx.get(f"{registry.base}/neighbourhoods", params={"district": DISTRICT}).json()[0]
    code = f"sara-pages-{uuid.uuid4().hex[:8]}"
    registered = registry.post("/organisations", "secretary", {
        "code": code, "kind": "neighbourhood_centre", "name_fa": "سرای محلهٔ صفحه‌ها", "district": DISTRICT,
        "neighbourhood_code": hood["code"]})
    assert registered.status_code == 201, registered.text
    page = signed_in_page(context, registry, "secretary")

    page.goto(f"{registry.base}/district/offices")

    institution = page.locator("main li", has_text="سرای محلهٔ صفحه‌ها")
    expect(institution).to_contain_text("سرای محله")
    expect(institution).to_contain_text(hood["name_fa"])
    expect(page.locator("main li", has_text=SECRETARY[3])).to_contain_text(SECRETARY[0])
    expect(page.locator("main li", has_text=STAFF[3])).to_contain_text("کارشناس")
    check_page(page, "registry-district-offices")


def test_another_districts_pages_are_refused_in_persian_and_leak_nothing(context: BrowserContext,
                                                                         registry: Registry) -> None:
    title = fresh_title("مصوبهٔ محرمانهٔ منطقه")
    decision_id = registry.decision(title, note="یادداشت ویژهٔ منطقه")
    page = signed_in_page(context, registry, "other")
    for suffix in ("", f"?district={DISTRICT}"):
        response = page.goto(f"{registry.base}/district/decisions/{decision_id}{suffix}")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("پیدا نشد")
        expect(page.locator("main")).to_contain_text("مصوبه پیدا نشد.")
        assert title not in page.content() and "یادداشت ویژهٔ منطقه" not in page.content()
    check_page(page, "registry-refused-decision")
    for path in (f"/district/offices?district={DISTRICT}", f"/district/decisions?district={DISTRICT}",
                 f"/district/reports/new?district={DISTRICT}"):
        response = page.goto(f"{registry.base}{path}")
        assert response.status == 403, path
        expect(page.locator("h1")).to_have_text("اجازهٔ این کار را ندارید")
        assert SECRETARY[0] not in page.content() and title not in page.content()
    assert OTHER_SECRETARY[3] in page.content()  # the navigation still knows who is signed in


def test_a_post_without_the_csrf_token_is_refused(context: BrowserContext, registry: Registry) -> None:
    decision_id = registry.decision(fresh_title("بدون برگهٔ امنیتی"))
    page = signed_in_page(context, registry, "secretary")
    page.goto(f"{registry.base}/district/decisions/{decision_id}")
    for path, form in ((f"/district/decisions/{decision_id}/acknowledge", {"district": str(DISTRICT)}),
                       ("/district/reports", {"district": str(DISTRICT), "period_start": "1405/08/01",
                                              "period_end": "1405/08/30"}),
                       ("/sign-out", {}), ("/sign-in", {"username": SECRETARY[0], "password": "x"})):
        response = page.request.post(f"{registry.base}{path}", form=form, max_redirects=0)
        assert response.status == 403, path
        assert "فرم منقضی شده است" in response.text()
    assert registry.status(decision_id) == "relayed"


def test_city_wide_staff_see_the_districts_acknowledgements_on_their_desk(context: BrowserContext,
                                                                           registry: Registry) -> None:
    registry.decision(fresh_title("ثبت داوطلبان"))
    page = context.new_page()
    page.goto(f"{registry.base}/sign-in")
    sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert page.url == f"{registry.base}/desk"
    expect(page.locator("main")).to_contain_text("دبیر جشنواره")
    overview = page.locator("section", has_text="تأیید دریافت مصوبه‌ها در مناطق")
    expect(overview.locator("tr", has_text=f"منطقهٔ {D}")).to_be_visible()
    expect(page.locator("section", has_text="صندوق پیام")).to_be_visible()
    check_page(page, "registry-desk-city-wide")

    page.goto(f"{registry.base}/district/offices")  # no district of their own: they choose one
    check_page(page, "registry-choose-district")
    page.click(f"text=منطقهٔ {D}")
    expect(page.locator("h1")).to_have_text(f"دفترهای جشنواره در منطقهٔ {D}")
    expect(page.locator("main")).to_contain_text(SECRETARY[0])


def test_each_role_sees_on_the_pages_only_what_the_table_lets_it_do(registry: Registry) -> None:
    member = ("ozv.elmi.mantaghe14", "district-14-scientific", "member", "نرگس احمدی")
    created = registry.post("/accounts", "secretary", {"username": member[0], "password": STAFF_PASSWORD,
                                                       "name": member[3], "memberships": [{"body": member[1],
                                                                                           "role": member[2]}]})
    assert created.status_code in (201, 409), created.text
    title = fresh_title("جشن کتاب محله")
    decision_id = registry.decision(title)

    def page(path: str, token: str) -> httpx.Response:
        return httpx.get(f"{registry.base}{path}", cookies={"hami_session": token}, timeout=30)

    committee = registry.system.token(member[0], STAFF_PASSWORD)
    desk = page("/desk", committee)  # the district's decisions to read, nothing to acknowledge or report
    assert desk.status_code == 200 and f"/district/decisions?district={DISTRICT}" in desk.text
    assert "منتظر تأیید دریافت —" not in desk.text and "/district/offices" not in desk.text
    assert "/district/reports/new" not in desk.text
    decision = page(f"/district/decisions/{decision_id}?district={DISTRICT}", committee)
    assert decision.status_code == 200 and title in decision.text and "تأیید دریافت مصوبه" not in decision.text
    assert page(f"/district/offices?district={DISTRICT}", committee).status_code == 403
    assert page(f"/district/reports/new?district={DISTRICT}", committee).status_code == 403

    staff = registry.tokens["staff"]  # the office acknowledges, but the report is the secretary's
    assert "تأیید دریافت مصوبه" in page(f"/district/decisions/{decision_id}?district={DISTRICT}", staff).text
    assert "/district/reports/new" not in page("/desk", staff).text
    assert page(f"/district/reports/new?district={DISTRICT}", staff).status_code == 403
    assert "/district/reports/new" in page("/desk", registry.tokens["secretary"]).text
