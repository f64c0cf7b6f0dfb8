"""Report routes: district reports, the city report, and the monitoring table."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.registry.fields import DistrictInPath, Line, Text
from services.registry.reports import usecases
from services.registry.web import SignedIn
from shared.models import StrictModel
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["reports"])


class ShortcomingIn(StrictModel):
    what: Line = Field(min_length=2, max_length=300)
    since: Line = Field(max_length=40, description="Jalali date it began, e.g. 1405/07/01")
    needed: Text = Field(min_length=2, max_length=2000)


class ShortcomingOut(JalaliModel):
    what: str
    since: date
    needed: str


class ReportIn(StrictModel):
    period_start: Line = Field(max_length=40, description="Jalali date, e.g. 1405/08/01")
    period_end: Line = Field(max_length=40, description="Jalali date, e.g. 1405/08/30 (inclusive)")
    achievements: Text = Field(default="", max_length=20_000)
    shortcomings: Text = Field(default="", max_length=20_000)
    shortcoming_items: list[ShortcomingIn] = Field(default_factory=list, max_length=20,
                                                   description="typed shortcomings: what, since when, what is needed")


class ReportOut(JalaliModel):
    id: uuid.UUID
    district: int | None
    period_start: date
    period_end: date
    figures: dict
    achievements: str
    shortcomings: str
    shortcoming_items: list[ShortcomingOut]
    cites: list[uuid.UUID]
    filed_by: str
    filed_at: datetime


class DecisionCounts(BaseModel):
    addressed: int
    acknowledged: int
    pending: int
    overdue: int


class DistrictAtAGlance(JalaliModel):
    district: int
    works_received: int
    works_by_category: dict[str, int]
    decisions: DecisionCounts
    last_report_at: datetime | None


@router.post("/districts/{district}/reports", status_code=201)
async def file_district_report(district: DistrictInPath, body: ReportIn, principal: SignedIn,
                               conn: Transaction) -> ReportOut:
    """The district secretary files the district's report; figures come from the events the registry received."""
    return ReportOut(**await usecases.file_district_report(conn, principal, district, **body.model_dump()))


@router.get("/districts/{district}/reports")
async def district_reports(district: DistrictInPath, principal: SignedIn, conn: Reading) -> list[ReportOut]:
    """A district's reports, newest first."""
    return [ReportOut(**row) for row in await usecases.district_reports(conn, principal, district)]


@router.get("/monitoring")
async def monitoring(principal: SignedIn, conn: Reading) -> list[DistrictAtAGlance]:
    """All 22 districts at a glance: decisions acknowledged, pending and overdue; works; last report."""
    return [DistrictAtAGlance(**row) for row in await usecases.monitoring(conn, principal)]


@router.post("/city-reports", status_code=201)
async def file_city_report(body: ReportIn, principal: SignedIn, conn: Transaction) -> ReportOut:
    """The central secretariat compiles the city report from the districts' latest reports, citing them."""
    return ReportOut(**await usecases.compile_city_report(conn, principal, **body.model_dump()))


@router.get("/city-reports")
async def city_reports(principal: SignedIn, conn: Reading) -> list[ReportOut]:
    """City reports, newest first (committees, council, city-wide staff)."""
    return [ReportOut(**row) for row in await usecases.city_reports(conn, principal)]


@router.get("/reports/{report_id}")
async def report(report_id: uuid.UUID, principal: SignedIn, conn: Reading) -> ReportOut:
    """One report, for its district's staff or those who oversee the districts."""
    return ReportOut(**await usecases.report(conn, principal, report_id))
