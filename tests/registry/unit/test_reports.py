"""Pure rules of reports: the period, and the city report's and the monitoring table's rows for all 22 districts."""

from datetime import UTC, date, datetime

import pytest

from services.registry.reports.domain import city_figures, monitoring_rows, period, shortcomings, with_jalali
from shared.refusals import Refusal

ZERO = {"addressed": 0, "acknowledged": 0, "pending": 0, "overdue": 0}


def test_a_period_spans_tehran_days() -> None:
    span = period("1405/08/01", "1405/08/30")
    assert (span.start, span.end) == (date(2026, 10, 23), date(2026, 11, 21))
    assert span.since < span.until and span.since.tzinfo is not None
    for start, end, code in (("1405/08/30", "1405/08/01", "invalid_period"), ("1405/13/01", "1405/08/01",
                                                                              "invalid_date")):
        with pytest.raises(Refusal) as refused:
            period(start, end)
        assert refused.value.code == code


def test_the_monitoring_table_has_every_district_even_without_events() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    rows = monitoring_rows({7: {"welfare": 2, "participation": 1}}, {d: ZERO for d in range(1, 23)}, {12: at})
    assert [r["district"] for r in rows] == list(range(1, 23))
    assert rows[6]["works_received"] == 3 and rows[0]["works_received"] == 0
    assert rows[6]["works_by_category"] == {"welfare": 2, "participation": 1} and rows[0]["works_by_category"] == {}
    assert rows[11]["last_report_at"] == at and rows[6]["last_report_at"] is None


def test_the_city_report_counts_the_districts_that_reported() -> None:
    figures = city_figures({3: {"id": "r3", "figures": {"totals": {"received": 2}}},
                            5: {"id": "r5", "figures": {"totals": {"received": 1}}}})
    assert figures["districts_reporting"] == 2 and figures["totals"] == {"received": 3}
    assert figures["districts"][2] == {"district": 3, "report_id": "r3", "totals": {"received": 2},
                                       "figures": {"totals": {"received": 2}}, "overdue_decisions": [],
                                       "shortcomings": []}


def test_shortcomings_carry_a_jalali_since_date_never_in_the_future() -> None:
    today = date(2026, 11, 27)
    stored = shortcomings([{"what": "سالن", "since": "۱۴۰۵/۰۷/۰۱", "needed": "اجاره سالن"}], today)
    assert stored == [{"what": "سالن", "since": "2026-09-23", "needed": "اجاره سالن"}]
    assert with_jalali(stored)[0]["since_jalali"] == "1405/07/01"
    for since, code in (("1405/13/01", "invalid_shortcoming_date"), ("1406/01/01", "shortcoming_in_future")):
        with pytest.raises(Refusal) as refused:
            shortcomings([{"what": "a", "since": "1405/01/01", "needed": "b"},
                          {"what": "a", "since": since, "needed": "b"}], today)
        assert refused.value.code == code and refused.value.details == {"row": 1}


def test_the_city_report_carries_each_districts_overdue_decisions_and_shortcomings() -> None:
    gap = {"what": "مربی", "since": "2026-09-23", "needed": "دو مربی"}
    late = [{"decision_id": "d1", "title": "t", "ack_deadline": "2026-11-01T00:00:00+00:00"}]
    figures = city_figures({3: {"id": "r3", "figures": {"totals": {}}, "shortcoming_items": [gap]}}, {3: late, 9: late})
    assert figures["districts"][2]["shortcomings"] == [{**gap, "since_jalali": "1405/07/01"}]
    assert figures["districts"][2]["overdue_decisions"] == late
    assert figures["districts"][8] == {"district": 9, "report_id": None, "totals": None, "figures": None,
                                       "overdue_decisions": late, "shortcomings": []}
