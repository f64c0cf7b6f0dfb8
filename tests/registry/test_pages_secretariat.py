"""The central secretariat's pages in a real browser: relaying a decision with a note per district (none chosen is
refused at the field), the monitoring table of the 22 districts coloured and worded by state with its exports'
links, and compiling the city report (a bad period refused at its field, then the compiled report); hostile
input never a server error."""

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from shared.persian import to_persian_digits as fa
from tests.support.browser import check_page, field
from tests.support.registry_pages import Registry
from tests.support.registry_staff_pages import fresh, issue_directive, jalali_in, signed_in, staff_people
from tests.support.system import System
from tests.support.waiting import wait_for


@pytest.fixture(scope="module")
def registry(system: System) -> Registry:
    return staff_people(system)


def test_central_staff_relay_a_decision_with_a_note_per_district(context: BrowserContext,
                                                                 registry: Registry) -> None:
    title = fresh("فهرست سراهای فعال")
    decision_id = issue_directive(registry, title, districts=(14, 15, 16))
    page = signed_in(context, registry, "central")
    page.goto(f"{registry.base}/desk")
    page.click("a:has-text('ابلاغ مصوبه‌ها به مناطق')")
    waiting = page.locator("li", has_text=title)
    expect(waiting).to_contain_text("۳ منطقه منتظر ابلاغ")
    check_page(page, "registry-secretariat-decisions")
    waiting.locator("a").click()
    check_page(page, "registry-secretariat-relay")

    for district in (14, 15, 16):
        page.uncheck(f"#relay-{district}")
    field(page, "note.14").fill("لطفاً تا سه‌شنبه بفرستید.")
    page.click("button:has-text('ابلاغ به مناطق')")
    expect(page.locator("#error-summary")).to_contain_text("دست‌کم یک منطقه را انتخاب کنید.")
    expect(field(page, "note.14")).to_have_value("لطفاً تا سه‌شنبه بفرستید.")
    check_page(page, "registry-secretariat-relay-refused")

    page.check("#relay-14")
    page.check("#relay-15")
    field(page, "note.15").fill("منطقهٔ ۱۵: فهرست سال گذشته را هم پیوست کنید.")
    page.click("button:has-text('ابلاغ به مناطق')")
    expect(page.locator(".alert-success")).to_have_text("مصوبه به ۲ منطقه ابلاغ شد.")
    expect(page.locator("#relay-16")).to_be_checked()
    expect(page.locator("#relay-14")).to_have_count(0)
    rows = {r["district"]: r for r in registry.get(f"/decisions/{decision_id}", "festival").json()["per_district"]}
    assert (rows[14]["status"], rows[14]["relay_note"]) == ("relayed", "لطفاً تا سه‌شنبه بفرستید.")
    assert (rows[15]["status"], rows[15]["relay_note"]) == ("relayed", "منطقهٔ ۱۵: فهرست سال گذشته را هم پیوست کنید.")
    assert rows[16]["status"] == "issued"
    page.click("button:has-text('ابلاغ به مناطق')")
    expect(page.locator("main")).to_contain_text("به همهٔ مناطق مخاطب ابلاغ شده است")


def test_the_monitoring_table_colours_and_words_each_districts_state(context: BrowserContext,
                                                                     registry: Registry) -> None:
    late = registry.decision(fresh("مصوبهٔ دیرکرد"), seconds=2, districts=(17,))
    registry.decision(fresh("مصوبهٔ در انتظار"), districts=(18,))
    wait_for(lambda: registry.get(f"/decisions/{late}", "festival").json()["summary"]["overdue"] == [17])
    page = signed_in(context, registry, "central")
    page.goto(f"{registry.base}/desk")
    page.click("a:has-text('پایش مناطق')")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(22)
    # Each district in the words and colour of its state; other modules' decisions may have made district 18
    # overdue too, so what it should say is read from the JSON table.
    states = {row["district"]: "overdue" if row["decisions"]["overdue"] else
              "pending" if row["decisions"]["pending"] else "up_to_date"
              for row in registry.get("/monitoring", "central").json()}
    assert states[17] == "overdue" and states[18] in ("pending", "overdue")
    looks = {"overdue": ("مهلت گذشته", "table-danger"), "pending": ("منتظر تأیید", "table-warning")}
    for district in (17, 18):
        row, (word, colour) = rows.filter(has_text=f"منطقهٔ {fa(str(district))}"), looks[states[district]]
        expect(row).to_contain_text(word)
        expect(row).to_have_class(colour)
    words = rows.locator("td .badge").all_inner_texts()
    assert len(words) == 22 and set(words) <= {"مهلت گذشته", "منتظر تأیید", "به‌روز"}, words
    for label, kind in (("CSV", "csv"), ("Excel", "xlsx")):
        link = page.locator(f"a:has-text('دریافت {label}')")
        expect(link).to_have_attribute("href", f"{registry.base}/exports/monitoring.{kind}")
    page.click("summary:has-text('نمودار')")
    expect(page.locator("svg[role=img]")).to_be_visible()
    check_page(page, "registry-secretariat-monitoring")

    # District staff do not watch the city: refused.
    other = signed_in(context, registry, "staff")
    response = other.goto(f"{registry.base}/secretariat/monitoring")
    assert response is not None and response.status == 403


