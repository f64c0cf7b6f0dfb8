"""The festival secretary keeps the organisation in a real browser, through the pages only: the tree of bodies,
districts, neighbourhoods and organisations; a new account for a person (refusals at the fields first); finding the
person, appointing them, a refused appointment at its field, ending an appointment; a new password and deactivating
an account; reloading the structure and seeing what changed. Others get the Persian refusal page, and hostile input
never yields a server error."""

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from shared.persian import to_persian_digits
from tests.support.browser import check_page
from tests.support.registry_pages import with_session
from tests.support.registry_secretary_pages import (
    fresh_username,
    get_page,
    post_form,
    rename_body_behind_the_registry,
    secretary_page,
)
from tests.support.system import ADMIN_USERNAME, System

NEW_PERSON = "نگار احمدی"
NEW_PASSWORD = "first-password-1405"
SEVEN = to_persian_digits("7")


@pytest.fixture(scope="module")
def festival_token(system: System) -> str:
    return system.token()


def open_new_account_form(page: Page) -> None:
    """Unfold the new account form, when folded."""
    if page.locator("#new-account[open]").count() == 0:
        page.click("#new-account summary")


def create_account_through_the_page(page: Page, system: System, username: str) -> None:
    """The accounts page's form, filled for the new person with an appointment, sent and confirmed."""
    page.goto(f"{system.url('registry')}/organisation/accounts")
    open_new_account_form(page)
    page.fill("#field-name", NEW_PERSON)
    page.fill("#field-username", username)
    page.fill("#field-password", NEW_PASSWORD)
    page.select_option("#field-body", "committee-welfare")
    page.select_option("#field-role", "member")
    page.click("#new-account button[type=submit]")
    expect(page.locator("[role=status]")).to_have_text("حساب کاربری ساخته شد.")


def test_the_secretary_browses_the_organisation_from_the_desk(context: BrowserContext, system: System) -> None:
    page = secretary_page(context, system)
    expect(page.locator("#organisation-card")).to_have_text("سازمان جشنواره")
    page.click("#organisation-card ~ ul a:has-text('ساختار سازمان')")

    expect(page.locator("h1")).to_have_text("سازمان جشنواره")
    expect(page.locator("main")).to_contain_text(f"{to_persian_digits('22')} منطقه")
    expect(page.locator("#festival-bodies + div")).to_contain_text("کمیته داوری")
    district = page.locator("#district-7")
    expect(district.locator("summary")).to_contain_text(f"منطقهٔ {SEVEN}")
    expect(district.get_by_text("کمیته اجرایی منطقه")).to_be_hidden()  # folded until asked
    district.locator("summary").click()
    expect(district.get_by_role("link", name=f"کمیته اجرایی منطقه {SEVEN}")).to_be_visible()
    expect(district).to_contain_text("محله‌ها")
    check_page(page, "registry-organisation")

    district.get_by_role("link", name=f"کمیته اجرایی منطقه {SEVEN}").click()
    expect(page.locator("#field-body")).to_have_value("district-07-executive")


