"""The council's and committee members' decision pages in a real browser: choosing a kind of decision, issuing a
directive and actionable decisions with their parameters (refusals at their fields, what was typed kept), the
approve-results prefill, every decision's 22-district status with its chart, and a committee member acknowledging
for the committee; hostile input never a server error."""

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from tests.support.browser import check_page, field, field_error
from tests.support.registry_pages import Registry
from tests.support.registry_staff_pages import (
    COMMITTEE,
    fresh,
    issue_directive,
    jalali_in,
    signed_in,
    staff_people,
)
from tests.support.system import System


@pytest.fixture(scope="module")
def registry(system: System) -> Registry:
    return staff_people(system)


def test_the_chair_issues_a_directive_refused_at_its_fields_then_follows_it(context: BrowserContext,
                                                                           registry: Registry) -> None:
    page = signed_in(context, registry, "chair")
    page.goto(f"{registry.base}/desk")
    page.get_by_role("link", name="صدور مصوبه", exact=True).click()
    expect(page.locator("h1")).to_have_text("چه مصوبه‌ای صادر می‌کنید؟")
    check_page(page, "registry-council-decision-choose")
    page.click("a:has-text('دستورالعمل')")
    expect(page.locator("h1")).to_have_text("صدور دستورالعمل")
    check_page(page, "registry-council-decision-new")

    title = fresh("برگزاری هفتهٔ همسایگی")
    field(page, "title").fill(title)
    field(page, "ack_deadline").fill("۱۴۰۵/۱۳/۴۰")
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "text")).to_have_text("این بخش را پر کنید.")
    expect(field(page, "title")).to_have_value(title)
    expect(field(page, "ack_deadline")).to_have_value("۱۴۰۵/۱۳/۴۰")
    check_page(page, "registry-council-decision-refused")

    field(page, "text").fill("در هر سرای محله برنامهٔ هفتهٔ همسایگی برگزار شود.")
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "ack_deadline")).to_have_text("تاریخ مهلت معتبر نیست.")
    expect(field(page, "text")).to_have_value("در هر سرای محله برنامهٔ هفتهٔ همسایگی برگزار شود.")
    field(page, "ack_deadline").fill(jalali_in(-1))
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "ack_deadline")).to_have_text("مهلت پاسخ باید در آینده باشد.")
    expect(page.locator("#error-summary")).to_contain_text("مهلت تأیید دریافت")

    page.uncheck("#all-districts")
    page.click("button:has-text('صدور مصوبه')")
    expect(page.locator("[id='field-districts'] .field-error")).to_contain_text("مناطق مخاطب")

    field(page, "ack_deadline").fill(jalali_in(10))
    page.check("#district-14")
    page.check("#district-15")
    page.check(f"#committee-{COMMITTEE}")
    page.click("button:has-text('صدور مصوبه')")
    expect(page.locator(".panel-confirmation")).to_contain_text("مصوبه صادر شد")
    check_page(page, "registry-council-decision-issued")
    decision_id = page.url.split("/council/decisions/")[1].split("?")[0]
    found = registry.get(f"/decisions/{decision_id}", "festival").json()
    assert (found["districts"], found["committees"], found["kind"]) == ([14, 15], [COMMITTEE], "directive")
    cells = page.locator("ul[aria-label='وضعیت هر منطقه'] li")
    expect(cells).to_have_count(2)
    expect(cells.first).to_contain_text("ابلاغ‌نشده")

    registry.post(f"/decisions/{decision_id}/relay", "central", {"districts": [14]})
    registry.post(f"/decisions/{decision_id}/districts/14/acknowledge", "secretary", {"note": "رسید"})
    page.goto(f"{registry.base}/council/decisions")
    row = page.locator("tbody tr", has_text=title)
    expect(row).to_contain_text("دریافت تأییدشده: ۱")
    expect(row).to_contain_text("ابلاغ‌نشده: ۱")
    expect(row).to_contain_text("۰ از ۱ تأیید کرده‌اند")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    check_page(page, "registry-council-decisions")
    row.locator("a").click()
    expect(page.locator("ul[aria-label='وضعیت هر منطقه'] li", has_text="منطقهٔ ۱۴")).to_contain_text("دریافت تأییدشده")
    check_page(page, "registry-council-decision")


