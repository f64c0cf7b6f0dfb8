"""Pure rules of reports flowing up: the period, a district's figures, the city report and the monitoring table."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import jdatetime

from shared.contracts.base import DISTRICTS
from shared.persian import parse_jalali_date, tehran_day_end_utc, tehran_day_start_utc, to_ascii_digits
from shared.refusals import Kind, Refusal

# Events the figures are counted from (the registry's ledger keeps them all).
RECEIVED = "submissions.work.received"
EVALUATED = "evaluation.work.evaluated"
ADVANCED = "evaluation.work.advanced"
COUNTED_EVENTS = {"received": RECEIVED, "evaluated": EVALUATED, "advanced": ADVANCED}


@dataclass(frozen=True)
class Period:
    """The Jalali days a report covers (inclusive), and the instants they span in Tehran."""

    start: date
    end: date
    since: datetime
    until: datetime


def period(start: str, end: str) -> Period:
    """A report's period from two Jalali dates; refuses bad dates and an end before the start."""
    try:
        first, last = parse_jalali_date(start), parse_jalali_date(end)
    except ValueError as error:
        raise Refusal(Kind.INVALID, "invalid_date", "تاریخ دوره معتبر نیست.", f"Invalid period: {error}") from None
    check_period(first, last)
    return Period(first, last, tehran_day_start_utc(start), tehran_day_end_utc(end))


def check_period(start: date, end: date) -> None:
    """A report covers at least one day, start before end."""
    if start > end:
        raise Refusal(Kind.INVALID, "invalid_period", "تاریخ شروع دوره باید پیش از پایان آن باشد.",
                      "The period must start before it ends.")


def shortcomings(items: list[dict], today: date) -> list[dict]:
    """A report's typed shortcomings as stored: {what, since (ISO date), needed}, each `since` a Jalali date not in
    the future; refuses the first bad date, naming its row."""
    stored = []
    for index, item in enumerate(items):
        try:
            since = parse_jalali_date(item["since"])
        except ValueError as error:
            raise Refusal(Kind.INVALID, "invalid_shortcoming_date", "تاریخ شروع کمبود معتبر نیست.",
                          f"Invalid shortcoming date: {error}", {"row": index}) from None
        if since > today:
            raise Refusal(Kind.INVALID, "shortcoming_in_future", "تاریخ شروع کمبود نمی‌تواند در آینده باشد.",
                          "A shortcoming cannot start in the future.", {"row": index})
        stored.append({"what": item["what"], "since": since.isoformat(), "needed": item["needed"]})
    return stored


def with_jalali(items: list[dict]) -> list[dict]:
    """Stored shortcomings as people read them: each date with its Jalali form next to the ISO value."""
    return [{**item, "since_jalali": to_ascii_digits(jdatetime.date.fromgregorian(
        date=date.fromisoformat(item["since"])).strftime("%Y/%m/%d"))} for item in items]


def district_figures(works: dict[str, dict[str, int]], decisions: dict[str, int]) -> dict:
    """Figures of a district report: works per category at each stage, totals, and decision statuses."""
    return {
        "works": {stage: dict(sorted(by_category.items())) for stage, by_category in works.items()},
        "totals": {stage: sum(by_category.values()) for stage, by_category in works.items()},
        "decisions": decisions,
    }


def city_figures(latest: dict[int, dict | None], overdue: dict[int, list[dict]] | None = None) -> dict:
    """The city report's table: every district, its latest report (or none) with its figures and shortcomings, the
    decisions it has left unacknowledged past their deadline, and city-wide totals."""
    rows, totals, overdue = [], {}, overdue or {}
    for district in DISTRICTS:
        report = latest.get(district)
        rows.append({"district": district, "report_id": str(report["id"]) if report else None,
                     "totals": report["figures"]["totals"] if report else None,
                     "figures": report["figures"] if report else None,
                     "overdue_decisions": overdue.get(district, []),
                     "shortcomings": with_jalali(report.get("shortcoming_items", [])) if report else []})
        for stage, count in (report["figures"]["totals"] if report else {}).items():
            totals[stage] = totals.get(stage, 0) + count
    return {"districts": rows, "totals": totals, "districts_reporting": sum(r["report_id"] is not None for r in rows)}


def monitoring_rows(works_received: dict[int, dict[str, int]], decisions: dict[int, dict[str, int]],
                    last_report_at: dict[int, datetime]) -> list[dict]:
    """All 22 districts at a glance: works received (in all and per category), their decisions' statuses, and when
    they last reported."""
    return [{"district": district, "works_received": sum(works_received.get(district, {}).values()),
             "works_by_category": works_received.get(district, {}), "decisions": decisions[district],
             "last_report_at": last_report_at.get(district)}
            for district in DISTRICTS]


def month_due(last_period_end: date | None, today: date) -> tuple[str, str] | None:
    """The Jalali month (first and last day, as typed in a form) a district still owes its monthly report for:
    the month before today's, unless a filed report's period reaches its last day."""
    first_of_this = jdatetime.date.fromgregorian(date=today).replace(day=1)
    last_of_previous = first_of_this - timedelta(days=1)
    if last_period_end is not None and last_period_end >= last_of_previous.togregorian():
        return None
    return last_of_previous.replace(day=1).strftime("%Y/%m/%d"), last_of_previous.strftime("%Y/%m/%d")


def month_so_far(today: date) -> tuple[str, str]:
    """From the first of today's Jalali month to today, as typed in a form."""
    day = jdatetime.date.fromgregorian(date=today)
    return day.replace(day=1).strftime("%Y/%m/%d"), day.strftime("%Y/%m/%d")