def test_an_account_is_refused_at_its_fields_then_created(context: BrowserContext, system: System) -> None:
    page = secretary_page(context, system)
    page.click("#organisation-card ~ ul a:has-text('حساب‌های کاربری')")
    expect(page.locator("h1")).to_have_text("حساب‌های کاربری")
    open_new_account_form(page)
    page.click("#new-account button[type=submit]")  # nothing typed
    expect(page.locator("#error-name")).to_have_text("این بخش را پر کنید.")
    expect(page.locator("#error-username")).to_have_text("این بخش را پر کنید.")

    page.fill("#field-name", NEW_PERSON)
    page.fill("#field-username", ADMIN_USERNAME)  # the festival secretary's own
    page.fill("#field-password", "short")
    page.select_option("#field-body", "committee-welfare")
    page.click("#new-account button[type=submit]")
    expect(page.locator("#error-password")).to_have_text("این بخش کوتاه‌تر از حد لازم است.")
    expect(page.locator("#error-role")).to_be_visible()  # a body without a role
    expect(page.locator("#field-password")).to_have_value("")  # a password is never sent back

    page.fill("#field-password", NEW_PASSWORD)
    page.select_option("#field-role", "member")
    page.click("#new-account button[type=submit]")
    expect(page.locator("#error-username")).to_have_text("این نام کاربری قبلاً ثبت شده است.")
    expect(page.locator("#error-summary")).to_contain_text("نام کاربری: این نام کاربری قبلاً ثبت شده است.")
    expect(page.locator("#field-name")).to_have_value(NEW_PERSON)
    expect(page.locator("#field-body")).to_have_value("committee-welfare")
    check_page(page, "registry-accounts-refused")

    username = fresh_username("negar")
    page.fill("#field-username", username)
    page.fill("#field-password", NEW_PASSWORD)
    page.click("#new-account button[type=submit]")
    expect(page.locator("[role=status]")).to_have_text("حساب کاربری ساخته شد.")
    row = page.locator("li[id^=account-]", has_text=username)
    expect(row).to_contain_text(NEW_PERSON)
    expect(row).to_contain_text("عضو کمیته تخصصی رفاه و خدمات اجتماعی")
    expect(row.locator(".badge")).to_have_text("فعال")
    check_page(page, "registry-accounts")
    assert system.token(username, NEW_PASSWORD)  # the account signs in


def test_the_secretary_finds_a_person_appoints_them_is_refused_and_ends_it(context: BrowserContext,
                                                                          system: System) -> None:
    page = secretary_page(context, system)
    username = fresh_username("negar.appointed")
    create_account_through_the_page(page, system, username)

    page.goto(f"{system.url('registry')}/desk")
    page.click("#organisation-card ~ ul a:has-text('افراد و انتصاب‌ها')")
    page.fill("#field-name", "نگار")
    page.select_option("#field-body", "committee-welfare")
    page.click("form[aria-label='پالایش افراد'] button[type=submit]")
    person = page.locator("main li.list-group-item", has_text=username)
    expect(person).to_contain_text("عضو — کمیته تخصصی رفاه و خدمات اجتماعی")
    check_page(page, "registry-people")

    person.get_by_role("link", name=NEW_PERSON).click()
    expect(page.locator("h1")).to_have_text(NEW_PERSON)
    check_page(page, "registry-person")

    page.click("form[action$='/appointments'] button[type=submit]")  # nothing chosen
    expect(page.locator("#error-body")).to_have_text("این بخش را پر کنید.")
    expect(page.locator("#error-role")).to_have_text("یکی از گزینه‌ها را انتخاب کنید.")

    page.select_option("#field-body", "jury")
    page.select_option("#field-role", "juror")
    page.click("form[action$='/appointments'] button[type=submit]")
    expect(page.locator("[role=status]")).to_have_text("انتصاب ثبت شد.")
    jury = page.locator("section[aria-labelledby=current] li", has_text="کمیته داوری")
    expect(jury).to_contain_text("داور")
    letter = jury.get_by_role("link", name="نامهٔ انتصاب (PDF)")
    assert letter.get_attribute("href").endswith("/letter.pdf")

    page.select_option("#field-body", "jury")  # the same role again
    page.select_option("#field-role", "juror")
    page.click("form[action$='/appointments'] button[type=submit]")
    expect(page.locator("#error-role")).to_have_text("این شخص همین نقش را در این نهاد دارد.")
    expect(page.locator("#field-body")).to_have_value("jury")

    page.select_option("#field-body", "festival-secretary")  # the council names the festival secretary
    page.select_option("#field-role", "secretary")
    page.click("form[action$='/appointments'] button[type=submit]")
    expect(page.locator("#error-body")).to_have_text("شما اجازهٔ این کار را ندارید.")
    expect(page.locator("#error-summary")).to_contain_text("نهاد: شما اجازهٔ این کار را ندارید.")
    expect(page.locator("#field-role")).to_have_value("secretary")
    check_page(page, "registry-person-refused")

    jury.locator("summary").click()
    jury.get_by_role("button", name="پایان انتصاب").click()
    expect(page.locator("[role=status]")).to_contain_text("انتصاب پایان یافت")
    expect(page.locator("section[aria-labelledby=current]")).not_to_contain_text("کمیته داوری")
    expect(page.locator("section[aria-labelledby=past]")).to_contain_text("داور — کمیته داوری")
    check_page(page, "registry-person-ended")