def test_the_chair_sets_quotas_with_a_table_of_districts(context: BrowserContext, registry: Registry) -> None:
    page = signed_in(context, registry, "chair")
    page.goto(f"{registry.base}/council/decisions/new?action=set_quotas")
    check_page(page, "registry-council-decision-quotas")
    field(page, "title").fill(fresh("سهمیهٔ راه‌یابی"))
    field(page, "text").fill("از هر منطقه در هر رشته پنج اثر به داوری شهری راه می‌یابد.")
    field(page, "ack_deadline").fill(jalali_in(7))
    field(page, "p.edition").fill("۱۴۰۵")
    field(page, "p.per_district").fill("پنج")
    page.click("summary:has-text('سهمیهٔ ویژه')")
    field(page, "p.exceptions.7").fill("۳")
    field(page, "p.exceptions.12").fill("دو")
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "p.per_district")).to_have_text("یک عدد بنویسید.")
    expect(field_error(page, "p.exceptions.12")).to_be_visible()
    expect(field(page, "p.exceptions.7")).to_have_value("۳")
    check_page(page, "registry-council-decision-quotas-refused")

    field(page, "p.per_district").fill("۵")
    field(page, "p.exceptions.12").fill("")
    page.click("button:has-text('صدور مصوبه')")
    expect(page.locator(".panel-confirmation")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("منطقهٔ ۷: ۳")
    decision_id = page.url.split("/council/decisions/")[1].split("?")[0]
    found = registry.get(f"/decisions/{decision_id}", "festival").json()
    assert found["parameters"] == {"action": "set_quotas", "edition": "1405", "per_district": 5, "exceptions": {"7": 3}}
    assert found["requires_acknowledgement"] is False and found["all_districts"] is True


def test_the_chair_opens_a_call_with_jalali_dates_and_sees_unsupported_actions_refused(
        context: BrowserContext, registry: Registry) -> None:
    page = signed_in(context, registry, "chair")
    page.goto(f"{registry.base}/council/decisions/new?action=open_call")
    field(page, "title").fill(fresh("فراخوان جشنواره"))
    field(page, "text").fill("فراخوان دورهٔ ۱۴۰۶ جشنواره آغاز می‌شود.")
    field(page, "ack_deadline").fill(jalali_in(5))
    field(page, "p.edition").fill("1406")
    page.check("#category-welfare")
    page.check("#category-participation")
    field(page, "p.opens_at").fill("۱۴۰۶/۱۳/۰۱")
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "p.opens_at")).to_contain_text("سال/ماه/روز")
    expect(field_error(page, "p.closes_at")).to_have_text("این بخش را پر کنید.")
    expect(page.locator("#category-welfare")).to_be_checked()
    check_page(page, "registry-council-decision-call-refused")
    field(page, "p.opens_at").fill(jalali_in(30))
    field(page, "p.closes_at").fill(jalali_in(90, persian=False))
    page.click("button:has-text('صدور مصوبه')")
    expect(page.locator(".panel-confirmation")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("رفاه و خدمات اجتماعی، مشارکت‌های مردمی")
    expect(page.locator("dl")).to_contain_text(jalali_in(30))
    decision_id = page.url.split("/council/decisions/")[1].split("?")[0]
    parameters = registry.get(f"/decisions/{decision_id}", "festival").json()["parameters"]
    assert parameters["categories"] == {"welfare": "رفاه و خدمات اجتماعی", "participation": "مشارکت‌های مردمی"}
    assert parameters["opens_at"] < parameters["closes_at"]

    page.goto(f"{registry.base}/council/decisions/new?action=open_tier")
    field(page, "title").fill(fresh("آغاز داوری"))
    field(page, "text").fill("داوری شهری آغاز شود.")
    field(page, "ack_deadline").fill(jalali_in(5))
    field(page, "p.edition").fill("۱۴۰۵")
    field(page, "p.tier").select_option("2")
    page.click("button:has-text('صدور مصوبه')")
    expect(field_error(page, "p.tier")).to_contain_text("پشتیبانی نمی‌شود")
    expect(field(page, "p.tier")).to_have_value("2")


def test_approving_results_comes_prefilled_from_the_proposals(context: BrowserContext, registry: Registry) -> None:
    page = signed_in(context, registry, "chair")
    page.goto(f"{registry.base}/council/decisions/new?action=approve_results&edition=1405")
    expect(page.locator("h1")).to_contain_text("تأیید نتایج داوری")
    expect(field(page, "p.edition")).to_have_value("1405")
    expect(field(page, "title")).to_have_value("تأیید نتایج داوری جشنوارهٔ ۱۴۰۵")
    check_page(page, "registry-council-decision-approve")


def test_people_who_issue_for_no_body_are_refused_the_form(context: BrowserContext, registry: Registry) -> None:
    page = signed_in(context, registry, "central")
    response = page.goto(f"{registry.base}/council/decisions/new?kind=directive")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("اجازهٔ این کار را ندارید")


def test_a_committee_member_acknowledges_a_decision_for_the_committee(context: BrowserContext,
                                                                    registry: Registry) -> None:
    title = fresh("گزارش کمیتهٔ رفاه")
    decision_id = issue_directive(registry, title, committees=(COMMITTEE,))
    page = signed_in(context, registry, "committee")
    page.goto(f"{registry.base}/desk")
    page.click("a:has-text('مصوبه‌های کمیته')")
    expect(page.locator("h1")).to_contain_text("کمیته تخصصی رفاه و خدمات اجتماعی")
    item = page.locator("li", has_text=title)
    expect(item).to_contain_text("منتظر تأیید دریافت")
    check_page(page, "registry-committee-decisions")
    item.locator("a").click()
    check_page(page, "registry-committee-decision")
    field(page, "note").fill("در جلسهٔ کمیته خوانده شد.")
    page.click("button:has-text('تأیید دریافت مصوبه')")
    expect(page.locator(".alert-success")).to_contain_text("تأیید شد")
    expect(page.locator("button:has-text('تأیید دریافت مصوبه')")).to_have_count(0)
    check_page(page, "registry-committee-decision-acknowledged")
    row = registry.get(f"/decisions/{decision_id}", "festival").json()["per_committee"][0]
    assert (row["committee"], row["ack_note"]) == (COMMITTEE, "در جلسهٔ کمیته خوانده شد.")
    assert row["acknowledged_by"]

    # A juror reads every decision but does not answer for the welfare committee: no form to acknowledge with.
    juror = signed_in(context, registry, "juror")
    juror.goto(f"{registry.base}/committee/decisions/{decision_id}?committee={COMMITTEE}")
    expect(juror.locator("h1")).to_have_text(title)
    expect(juror.locator("button:has-text('تأیید دریافت مصوبه')")).to_have_count(0)
    # District staff neither read the committee's decisions nor answer for it: refused.
    staff = signed_in(context, registry, "staff")
    response = staff.goto(f"{registry.base}/committee/decisions?committee={COMMITTEE}")
    assert response is not None and response.status == 403


def test_hostile_input_never_yields_a_server_error(context: BrowserContext, registry: Registry) -> None:
    page = signed_in(context, registry, "chair")
    page.goto(f"{registry.base}/council/decisions/new?kind=directive")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    client = httpx.Client(base_url=registry.base, cookies=cookies, timeout=30)
    hostile = {"csrf_token": csrf, "kind": "actionable", "action": "nonsense\x00", "title": "x" * 100_000,
               "text": "\x00\u202e", "issuing_body": "../../etc", "districts": ["۲۳", "abc", "-1", "9" * 50],
               "committees": ["Robert'); DROP TABLE bodies;--"], "ack_deadline": "\x00" * 10,
               "p.per_district": "9" * 400, "p.criteria.0.weight": "1e999", "acknowledgement": "maybe"}
    for kind, action in (("actionable", "nonsense"), ("actionable", "set_rubric"), ("actionable", "set_quotas"),
                         ("actionable", "open_tier"), ("directive", ""), ("", "")):
        response = client.post("/council/decisions", data={**hostile, "kind": kind, "action": action})
        assert response.status_code < 500, (kind, action, response.text[:300])
    for path in ("/council/decisions/not-a-uuid", "/council/decisions/00000000-0000-0000-0000-000000000000",
                 "/council/decisions/new?action=" + "x" * 5000, "/committee/decisions?committee=%00",
                 "/committee/decisions/00000000-0000-0000-0000-000000000000?committee=jury"):
        assert client.get(path).status_code < 500, path
    response = client.post("/committee/decisions/00000000-0000-0000-0000-000000000000/acknowledge",
                           data={"csrf_token": csrf, "committee": "\x00" * 100, "note": "\x00"})
    assert response.status_code < 500
    assert client.post("/council/decisions", data={"kind": "directive"}).status_code == 403  # no CSRF token
