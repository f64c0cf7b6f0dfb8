"""Pure rules of reports flowing up: a district's figures, and the city report compiled from them."""

from datetime import date

from shared.contracts.base import DISTRICTS
from shared.refusals import Kind, Refusal

# Events the figures are counted from (the registry's ledger keeps them all).
RECEIVED = "submissions.work.received"
EVALUATED = "evaluation.work.evaluated"
ADVANCED = "evaluation.work.advanced"
COUNTED_EVENTS = {"received": RECEIVED, "evaluated": EVALUATED, "advanced": ADVANCED}


def check_period(start: date, end: date) -> None:
    """A report covers at least one day, start before end."""
    if start > end:
        raise Refusal(Kind.INVALID, "invalid_period", "تاریخ شروع دوره باید پیش از پایان آن باشد.",
                       "The period must start before it ends.")


def district_figures(works: dict[str, dict[str, int]], decisions: dict[str, int]) -> dict:
    """Figures of a district report: works per category at each stage, totals, and decision statuses."""
    return {
        "works": {stage: dict(sorted(by_category.items())) for stage, by_category in works.items()},
        "totals": {stage: sum(by_category.values()) for stage, by_category in works.items()},
        "decisions": decisions,
    }


def city_figures(latest: dict[int, dict | None]) -> dict:
    """The city report's table: every district, its latest report (or none) and city-wide totals."""
    rows, totals = [], {}
    for district in DISTRICTS:
        report = latest.get(district)
        rows.append({"district": district, "report_id": str(report["id"]) if report else None,
                     "totals": report["figures"]["totals"] if report else None})
        for stage, count in (report["figures"]["totals"] if report else {}).items():
            totals[stage] = totals.get(stage, 0) + count
    return {"districts": rows, "totals": totals, "districts_reporting": sum(r["report_id"] is not None for r in rows)}