def test_a_new_password_then_deactivating_the_account(context: BrowserContext, system: System) -> None:
    page = secretary_page(context, system)
    username = fresh_username("negar.leaving")
    create_account_through_the_page(page, system, username)
    row = page.locator("li[id^=account-]", has_text=username)

    row.locator("summary", has_text="گذرواژهٔ تازه").click()
    row.locator("input[name=new_password]").fill("short")
    row.get_by_role("button", name="ثبت گذرواژه").click()
    row = page.locator("li[id^=account-]", has_text=username)
    expect(row.locator(".field-error")).to_have_text("این بخش کوتاه‌تر از حد لازم است.")
    expect(page.locator("#error-summary")).to_be_visible()
    check_page(page, "registry-accounts-password-refused")
    row.locator("input[name=new_password]").fill("second-password-1405")
    row.get_by_role("button", name="ثبت گذرواژه").click()
    expect(page.locator("[role=status]")).to_contain_text("گذرواژهٔ تازه ثبت شد")
    assert system.token(username, "second-password-1405")
    with pytest.raises(httpx.HTTPStatusError):
        system.token(username, NEW_PASSWORD)

    row = page.locator("li[id^=account-]", has_text=username)
    row.locator("summary", has_text="غیرفعال کردن").click()
    row.get_by_role("button", name="غیرفعال کردن حساب").click()
    expect(page.locator("[role=status]")).to_contain_text("حساب غیرفعال شد")
    expect(page.locator("li[id^=account-]", has_text=username).locator(".badge")).to_have_text("غیرفعال")
    with pytest.raises(httpx.HTTPStatusError):
        system.token(username, "second-password-1405")

    page.fill("#field-search", ADMIN_USERNAME)
    page.click("form[role=search] button")
    own = page.locator("li[id^=account-]", has=page.locator(f".ltr:text-is('{ADMIN_USERNAME}')"))
    own.locator("summary", has_text="غیرفعال کردن").click()
    own.get_by_role("button", name="غیرفعال کردن حساب").click()
    expect(page.locator("#error-summary")).to_contain_text("نمی‌توانید حساب خودتان را غیرفعال کنید.")


def test_reloading_the_structure_shows_what_changed(context: BrowserContext, system: System) -> None:
    rename_body_behind_the_registry(system, "district-07-scientific", "نام کهنه")
    page = secretary_page(context, system)
    page.click("#organisation-card ~ ul a:has-text('بارگذاری دوبارهٔ ساختار')")
    expect(page.locator("h1")).to_have_text("بارگذاری دوبارهٔ ساختار")
    check_page(page, "registry-structure")

    page.click("form[action$='/organisation/structure'] button")
    expect(page.locator("#changes")).to_have_text(f"ساختار بارگذاری شد: {to_persian_digits('1')} تغییر")
    expect(page.locator("[role=status] li")).to_have_text(
        f"نهاد «کمیته علمی منطقه {SEVEN}» در منطقهٔ {SEVEN} تغییر کرد.")
    check_page(page, "registry-structure-reloaded")

    page.click("form[action$='/organisation/structure'] button")
    expect(page.locator("[role=status]")).to_contain_text("چیزی تغییر نکرد")


PAGES = ["/organisation", "/organisation/people", "/organisation/accounts", "/organisation/structure"]


def test_a_district_secretary_gets_the_refusal_page(context: BrowserContext, system: System) -> None:
    with_session(context, system, system.district_secretary_token(7))
    page = context.new_page()
    for path in PAGES:
        response = page.goto(f"{system.url('registry')}{path}")
        assert response.status == 403, path
        expect(page.locator("h1")).to_have_text("اجازهٔ این کار را ندارید")
    check_page(page, "registry-organisation-refused")
    page.goto(f"{system.url('registry')}/desk")
    expect(page.locator("#organisation-card")).to_have_count(0)


def test_central_staff_read_the_organisation_but_do_not_reload_it(system: System) -> None:
    token = system.account_token("central.organisation", "central-secretariat", "staff")
    assert get_page(system, token, "/organisation").status_code == 200
    assert get_page(system, token, "/organisation/structure").status_code == 403
    assert post_form(system, token, "/organisation/structure", {}).status_code == 403


