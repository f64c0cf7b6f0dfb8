"""Report use cases: a district files its report (figures counted from the ledger), the central secretariat
compiles the city report, and who reads which reports and the monitoring table."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import db as decisions_db
from services.registry.decisions.domain import district_counts
from services.registry.ledger import db as ledger_db
from services.registry.permissions import PERMISSIONS, Capability, not_district_secretary
from services.registry.reports import db
from services.registry.reports.domain import (
    COUNTED_EVENTS,
    RECEIVED,
    Period,
    city_figures,
    district_figures,
    monitoring_rows,
    month_due,
    month_so_far,
    period,
    shortcomings,
    with_jalali,
)
from services.registry.tables import outbox
from shared.contracts.base import DISTRICTS
from shared.contracts.registry import ReportFiled, Shortcoming
from shared.messaging.outbox import add_events
from shared.persian import TEHRAN, normalize_text
from shared.principal import Principal
from shared.refusals import not_found


async def file_district_report(conn: AsyncConnection, principal: Principal, district: int, *, period_start: str,
                               period_end: str, achievements: str, shortcomings: str,
                               shortcoming_items: list[dict] | None = None) -> dict:
    """The district secretary files the district's report for a Jalali period, with its typed shortcomings (what,
    since when, what is needed); the figures come from the events the registry received."""
    PERMISSIONS.require(principal, Capability.FILE_DISTRICT_REPORTS, district=district,
                        refusal=not_district_secretary())
    span = period(period_start, period_end)
    items = _typed_shortcomings(shortcoming_items)
    report = await db.insert_report(conn, values={
        "id": uuid.uuid4(), "district": district, "period_start": span.start, "period_end": span.end,
        "figures": await _district_figures(conn, district, span), "filed_by": principal.subject,
        "achievements": normalize_text(achievements), "shortcomings": normalize_text(shortcomings),
        "shortcoming_items": items})
    await add_events(conn, outbox, [ReportFiled(
        report_id=report["id"], district=district, period_start=span.start, period_end=span.end,
        figures=report["figures"], shortcomings=[Shortcoming(**item) for item in items])])
    return _readable(report)


def _typed_shortcomings(items: list[dict] | None) -> list[dict]:
    """The typed shortcomings normalised and checked, as stored."""
    cleaned = [{key: normalize_text(item[key]) for key in ("what", "since", "needed")} for item in items or []]
    return shortcomings(cleaned, datetime.now(TEHRAN).date())


def _readable(report: dict) -> dict:
    """A stored report with its shortcomings' Jalali dates."""
    return {**report, "shortcoming_items": with_jalali(report["shortcoming_items"])}


async def _district_figures(conn: AsyncConnection, district: int, span: Period) -> dict:
    works = {stage: await ledger_db.count_by(conn, event_type=event_type, district=district, field="category",
                                             since=span.since, until=span.until)
             for stage, event_type in COUNTED_EVENTS.items()}
    statuses = await decisions_db.status_counts(conn, district=district)
    return district_figures(works, district_counts(statuses.get(district, [])))


async def compile_city_report(conn: AsyncConnection, principal: Principal, *, period_start: str, period_end: str,
                              achievements: str, shortcomings: str,
                              shortcoming_items: list[dict] | None = None) -> dict:
    """The central secretariat compiles the city report from the districts' latest reports, citing them: per
    district its figures, the decisions it has left overdue and its shortcomings (and the secretariat's own)."""
    PERMISSIONS.require(principal, Capability.COMPILE_CITY_REPORTS)
    span = period(period_start, period_end)
    items = _typed_shortcomings(shortcoming_items)
    latest = await db.latest_district_reports(conn, start=span.start, end=span.end)
    overdue = await decisions_db.overdue_by_district(conn)
    report = await db.insert_report(conn, values={
        "id": uuid.uuid4(), "district": None, "period_start": span.start, "period_end": span.end,
        "figures": city_figures(latest, overdue), "cites": [r["id"] for r in latest.values()],
        "achievements": normalize_text(achievements), "shortcomings": normalize_text(shortcomings),
        "shortcoming_items": items, "filed_by": principal.subject})
    await add_events(conn, outbox, [ReportFiled(
        report_id=report["id"], period_start=span.start, period_end=span.end, figures=report["figures"],
        cites=report["cites"], shortcomings=[Shortcoming(**item) for item in items])])
    return _readable(report)


