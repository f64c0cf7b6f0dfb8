"""What the registry's pages rest on without a browser: the Persian words for roles and deadlines, the step a
district takes next, and which monthly report is still owed (no servers needed)."""

from datetime import UTC, date, datetime

import pytest

from services.registry.decisions.domain import NEXT_STEP, is_overdue
from services.registry.names import deadline_fa, jalali_day, membership_fa
from services.registry.reports.domain import month_due, month_so_far
from shared.persian import tehran_day_end_utc
from shared.principal import Membership


@pytest.mark.parametrize(("membership", "words"), [
    (Membership(body="district-07", kind="district_secretariat", role="secretary", district=7),
     "دبیر دبیرخانهٔ هادی منطقه ۷"),
    (Membership(body="festival-secretary", kind="festival_secretary", role="secretary"), "دبیر جشنواره"),
    (Membership(body="central-secretariat", kind="central_secretariat", role="staff"), "کارشناس دبیرخانهٔ مرکزی"),
    (Membership(body="policy-council", kind="policy_council", role="chair"), "رئیس شورای سیاست‌گذاری"),
])
def test_a_role_reads_in_persian(membership: Membership, words: str) -> None:
    assert membership_fa(membership) == words


def test_a_deadline_given_as_a_jalali_day_reads_as_the_end_of_that_day() -> None:
    assert deadline_fa(tehran_day_end_utc("1405/09/15")) == "تا پایان ۱۴۰۵/۰۹/۱۵"
    assert deadline_fa(datetime(2026, 11, 27, 9, 30, tzinfo=UTC)) == "تا ۱۴۰۵/۰۹/۰۶ ۱۳:۰۰"
    assert deadline_fa(None) == "—" and jalali_day(date(2026, 11, 22)) == "۱۴۰۵/۰۹/۰۱"


def test_a_district_acknowledges_a_relayed_decision_then_reports_it_implemented() -> None:
    assert NEXT_STEP == {"relayed": "acknowledge", "acknowledged": "implement"}
    assert is_overdue({"status": "relayed", "overdue_at": datetime.now(UTC)})
    assert not is_overdue({"status": "acknowledged", "overdue_at": datetime.now(UTC)})


def test_the_report_owed_is_last_months_until_a_report_reaches_its_last_day() -> None:
    today = date(2026, 11, 27)  # 1405/09/06
    assert month_due(None, today) == ("1405/08/01", "1405/08/30")
    assert month_due(date(2026, 11, 10), today) == ("1405/08/01", "1405/08/30")  # 1405/08/19: not the whole month
    assert month_due(date(2026, 11, 21), today) is None  # 1405/08/30
    assert month_due(None, date(2026, 3, 25)) == ("1404/12/01", "1404/12/29")  # 1405/01/05: last year's Esfand
    assert month_so_far(today) == ("1405/09/01", "1405/09/06")