def test_signing_in_is_asked_for_first(system: System) -> None:
    response = httpx.get(f"{system.url('registry')}/organisation/people", follow_redirects=False)
    assert response.status_code == 303
    assert "/sign-in?next=" in response.headers["location"]


NUL = "\u0000"
HOSTILE_GETS = [
    # A NUL anywhere in the address is refused before any route, as on every service (422 invalid_characters).
    ("/organisation/people", {"name": f"نگار{NUL}"}, 422),
    ("/organisation/people", {"name": "ن" * 10_000}, 400),
    ("/organisation/people", {"district": "99999999999999999999", "role": "<script>", "body": f"jury{NUL}"}, 422),
    ("/organisation/people", {"district": "99999999999999999999", "role": "<script>", "body": "jury'--"}, 200),
    ("/organisation/people", {"name": "%_\\"}, 200),
    ("/organisation/accounts", {"name": f"x{NUL}"}, 422),
    ("/organisation/people/not-a-person", None, 404),
    ("/organisation/people/00000000-0000-0000-0000-000000000000", None, 404),
    ("/organisation/people/" + "a" * 5000, None, 404),
]


@pytest.mark.parametrize(("path", "params", "status"), HOSTILE_GETS)
def test_hostile_queries_get_a_persian_answer_never_a_server_error(system: System, festival_token: str, path: str,
                                                                   params: dict | None, status: int) -> None:
    response = get_page(system, festival_token, path, params)
    assert response.status_code == status, response.text[:300]
    if status == 422:
        assert response.json()["error"]["code"] == "invalid_characters"
    else:
        assert 'lang="fa"' in response.text


def hostile_posts(person_id: str) -> list[tuple[str, dict[str, str], int]]:
    """Form posts no page sends, with the status each gets."""
    return [
        (f"/organisation/people/{person_id}/appointments", {"body": f"jury{NUL}", "role": "juror"}, 400),
        (f"/organisation/people/{person_id}/appointments", {"body": "j" * 5000, "role": "king"}, 400),
        (f"/organisation/people/{person_id}/appointments", {"body": "no-such-body", "role": "member"}, 404),
        (f"/organisation/people/{person_id}/appointments/not-an-id/end", {}, 404),
        (f"/organisation/people/{person_id}/appointments/00000000-0000-0000-0000-000000000000/end", {}, 404),
        ("/organisation/people/not-a-person/appointments", {"body": "jury", "role": "juror"}, 404),
        ("/organisation/accounts", {"name": f"نام{NUL}", "username": "hostile.one", "password": "long-enough-pw"},
         400),
        ("/organisation/accounts", {"name": "نام", "username": "H" * 5000, "password": "p" * 100_000}, 400),
        ("/organisation/accounts", {"name": "نام", "username": "hostile.two", "password": "long-enough-pw",
                                    "body": "jury", "role": "emperor"}, 400),
        ("/organisation/accounts/not-an-account/deactivate", {}, 404),
        ("/organisation/accounts/00000000-0000-0000-0000-000000000000/password", {"new_password": "long-enough-pw"},
         404),
        ("/organisation/accounts/00000000-0000-0000-0000-000000000000/password", {"new_password": f"x{NUL}" * 8},
         400),
    ]


def test_hostile_posts_never_yield_a_server_error(system: System, festival_token: str) -> None:
    people = get_page(system, festival_token, "/organisation/people", {"name": "کارمند"})
    assert people.status_code == 200
    person_id = people.text.split("/organisation/people/", 1)[1][:36]
    for path, fields, status in hostile_posts(person_id):
        response = post_form(system, festival_token, path, fields)
        assert response.status_code == status, (path, fields.keys(), response.status_code, response.text[:300])
        assert 'lang="fa"' in response.text


def test_a_form_post_without_the_csrf_token_is_refused(system: System, festival_token: str) -> None:
    response = httpx.post(f"{system.url('registry')}/organisation/structure", cookies={"hami_session": festival_token},
                          timeout=30)
    assert response.status_code == 403
    assert "فرم منقضی شده است" in response.text
