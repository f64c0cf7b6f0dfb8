"""Submissions' pages in a real browser: a district office clerk enters a citizen's work with a document (a refused
national ID first, shown in Persian at its field with everything else kept), checks the answers, gets the
tracking code and prints the receipt; the citizen, not signed in, follows the work by code and mobile; the clerk
finds it in the list with a letter variant, opens its page, edits it, exports the list and withdraws it. People
who may not see the list or the work get the Persian refusal page, and a form posted without its CSRF token is
refused. Every page is checked at a phone's and a desktop's width (tests/support/browser.py)."""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from services.submissions.permissions import PERMISSIONS, Capability
from tests.support.browser import check_page
from tests.support.files import PDF
from tests.support.personas import PERSONAS
from tests.support.submissions import NEIGHBOURHOODS, ensure_open_call, mobile, national_id, wait_for_neighbourhoods
from tests.support.submissions_accounts import persona_tokens
from tests.support.submissions_pages import (
    ascii_code,
    beside_the_browser,
    invalid_national_id,
    open_page,
    pdf_on_disk,
    persian,
    signed_in,
    unique_number,
)
from tests.support.system import System, bearer

DISTRICT = 7


@pytest.fixture(scope="module")
def tokens(system: System) -> dict[str, str]:
    """Every persona signed in, with the neighbourhoods known and the default edition's call open."""
    beside_the_browser(wait_for_neighbourhoods, system)
    ensure_open_call(system)
    return persona_tokens(system)


def base(system: System) -> str:
    return system.url("submissions")


def enter_work(page: Page, *, title: str, national: str, phone: str, document: Path) -> None:
    """Fill the work form as the clerk types it and send it."""
    page.select_option("#field-category", "welfare")
    page.fill("#field-title", title)
    page.fill("#field-summary", "زنان محله هر هفته با هم لباس می‌دوزند و به خانواده‌های نیازمند می‌دهند.")
    page.select_option("#field-neighbourhood", NEIGHBOURHOODS[DISTRICT])
    page.fill("#field-beneficiaries", persian("45"))
    page.fill("#field-name", "زهرا احمدی")
    page.fill("#field-national_id", national)
    page.fill("#field-mobile", phone)
    page.set_input_files("#field-documents", str(document))
    page.click("button[type=submit]")


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
    page.click("button[type=submit]")
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
    page.click("button[type=submit]")
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
    page.emulate_media(media="screen")
    work_url = page.locator("a:has-text('بازگشت به صفحهٔ اثر')").get_attribute("href")

    # The citizen, not signed in, follows the work by its code and mobile typed in Persian digits.
    citizen = signed_in(browser, system, None)
    tracking = open_page(citizen, f"{base(system)}/track")
    check_page(tracking, "submissions-track")
    tracking.fill("#field-code", persian(code))
    tracking.fill("#field-mobile", persian(mobile()))
    tracking.click("button[type=submit]")
    expect(tracking.locator("#error-summary")).to_contain_text("اثری با این کد رهگیری و شماره همراه پیدا نشد.")
    check_page(tracking, "submissions-track-refused")
    tracking.fill("#field-mobile", persian(phone))
    tracking.click("button[type=submit]")
    expect(tracking.locator("main")).to_contain_text("دریافت شد")
    expect(tracking.locator("main")).not_to_contain_text("زهرا احمدی")
    check_page(tracking, "submissions-track-result")

    # The list finds it typed with Arabic letters (ك for ک).
    page.goto(f"{base(system)}/office/works")
    page.fill("#field-q", "كارگاه دوخت")
    page.click("aside button[type=submit]")
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
    tracking.fill("#field-code", code)
    tracking.fill("#field-mobile", phone)
    tracking.click("button[type=submit]")
    expect(tracking.locator("ol")).to_contain_text("دریافت شد")
    expect(tracking.locator("ol")).to_contain_text("انصراف داده شد")
    clerk.close()
    citizen.close()


def district_7_work(system: System, tokens: dict[str, str]) -> dict:
    """A work of district 7 entered through the JSON route."""
    body = {"district": DISTRICT, "neighbourhood": NEIGHBOURHOODS[DISTRICT], "category": "participation",
            "title": f"باغچهٔ مشترک کوچه {unique_number()}", "summary": "همسایه‌ها زمین خالی را باغچه کردند.",
            "submitter": {"name": "مریم کاظمی", "national_id": national_id(), "mobile": mobile()}}
    response = httpx.post(f"{base(system)}/works", json=body, headers=bearer(tokens["staff.d07"]), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def test_pages_refused_to_people_who_may_not_see_them_show_a_persian_page_that_leaks_nothing(
        system: System, browser: Browser, tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens)
    other = signed_in(browser, system, tokens["staff.d12"])
    page = open_page(other, f"{base(system)}/office/works/{work['id']}")
    expect(page.locator("h1")).to_have_text("پیدا نشد")
    for secret in (work["title"], work["submitter"]["national_id"], work["tracking_code"]):
        assert secret not in page.content()
    check_page(page, "submissions-refused-other-district")
    page.goto(f"{base(system)}/office/works/{work['id']}/receipt")
    expect(page.locator("h1")).to_have_text("پیدا نشد")
    other.close()

    # The works list: refused to committee members the permissions table does not let list the district.
    for username in ("committee.welfare.chair", "member.d07"):
        may_list = PERMISSIONS.may(PERSONAS[username].principal(), Capability.LIST_WORKS, district=DISTRICT)
        member = signed_in(browser, system, tokens[username])
        page = open_page(member, f"{base(system)}/office/works")
        if may_list:  # today's table (issue #11 takes the list from district committees)
            expect(page.locator("h1")).to_contain_text("آثار")
        else:
            expect(page.locator("h1")).to_have_text("اجازهٔ این کار را ندارید")
            assert work["title"] not in page.content()
            check_page(page, "submissions-refused-works-list")
        member.close()


def test_forms_posted_without_their_csrf_token_are_refused(system: System, browser: Browser,
                                                           tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens)
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
    district_7_work(system, tokens)
    clerk = httpx.get(card, cookies={"hami_session": tokens["staff.d07"]})
    assert clerk.status_code == 200 and "امروز" in clerk.text and "/office/works" in clerk.text
    juror = httpx.get(card, cookies={"hami_session": tokens["jury.juror"]})
    assert juror.status_code == 200 and "برای شما در این بخش کاری نیست" in juror.text


def test_pages_need_a_session_and_send_the_browser_to_sign_in(system: System) -> None:
    response = httpx.get(f"{base(system)}/office/works/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{system.url('registry')}/sign-in?next=")
