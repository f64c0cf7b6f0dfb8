"""The central secretariat's spreadsheets of the registry: the monitoring table of the 22 districts and the district
reports, as CSV (UTF-8 with a byte-order mark) and XLSX (opened with openpyxl: Persian text intact, numbers as
numbers, right-to-left). The same permissions as the JSON routes they mirror; hostile addresses are not found."""

from datetime import UTC, datetime

import httpx
import pytest

from shared.persian import format_jalali_date
from tests.support.downloads import csv_of, sheet_of
from tests.support.system import System, bearer

DISTRICT = 14
ACHIEVEMENT = "برگزاری کارگاه خیاطی برای زنان سرپرست خانوار"


def export(system: System, name: str, token: str | None, **params: str) -> httpx.Response:
    """Ask for a registry export (as someone, or nobody)."""
    return httpx.get(f"{system.url('registry')}/exports/{name}", params=params,
                     headers=bearer(token) if token else {}, timeout=120)


@pytest.fixture(scope="module")
def filed(system: System) -> None:
    """District 14's secretary filed a report for today."""
    today = format_jalali_date(datetime.now(UTC), persian_digits=False)
    response = httpx.post(f"{system.url('registry')}/districts/{DISTRICT}/reports",
                          headers=bearer(system.district_secretary_token(DISTRICT)), json={
                              "period_start": today, "period_end": today, "achievements": ACHIEVEMENT,
                              "shortcomings": "=HYPERLINK(\"http://example.com\")",
                              "shortcoming_items": [{"what": "نبود سالن", "since": today, "needed": "یک سالن"}]})
    assert response.status_code == 201, response.text


def test_the_monitoring_table_of_22_districts_as_xlsx_and_csv(system: System, filed: None) -> None:
    rows = sheet_of(export(system, "monitoring.xlsx", system.token()))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["منطقه", "وضعیت", "آثار رسیده", "آثار کارآفرینی", "آثار رفاه و خدمات اجتماعی",
                          "آثار مشارکت‌های مردمی"]
    assert [r[0] for r in body] == list(range(1, 23))  # numbers as numbers
    assert all(isinstance(r[column], int) for r in body for column in range(2, 10))
    assert all(r[2] == r[3] + r[4] + r[5] for r in body)  # each work in one category
    assert {r[1] for r in body} <= {"دارای مصوبهٔ معوق", "منتظر تأیید دریافت", "به‌روز"}
    assert body[DISTRICT - 1][header.index("آخرین گزارش")]  # it reported: the last report's Jalali moment

    response = export(system, "monitoring.csv", system.token())
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    table = csv_of(response)
    assert table[0][0] == "منطقه" and len(table) == 23 and table[DISTRICT][0] == str(DISTRICT)


def test_district_reports_as_xlsx_and_csv_for_those_who_may_read_them(system: System, filed: None) -> None:
    rows = sheet_of(export(system, "reports.xlsx", system.token()))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["منطقه", "از تاریخ", "تا تاریخ", "تاریخ ثبت"]
    ours = [r for r in body if r[0] == DISTRICT and r[header.index("دستاوردها")] == ACHIEVEMENT]
    assert ours, body
    counts = ours[0][4:header.index("مصوبات معوق") + 1]
    assert all(isinstance(value, int) for value in counts)
    # A text that a spreadsheet would run as a formula stays text.
    assert ours[0][header.index("کاستی‌ها")].startswith("'=HYPERLINK")
    assert "نبود سالن" in ours[0][header.index("کمبودهای گزارش‌شده")]

    staff = system.district_staff_token(DISTRICT)  # a district's office reads its own district's reports
    own = csv_of(export(system, "reports.csv", staff))
    assert own[0][0] == "منطقه" and {row[0] for row in own[1:]} == {str(DISTRICT)}
    assert ACHIEVEMENT in {cell for row in own for cell in row}
    assert export(system, "reports.csv", staff, district="۱۴").status_code == 200  # Persian digits too
    assert export(system, "reports.csv", staff, district="3").status_code == 403


def test_who_may_not_see_the_monitoring_is_refused(system: System) -> None:
    staff = system.district_staff_token(DISTRICT)
    assert export(system, "monitoring.xlsx", staff).status_code == 403
    anonymous = export(system, "monitoring.xlsx", None)
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.headers["location"]


def test_hostile_export_addresses_are_not_found_never_a_server_error(system: System) -> None:
    token = system.token()
    for name in ("monitoring.pdf", "monitoring", "secrets.csv", "%00.csv", "reports.csv%00", "x" * 5000 + ".csv",
                 "monitoring.xlsx.csv.exe"):
        # A NUL anywhere in the address is refused before any route, as on every service (422 invalid_characters).
        assert export(system, name, token).status_code == (422 if "%00" in name else 404), name
    for district in ("99", "0", "-1", "\x00", "abc", "1" * 400, "²"):
        expected = 422 if "\x00" in district else 404
        assert export(system, "reports.xlsx", token, district=district).status_code == expected, district
