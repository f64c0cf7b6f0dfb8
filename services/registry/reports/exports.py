"""The central secretariat's spreadsheets of the registry as CSV or XLSX: the monitoring table of the 22 districts
and the districts' reports. Each asks the same use case (and so the same permission) as the JSON route it mirrors
(GET /monitoring, GET /districts/{district}/reports); Persian headers, numbers as numbers."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.registry.names import CATEGORIES, STAGES, jalali_day
from services.registry.reports import usecases
from shared.contracts.base import DISTRICTS
from shared.persian import to_ascii_digits
from shared.refusals import not_found
from shared.web.connection import Reading
from shared.web.exports import Table, export_format, export_response
from shared.web.pages import Pages

STATES = {"overdue": "دارای مصوبهٔ معوق", "pending": "منتظر تأیید دریافت", "up_to_date": "به‌روز"}


def monitoring_table(rows: list[dict]) -> Table:
    """Every district's decision state, works received (in all and per category) and last report."""
    headers = ["منطقه", "وضعیت", "آثار رسیده", *(f"آثار {name}" for name in CATEGORIES.values()),
               "مصوبات ابلاغ‌شده", "تأییدشده", "در انتظار", "معوق", "آخرین گزارش"]
    return Table("پایش مناطق", headers, [
        [r["district"], STATES.get(r["state"], r["state"]), r["works_received"],
         *(r["works_by_category"].get(code, 0) for code in CATEGORIES), r["decisions"]["addressed"],
         r["decisions"]["acknowledged"], r["decisions"]["pending"], r["decisions"]["overdue"], r["last_report_at"]]
        for r in rows])


def reports_table(reports: list[dict]) -> Table:
    """District reports: period, when filed, the works at each stage per category, decisions, the texts."""
    stages = list(STAGES) + sorted({s for r in reports for s in r["figures"].get("totals", {}) if s not in STAGES})
    themes = list(CATEGORIES) + sorted({t for r in reports for by in r["figures"].get("works", {}).values()
                                        for t in by if t not in CATEGORIES})
    headers = ["منطقه", "از تاریخ", "تا تاریخ", "تاریخ ثبت",
               *(f"{STAGES.get(s, s)} — {CATEGORIES.get(t, t)}" for s in stages for t in themes),
               *(f"{STAGES.get(s, s)} — همه" for s in stages),
               "مصوبات معوق", "دستاوردها", "کاستی‌ها", "کمبودهای گزارش‌شده"]
    rows = []
    for r in reports:
        figures = r["figures"]
        rows.append([r["district"], jalali_day(r["period_start"]), jalali_day(r["period_end"]), r["filed_at"],
                     *(figures.get("works", {}).get(s, {}).get(t, 0) for s in stages for t in themes),
                     *(figures.get("totals", {}).get(s, 0) for s in stages),
                     figures.get("decisions", {}).get("overdue", 0), r["achievements"], r["shortcomings"],
                     "؛ ".join(f"{g['what']} (از {g['since_jalali']}): {g['needed']}" for g in r["shortcoming_items"])])
    return Table("گزارش‌های مناطق", headers, rows)


def district_of(value: str | None) -> int | None:
    """The district a query names (Persian or ASCII digits), None for every district; anything else not found."""
    if value is None or value == "":
        return None
    plain = to_ascii_digits(value)
    if plain.isascii() and plain.isdigit() and len(plain) <= 2 and int(plain) in DISTRICTS:
        return int(plain)
    raise not_found("منطقه", "District")


def routes(pages: Pages) -> APIRouter:
    """The export routes (signed in through the page session or a bearer token)."""
    router = pages.router()

    @router.get("/exports/{name}")
    async def export(request: Request, name: str, conn: Reading, district: str | None = None) -> Response:
        """`monitoring.{csv|xlsx}` or `reports.{csv|xlsx}` (optionally `?district=7`)."""
        stem, _, extension = name.rpartition(".")
        if stem not in ("monitoring", "reports"):
            raise not_found("این فایل", "This file")
        fmt = export_format(extension)
        principal = await pages.person(request)
        if stem == "monitoring":
            rows = await usecases.monitoring_with_states(conn, principal)
            return export_response(monitoring_table(rows), fmt, "پایش مناطق")
        chosen = district_of(district)
        reports = await usecases.readable_district_reports(conn, principal, chosen)
        where = f"منطقهٔ {chosen}" if chosen else "مناطق"
        return export_response(reports_table(reports), fmt, f"گزارش‌های {where}")

    return router
