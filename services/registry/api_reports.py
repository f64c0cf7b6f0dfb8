"""Registry HTTP interface: reports flowing up, the monitoring table, and the city report."""

import uuid

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry import db, db_decisions, db_ledger, db_reports
from services.registry.domain_reports import COUNTED_EVENTS, check_period, city_figures, district_figures
from shared.auth import require_district_staff, signed_in
from shared.contracts.base import DISTRICTS
from shared.contracts.registry import ReportFiled
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.persian import normalize_text, parse_jalali_date, tehran_day_end_utc, tehran_day_start_utc
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found

OVERSIGHT_KINDS = ("policy_council", "specialised_committee", "jury_committee")


class ReportIn(StrictModel):
    period_start: str = Field(description="Jalali date, e.g. 1405/08/01")
    period_end: str = Field(description="Jalali date, e.g. 1405/08/30 (inclusive)")
    achievements: str = Field(default="", max_length=20_000)
    shortcomings: str = Field(default="", max_length=20_000)


def _oversees(principal: Principal) -> bool:
    """City-wide staff, the council and the committees read the city's reports."""
    return principal.is_city_wide() or any(m.kind in OVERSIGHT_KINDS for m in principal.memberships)


def _period(body: ReportIn):
    try:
        start, end = parse_jalali_date(body.period_start), parse_jalali_date(body.period_end)
    except ValueError as error:
        raise Refusal(Kind.INVALID, "invalid_date", "تاریخ دوره معتبر نیست.", f"Invalid period: {error}") from None
    check_period(start, end)
    return start, end


async def _district_figures(conn: AsyncConnection, district: int, body: ReportIn) -> dict:
    since, until = tehran_day_start_utc(body.period_start), tehran_day_end_utc(body.period_end)
    works = {stage: await db_ledger.count_by(conn, event_type=event_type, district=district, field="category",
                                             since=since, until=until)
             for stage, event_type in COUNTED_EVENTS.items()}
    return district_figures(works, await db_decisions.district_decision_counts(conn, district=district))


def build_reports_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["reports"])

    @router.post("/districts/{district}/reports", status_code=201)
    async def file_district_report(district: int, body: ReportIn, principal: Principal = Depends(signed_in)) -> dict:
        """A district secretariat files its report; figures come from the events the registry received."""
        require_district_staff(principal, district)
        start, end = _period(body)
        async with engine.begin() as conn:
            report = await db_reports.insert_report(conn, values={
                "id": uuid.uuid4(), "district": district, "period_start": start, "period_end": end,
                "figures": await _district_figures(conn, district, body), "filed_by": principal.subject,
                "achievements": normalize_text(body.achievements), "shortcomings": normalize_text(body.shortcomings)})
            await add_events(conn, db.outbox, [ReportFiled(
                report_id=report["id"], district=district, period_start=start, period_end=end,
                figures=report["figures"])])
        return report

    @router.get("/districts/{district}/reports")
    async def district_reports(district: int, principal: Principal = Depends(signed_in)) -> list[dict]:
        """A district's reports, newest first."""
        if not (principal.is_staff_of_district(district) or _oversees(principal)):
            raise forbidden()
        async with engine.connect() as conn:
            return await db_reports.list_reports(conn, district=district)

    @router.get("/monitoring")
    async def monitoring(principal: Principal = Depends(signed_in)) -> list[dict]:
        """All 22 districts at a glance: decisions acknowledged, pending and overdue; works; last report."""
        if not _oversees(principal):
            raise forbidden()
        async with engine.connect() as conn:
            last = await db_reports.last_filed(conn)
            rows = []
            for district in DISTRICTS:
                received = await db_ledger.count_by(conn, event_type=COUNTED_EVENTS["received"],
                                                    district=district, field="category")
                rows.append({"district": district, "works_received": sum(received.values()),
                             "decisions": await db_decisions.district_decision_counts(conn, district=district),
                             "last_report_at": last.get(district)})
        return rows

    @router.post("/city-reports", status_code=201)
    async def file_city_report(body: ReportIn, principal: Principal = Depends(signed_in)) -> dict:
        """The central secretariat compiles the city report from the districts' latest reports, citing them."""
        if not principal.is_member("central-secretariat"):
            raise forbidden()
        start, end = _period(body)
        async with engine.begin() as conn:
            latest = await db_reports.latest_district_reports(conn, start=start, end=end)
            report = await db_reports.insert_report(conn, values={
                "id": uuid.uuid4(), "district": None, "period_start": start, "period_end": end,
                "figures": city_figures(latest), "cites": [r["id"] for r in latest.values()],
                "achievements": normalize_text(body.achievements), "shortcomings": normalize_text(body.shortcomings),
                "filed_by": principal.subject})
            await add_events(conn, db.outbox, [ReportFiled(
                report_id=report["id"], period_start=start, period_end=end, figures=report["figures"],
                cites=report["cites"])])
        return report

    @router.get("/city-reports")
    async def city_reports(principal: Principal = Depends(signed_in)) -> list[dict]:
        """City reports, newest first (committees, council, city-wide staff)."""
        if not _oversees(principal):
            raise forbidden()
        async with engine.connect() as conn:
            return await db_reports.list_reports(conn, district=None, city=True)

    @router.get("/reports/{report_id}")
    async def report(report_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> dict:
        """One report, for its district's staff or those who oversee the districts."""
        async with engine.connect() as conn:
            found = await db_reports.get_report(conn, report_id=report_id)
        if found is None or not (_oversees(principal) or (
                found["district"] is not None and principal.is_staff_of_district(found["district"]))):
            raise not_found("گزارش", "Report")
        return found

    return router
