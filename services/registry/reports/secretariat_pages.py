"""The central secretariat's report pages: the monitoring table of the 22 districts (each row's state in a word and
a colour, a chart, the exports), and compiling the city report from the districts' latest reports (the same use
cases as the JSON routes)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.page_kit import filled, form_fields, in_transaction
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.reports import usecases
from services.registry.reports.api import ReportIn
from services.registry.reports.pages import GAP_FIELDS, GAP_PARTS, GAP_ROWS, TEXT_LIMIT, filled_rows, problem_errors
from services.registry.web import Engine
from shared.errors import STATUS
from shared.persian import to_persian_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.charts import bar_chart
from shared.web.connection import Reading
from shared.web.pages import Pages

FIELDS = ("period_start", "period_end", "achievements", "shortcomings")
# A district's state in the monitoring table: its word and its row's colour.
MONITORING_STATES = {"overdue": ("مهلت گذشته", "table-danger", "text-bg-danger"),
                     "pending": ("منتظر تأیید", "table-warning", "text-bg-warning"),
                     "up_to_date": ("به‌روز", "", "text-bg-success")}


def monitoring_chart(rows: list[dict]) -> object:
    """Each district's decisions stacked: acknowledged, pending within the deadline, overdue."""
    labels = [f"منطقهٔ {to_persian_digits(str(r['district']))}" for r in rows]
    return bar_chart("تأیید دریافت مصوبه‌ها در هر منطقه", labels, {
        "دریافت تأییدشده": [r["decisions"]["acknowledged"] for r in rows],
        "منتظر تأیید": [r["decisions"]["pending"] - r["decisions"]["overdue"] for r in rows],
        "مهلت گذشته": [r["decisions"]["overdue"] for r in rows]},
        horizontal=True, stacked=True, colours=["acknowledged", "pending", "overdue"])


def routes(pages: Pages) -> APIRouter:
    """The central secretariat's monitoring and city report pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]
    pages.env.globals.update(MONITORING_STATES=MONITORING_STATES)

    async def city_form(request: Request, conn: AsyncConnection, principal: Principal, form: dict, errors: dict,
                        status: int = 200) -> HTMLResponse:
        """The city report's form with the earlier city reports."""
        return pages.render(request, "secretariat_city_report_new.html", status=status, form=form, errors=errors,
                            reports=await usecases.city_reports(conn, principal), text_limit=TEXT_LIMIT,
                            gap_rows=GAP_ROWS, compiles=PERMISSIONS.may(principal, Capability.COMPILE_CITY_REPORTS))

    @router.get("/secretariat/monitoring")
    async def monitoring(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The 22 districts coloured and worded by state, with their spreadsheets."""
        rows = await usecases.monitoring_with_states(conn, principal)
        return pages.render(request, "secretariat_monitoring.html", rows=rows, chart=monitoring_chart(rows))

    @router.get("/secretariat/city-report")
    async def new_city_report(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The city report's form, its period the last Jalali month."""
        period = usecases.suggested_city_period()
        return await city_form(request, conn, principal, {**dict.fromkeys((*FIELDS, *GAP_FIELDS), ""), **period}, {})

    @router.post("/secretariat/city-report")
    async def compile_city_report(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        """Compile the city report from the districts' reports; refusals at their fields."""
        await pages.require_csrf(request)
        form = await form_fields(request, *FIELDS, *GAP_FIELDS)
        rows = filled_rows(form)
        try:
            body = ReportIn(**filled(form, *FIELDS), shortcoming_items=[
                {part: form[f"shortcoming_items.{row}.{part}"] for part in GAP_PARTS} for row in rows])
            compiled = await in_transaction(engine, lambda tx: usecases.compile_city_report(
                tx, principal, **body.model_dump()))
        except (ValidationError, Refusal) as problem:
            status = 400 if isinstance(problem, ValidationError) else STATUS[problem.kind]
            return await city_form(request, conn, principal, form, problem_errors(problem, rows), status=status)
        return RedirectResponse(pages.url("registry", f"/secretariat/city-report/{compiled['id']}?compiled=1"),
                                status_code=303)

    @router.get("/secretariat/city-report/{report_id}")
    async def city_report(request: Request, report_id: uuid.UUID, principal: person, conn: Reading,
                          compiled: bool = False) -> Response:
        """One city report as filed."""
        found = await usecases.report(conn, principal, report_id)
        if found["district"] is not None:  # a district's report has its own page
            return RedirectResponse(pages.url("registry", f"/district/reports/{report_id}"), status_code=303)
        return pages.render(request, "secretariat_city_report.html", report=found, compiled=compiled)

    return router
