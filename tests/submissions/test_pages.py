"""Submissions' pages in a real browser: a district office clerk enters a citizen's work with a document (a refused
national ID first, shown in Persian at its field with everything else kept), checks the answers, gets the
tracking code and prints the receipt; the citizen, not signed in, follows the work by code and mobile; the clerk
finds it in the list with a letter variant, opens its page, edits it, exports the list and withdraws it. People
who may not see the list or the work get the Persian refusal page, and a form posted without its CSRF token is
refused. Every page is checked at a phone's and a desktop's width (tests/support/browser.py)."""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from services.submissions.permissions import PERMISSIONS, Capability
from tests.support.browser import RESULTS, check_page
from tests.support.files import PDF
from tests.support.personas import PERSONAS, persona_tokens
from tests.support.submissions import (
    NEIGHBOURHOODS,
    ensure_open_call,
    mobile,
    national_id,
    registered_organisation,
    wait_for_neighbourhoods,
)
from tests.support.submissions_pages import (
    ascii_code,
    beside_the_browser,
    district_7_work,
    enter_work,
    invalid_national_id,
    look_up,
    open_page,
    pdf_on_disk,
    persian,
    signed_in,
    unique_number,
)
from tests.support.system import System

DISTRICT = 7


@pytest.fixture(scope="module")
def tokens(system: System) -> dict[str, str]:
    """Every persona signed in, with the neighbourhoods known and the default edition's call open."""
    beside_the_browser(wait_for_neighbourhoods, system)
    ensure_open_call(system)
    return persona_tokens(system)


def base(system: System) -> str:
    return system.url("submissions")


def test_a_clerk_enters_a_work_that_the_citizen_tracks_and_the_clerk_then_finds_edits_exports_and_withdraws(
        system: System, browser: Browser, tokens: dict[str, str], tmp_path: Path) -> None:
    clerk = signed_in(browser, system, tokens["staff.d07"])
    page = open_page(clerk, f"{base(system)}/office/works/new")
    check_page(page, "submissions-work-form")
    title, phone = f"کارگاه دوخت زنان محله {unique_number()}", mobile()
    document = pdf_on_disk(tmp_path)

    # A national ID with a wrong check digit: refused at its field, the rest kept, the file to choose again.
    enter_work(page, title=title, national=persian(invalid_national_id()), phone=persian(phone), document=document)
    expect(page.locator("#error-national_id")).to_have_text("کد ملی معتبر نیست.")
    expect(page.locator("#error-summary a[href='#field-national_id']")).to_be_visible()
    expect(page.locator("#field-title")).to_have_value(title)
    expect(page.locator("#field-mobile")).to_have_value(persian(phone))
    expect(page.locator("#field-neighbourhood")).to_have_value(NEIGHBOURHOODS[DISTRICT])
    expect(page.locator("#files-again")).to_contain_text("دوباره انتخاب کنید")
    check_page(page, "submissions-work-form-refused")

    page.fill("#field-national_id", persian(national_id()))
    page.set_input_files("#field-documents", str(document))
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("پیش از ثبت، اطلاعات را بررسی کنید")
    expect(page.locator("main")).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("گزارش کار.pdf")
    check_page(page, "submissions-work-check")

    # "Change" goes back to the form with everything kept, the document too.
    page.click("a[href$='#field-summary']")
    expect(page.locator("#field-title")).to_have_value(title)
    expect(page.locator("#field-mobile")).to_have_value(persian(phone))
    expect(page.locator("input[name=keep]")).to_be_checked()
    page.fill("#field-summary", "زنان محله هر هفته با هم لباس می‌دوزند و به خانواده‌های نیازمند محله می‌دهند.")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("نیازمند محله می‌دهند")
    expect(page.locator("main")).to_contain_text("گزارش کار.pdf")

    page.click("text=ثبت اثر و گرفتن کد رهگیری")
    expect(page.locator(".panel-confirmation h1")).to_have_text("اثر ثبت شد")
    code = ascii_code(page.locator(".panel-confirmation .reference").inner_text())
    assert len(code.replace("-", "")) == 12, code
    check_page(page, "submissions-work-received")

    page.click("text=رسید برای چاپ")
    receipt = page.locator("article.receipt")
    for text in (title, "رفاه و خدمات اجتماعی", NEIGHBOURHOODS[DISTRICT], persian(code), "/track"):
        expect(receipt).to_contain_text(text)
    check_page(page, "submissions-work-receipt")
    page.emulate_media(media="print")
    expect(page.locator("header.hami-header")).to_be_hidden()
    page.screenshot(path=str(RESULTS / "submissions-work-receipt-print.png"), full_page=True)
    page.emulate_media(media="screen")
    work_url = page.locator("a:has-text('بازگشت به صفحهٔ اثر')").get_attribute("href")

    # The citizen, not signed in, follows the work by its code and mobile typed in Persian digits.
    citizen = signed_in(browser, system, None, address="192.0.2.131")
    tracking = open_page(citizen, f"{base(system)}/track")
    check_page(tracking, "submissions-track")
    look_up(tracking, persian(code), persian(mobile()))
    expect(tracking.locator("#error-summary")).to_contain_text("اثری با این کد رهگیری و شماره همراه پیدا نشد.")
    check_page(tracking, "submissions-track-refused")
    tracking.fill("#field-mobile", persian(phone))
    tracking.click("main button[type=submit]")
    expect(tracking.locator("main")).to_contain_text("دریافت شد")
    expect(tracking.locator("main")).not_to_contain_text("زهرا احمدی")
    check_page(tracking, "submissions-track-result")

    # The list finds it typed with Arabic letters (ك for ک).
    page.goto(f"{base(system)}/office/works")
    page.fill("#field-q", "كارگاه دوخت")
    page.click("main form[role=search] button:has-text('جست‌وجو')")
    expect(page.locator("main ul.list-group")).to_contain_text(title)
    check_page(page, "submissions-works-list")
    with page.expect_download() as exported:
        page.click("text=دریافت فهرست (CSV)")
    csv_text = Path(exported.value.path()).read_text(encoding="utf-8-sig")
    assert title in csv_text and code in csv_text

    # Its page: the history and the document, which downloads as it was chosen.
    page.click(f"a:has-text('{title}')")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text("سابقهٔ وضعیت")
    with page.expect_download() as downloaded:
        page.click("a:has-text('گزارش کار.pdf')")
    assert Path(downloaded.value.path()).read_bytes() == PDF
    check_page(page, "submissions-work")

    # An edit: a refused mobile first, then a new title.
    page.click("text=ویرایش اثر")
    check_page(page, "submissions-work-edit")
    page.fill("#field-mobile", "۰۹۱۲")
    page.click("button:has-text('ذخیرهٔ تغییرات')")
    expect(page.locator("#error-mobile")).to_have_text("شماره همراه معتبر نیست.")
    check_page(page, "submissions-work-edit-refused")
    page.fill("#field-mobile", persian(phone))
    page.fill("#field-title", f"{title} بانوان")
    page.click("button:has-text('ذخیرهٔ تغییرات')")
    expect(page.locator("[role=status]")).to_have_text("تغییرات اثر ذخیره شد.")
    expect(page.locator("h1")).to_have_text(f"{title} بانوان")

    # Withdrawn after a confirmation step; then neither edit nor withdraw is offered.
    page.click("text=پس گرفتن اثر")
    check_page(page, "submissions-work-withdraw")
    page.fill("#field-reason", "ارسال‌کننده در دفتر خواست اثر را پس بگیرد.")
    page.click("button:has-text('بله، اثر پس گرفته شود')")
    expect(page.locator("[role=status]")).to_have_text("اثر پس گرفته شد.")
    expect(page.locator("main")).to_contain_text("انصراف داده شد")
    expect(page.locator("text=ویرایش اثر")).to_have_count(0)
    expect(page.locator("text=پس گرفتن اثر")).to_have_count(0)
    assert page.url.split("?")[0] == work_url

    tracking.goto(f"{base(system)}/track")
    look_up(tracking, code, phone)
    expect(tracking.locator("ol")).to_contain_text("دریافت شد")
    expect(tracking.locator("ol")).to_contain_text("انصراف داده شد")
    clerk.close()
    citizen.close()