async def district_reports(conn: AsyncConnection, principal: Principal, district: int) -> list[dict]:
    """A district's reports, newest first (its own people and those who oversee the districts)."""
    PERMISSIONS.require(principal, Capability.READ_DISTRICT_REPORTS, district=district)
    return [_readable(r) for r in await db.list_reports(conn, district=district)]


async def city_reports(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """City reports, newest first (committees, council, city-wide staff)."""
    PERMISSIONS.require(principal, Capability.READ_CITY_REPORTS)
    return [_readable(r) for r in await db.list_reports(conn, district=None, city=True)]


async def report(conn: AsyncConnection, principal: Principal, report_id: uuid.UUID) -> dict:
    """One report, for whoever may read its district's (or the city's) reports; hidden from others."""
    found = await db.get_report(conn, report_id=report_id)
    district = found and found["district"]
    capability = Capability.READ_CITY_REPORTS if district is None else Capability.READ_DISTRICT_REPORTS
    if found is None or not PERMISSIONS.may(principal, capability, district=district):
        raise not_found("گزارش", "Report")
    return _readable(found)


async def monitoring(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """All 22 districts at a glance, in three queries whatever the number of decisions and events."""
    PERMISSIONS.require(principal, Capability.SEE_MONITORING)
    received = await ledger_db.count_by_district(conn, event_type=RECEIVED, field="category")
    statuses = await decisions_db.status_counts(conn)
    decisions = {district: district_counts(statuses.get(district, [])) for district in DISTRICTS}
    return monitoring_rows(received, decisions, await db.last_filed(conn))


async def figures_for(conn: AsyncConnection, principal: Principal, district: int, *, period_start: str,
                      period_end: str) -> dict:
    """The figures a district report for this period would carry, counted as filing counts them (for those who may
    file it), so the form can show them before it is sent."""
    PERMISSIONS.require(principal, Capability.FILE_DISTRICT_REPORTS, district=district,
                        refusal=not_district_secretary())
    return await _district_figures(conn, district, period(period_start, period_end))


async def report_due(conn: AsyncConnection, principal: Principal, district: int) -> dict | None:
    """The monthly report a district still owes (its period, as typed in the form), for those who may file it;
    None when nothing is due or the person may not file the district's reports."""
    if not PERMISSIONS.may(principal, Capability.FILE_DISTRICT_REPORTS, district=district):
        return None
    filed = await db.list_reports(conn, district=district)
    due = month_due(max((r["period_end"] for r in filed), default=None), datetime.now(TEHRAN).date())
    return {"period_start": due[0], "period_end": due[1]} if due else None


async def suggested_period(conn: AsyncConnection, principal: Principal, district: int) -> dict:
    """The period a new report's form starts with: the month the district still owes, else this month so far."""
    if due := await report_due(conn, principal, district):
        return due
    start, end = month_so_far(datetime.now(TEHRAN).date())
    return {"period_start": start, "period_end": end}


async def monitoring_with_states(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """The monitoring table with each district's state in a word: overdue (a decision past its deadline), pending
    (acknowledgements awaited) or up to date."""
    rows = await monitoring(conn, principal)
    return [{**row, "state": "overdue" if row["decisions"]["overdue"] else
             "pending" if row["decisions"]["pending"] else "up_to_date"} for row in rows]


def suggested_city_period() -> dict:
    """The period a new city report's form starts with: last Jalali month, whose district reports are in."""
    today = datetime.now(TEHRAN).date()
    start, end = month_due(None, today) or month_so_far(today)
    return {"period_start": start, "period_end": end}


async def readable_district_reports(conn: AsyncConnection, principal: Principal, district: int | None) -> list[dict]:
    """District reports for a spreadsheet: one district's (as district_reports), or every district's the principal
    may read, district by district, newest first; refused when they may read none."""
    if district is not None:
        return await district_reports(conn, principal, district)
    readable = [d for d in DISTRICTS if PERMISSIONS.may(principal, Capability.READ_DISTRICT_REPORTS, district=d)]
    if not readable:
        PERMISSIONS.require(principal, Capability.READ_DISTRICT_REPORTS)  # refuses, as the JSON route would
    return [_readable(r) for d in readable for r in await db.list_reports(conn, district=d)]