def test_central_staff_compile_the_city_report(context: BrowserContext, registry: Registry) -> None:
    registry.post("/districts/14/reports", "secretary", {
        "period_start": jalali_in(-3, persian=False), "period_end": jalali_in(-1, persian=False),
        "achievements": "ده برنامه در سراها", "shortcomings": "",
        "shortcoming_items": [{"what": "مربی قصه‌گویی", "since": jalali_in(-20, persian=False), "needed": "دو مربی"}]})
    page = signed_in(context, registry, "central")
    page.goto(f"{registry.base}/desk")
    page.click("a:has-text('گزارش شهر')")
    check_page(page, "registry-secretariat-city-report-new")
    field(page, "period_start").fill(jalali_in(-5))
    field(page, "period_end").fill(jalali_in(-9))
    field(page, "achievements").fill("برنامه‌های هفتهٔ همسایگی در بیشتر مناطق برگزار شد.")
    page.click("button:has-text('ساختن و ثبت گزارش شهر')")
    expect(page.locator("[id='error-period_end']")).to_have_text("تاریخ شروع دوره باید پیش از پایان آن باشد.")
    expect(field(page, "achievements")).to_have_value("برنامه‌های هفتهٔ همسایگی در بیشتر مناطق برگزار شد.")
    check_page(page, "registry-secretariat-city-report-refused")

    field(page, "period_end").fill(jalali_in(0))
    field(page, "shortcoming_items.0.what").fill("خودرو برای بازدید از مناطق")
    field(page, "shortcoming_items.0.since").fill(jalali_in(-30))
    field(page, "shortcoming_items.0.needed").fill("یک خودرو")
    page.click("button:has-text('ساختن و ثبت گزارش شهر')")
    expect(page.locator(".panel-confirmation")).to_contain_text("گزارش شهر ثبت شد")
    district = page.locator("tbody tr", has_text="منطقهٔ ۱۴")
    expect(district.first).to_contain_text("دیدن گزارش")
    expect(page.locator("main")).to_contain_text("مربی قصه‌گویی")
    expect(page.locator("main")).to_contain_text("خودرو برای بازدید از مناطق")
    check_page(page, "registry-secretariat-city-report")
    report_id = page.url.split("/secretariat/city-report/")[1].split("?")[0]
    compiled = registry.get(f"/reports/{report_id}", "central").json()
    assert compiled["district"] is None and compiled["figures"]["districts_reporting"] >= 1
    page.goto(f"{registry.base}/secretariat/city-report")
    expect(page.locator(f"a[href$='/secretariat/city-report/{report_id}']")).to_have_count(1)


def test_hostile_input_never_yields_a_server_error(context: BrowserContext, registry: Registry) -> None:
    decision_id = issue_directive(registry, fresh("مصوبهٔ آزمون"), districts=(20,))
    page = signed_in(context, registry, "central")
    page.goto(f"{registry.base}/secretariat/decisions/{decision_id}")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    client = httpx.Client(base_url=registry.base, cookies=cookies, timeout=30)
    for data in ({"districts": ["20", "۲۰", "²", "99", "abc"], "note.20": "\x00\u202e"},
                 {"districts": "20", "note.20": "ن" * 100_000}, {"districts": ["0"]}):
        response = client.post(f"/secretariat/decisions/{decision_id}/relay", data={"csrf_token": csrf, **data})
        assert response.status_code < 500, response.text[:300]
    assert client.post("/secretariat/decisions/00000000-0000-0000-0000-000000000000/relay",
                       data={"csrf_token": csrf, "districts": ["20"]}).status_code == 404
    for data in ({"period_start": "\x00", "period_end": "9" * 500},
                 {"period_start": "۱۴۰۵/۰۱/۰۱", "period_end": "۱۴۰۵/۰۱/۰۲", "shortcoming_items.0.since": "\x00",
                  "shortcoming_items.0.what": "x", "achievements": "\x1b[31m"}):
        assert client.post("/secretariat/city-report", data={"csrf_token": csrf, **data}).status_code < 500
    for path in ("/secretariat/decisions/not-a-uuid", "/secretariat/city-report/not-a-uuid",
                 "/secretariat/city-report/00000000-0000-0000-0000-000000000000", "/secretariat/monitoring?x=%00"):
        assert client.get(path).status_code < 500, path