def test_a_clerk_enters_the_work_of_a_registered_organisation(system: System, browser: Browser,
                                                             tokens: dict[str, str]) -> None:
    charity = beside_the_browser(registered_organisation, system, "خیریهٔ همسایه‌های نظام‌آباد", DISTRICT)
    clerk = signed_in(browser, system, tokens["staff.d07"])
    page = open_page(clerk, f"{base(system)}/office/works/new")
    page.select_option("#field-category", "participation")
    page.fill("#field-title", f"پاک‌سازی کوچه‌های محله {unique_number()}")
    page.fill("#field-summary", "اعضای خیریه هر ماه کوچه‌ها را با همسایه‌ها پاک می‌کنند.")
    page.select_option("#field-neighbourhood", NEIGHBOURHOODS[DISTRICT])
    page.check("#kind-organisation")
    page.select_option("#field-organisation", charity["code"])
    page.fill("#field-name", "علی رضایی")
    page.fill("#field-national_id", national_id())
    page.fill("#field-mobile", mobile())
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("خیریهٔ همسایه‌های نظام‌آباد")
    expect(page.locator("main")).to_contain_text("نام نمایندهٔ سازمان")
    page.click("text=ثبت اثر و گرفتن کد رهگیری")
    expect(page.locator(".panel-confirmation h1")).to_have_text("اثر ثبت شد")
    page.click("text=دیدن اثر")
    expect(page.locator("main")).to_contain_text("خیریهٔ همسایه‌های نظام‌آباد")
    clerk.close()


def test_pages_refused_to_people_who_may_not_see_them_show_a_persian_page_that_leaks_nothing(
        system: System, browser: Browser, tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens["staff.d07"])
    other = signed_in(browser, system, tokens["staff.d12"])
    page = open_page(other, f"{base(system)}/office/works/{work['id']}")
    expect(page.locator("h1")).to_have_text("پیدا نشد")
    for secret in (work["title"], work["submitter"]["national_id"], work["tracking_code"]):
        assert secret not in page.content()
    check_page(page, "submissions-refused-other-district")
    page.goto(f"{base(system)}/office/works/{work['id']}/receipt")
    expect(page.locator("h1")).to_have_text("پیدا نشد")
    other.close()

    # The works list: refused to committee members, of the district or the festival's (they judge what is assigned).
    for username in ("committee.welfare.chair", "member.d07"):
        assert not PERMISSIONS.may(PERSONAS[username].principal(), Capability.LIST_WORKS, district=DISTRICT)
        member = signed_in(browser, system, tokens[username])
        page = open_page(member, f"{base(system)}/office/works")
        expect(page.locator("h1")).to_have_text("اجازهٔ این کار را ندارید")
        assert work["title"] not in page.content()
        check_page(page, f"submissions-refused-works-list-{username}")
        member.close()


def test_forms_posted_without_their_csrf_token_are_refused(system: System, browser: Browser,
                                                           tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens["staff.d07"])
    clerk = signed_in(browser, system, tokens["staff.d07"])
    page = open_page(clerk, f"{base(system)}/office/works/{work['id']}")
    posted = clerk.request.post(f"{base(system)}/office/works/{work['id']}/withdraw",
                                form={"reason": "بدون توکن فرم"}, max_redirects=0)
    assert posted.status == 403 and "فرم منقضی شده است" in posted.text()
    entry = clerk.request.post(f"{base(system)}/office/works/new", multipart={
        "district": str(DISTRICT), "title": "اثر بدون توکن", "documents": {
            "name": "a.pdf", "mimeType": "application/pdf", "buffer": PDF}}, max_redirects=0)
    assert entry.status == 403
    page.reload()
    expect(page.locator("main")).to_contain_text("دریافت شد")
    assert clerk.request.post(f"{base(system)}/track", form={"code": work["tracking_code"],
                                                            "mobile": work["submitter"]["mobile"]}).status == 403
    clerk.close()


def test_the_festival_page_and_the_desk_card(system: System, browser: Browser, tokens: dict[str, str]) -> None:
    citizen = signed_in(browser, system, None)
    page = open_page(citizen, f"{base(system)}/festival")
    for text in ("کارآفرینی", "رفاه و خدمات اجتماعی", "مشارکت‌های مردمی", "فراخوان باز است", "سرای محله"):
        expect(page.locator("main")).to_contain_text(text)
    expect(page.locator(f"a[href='{system.url('evaluation')}/festival/results']")).to_be_visible()
    check_page(page, "submissions-festival")
    citizen.close()

    card = f"{base(system)}/desk/card"
    anonymous = httpx.get(card, follow_redirects=False)
    assert anonymous.status_code == 200 and "وارد سامانه شوید" in anonymous.text
    district_7_work(system, tokens["staff.d07"])
    clerk = httpx.get(card, cookies={"hami_session": tokens["staff.d07"]})
    assert clerk.status_code == 200 and "امروز" in clerk.text and "/office/works" in clerk.text
    juror = httpx.get(card, cookies={"hami_session": tokens["jury.juror"]})
    assert juror.status_code == 200 and "برای شما در این بخش کاری نیست" in juror.text


def test_the_tracking_page_says_in_persian_when_one_client_asks_too_often(system: System, browser: Browser,
                                                                         tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens["staff.d07"])
    guesser = signed_in(browser, system, None, address="192.0.2.166")
    page = open_page(guesser, f"{base(system)}/track")
    for _ in range(6):
        look_up(page, work["tracking_code"], mobile())
    expect(page.locator("#error-summary")).to_contain_text("درخواست‌های شما زیاد است؛ کمی بعد دوباره تلاش کنید.")
    check_page(page, "submissions-track-too-many")
    guesser.close()


def test_the_tracking_page_and_the_json_lookup_share_their_address(system: System, tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens["staff.d07"])
    lookup = {"code": work["tracking_code"], "mobile": work["submitter"]["mobile"]}
    address = {"X-Forwarded-For": "192.0.2.199"}
    assert "<form" in httpx.get(f"{base(system)}/track", headers=address).text
    assert httpx.get(f"{base(system)}/track", params=lookup, headers=address).json()["status"] == "received"
    assert httpx.post(f"{base(system)}/track", json=lookup, headers=address).json()["status"] == "received"
    page = httpx.get(f"{base(system)}/track", params=lookup, headers={**address, "Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")


def test_pages_need_a_session_and_send_the_browser_to_sign_in(system: System) -> None:
    response = httpx.get(f"{base(system)}/office/works/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{system.url('registry')}/sign-in?next=")
