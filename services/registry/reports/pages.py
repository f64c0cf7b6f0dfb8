"""A district files its report in the browser: the period's figures from the ledger shown read-only (counted as
filing counts them), achievements and shortcomings typed, then the filed report as confirmation."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.page_kit import (
    about_the_form,
    chosen_district,
    filled,
    form_district,
    form_fields,
    in_transaction,
)
from services.registry.reports import usecases
from services.registry.reports.api import ReportIn
from services.registry.web import Engine
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors, refusal_errors

District = Annotated[int | None, Query(ge=1, le=22)]
FIELDS = ("period_start", "period_end", "achievements", "shortcomings")
# How long each typed text may be (the input model's limit, told in the hint).
TEXT_LIMIT = next(m.max_length for m in ReportIn.model_fields["shortcomings"].metadata if hasattr(m, "max_length"))
# Where the period's refusals belong on the form.
PERIOD_FIELDS = {"invalid_date": "period_start", "invalid_period": "period_end"}
# The form's rows of typed shortcomings (what, since when, what is needed); empty rows are not sent.
GAP_ROWS, GAP_PARTS = 3, ("what", "since", "needed")
GAP_FIELDS = tuple(f"shortcoming_items.{row}.{part}" for row in range(GAP_ROWS) for part in GAP_PARTS)
GAP_REFUSALS = ("invalid_shortcoming_date", "shortcoming_in_future")


def filled_rows(form: dict[str, str]) -> list[int]:
    """The form's shortcoming rows with anything typed in them."""
    return [row for row in range(GAP_ROWS) if any(form[f"shortcoming_items.{row}.{p}"].strip() for p in GAP_PARTS)]


def gap_errors(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    """Errors about the n-th shortcoming sent, placed at the form row it came from."""
    placed = {}
    for field, message in errors.items():
        parts = field.split(".")
        if parts[0] == "shortcoming_items" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
            parts[1] = str(rows[int(parts[1])])
        placed[".".join(parts)] = message
    return placed


def problem_errors(problem: ValidationError | Refusal, rows: list[int]) -> dict[str, str]:
    """Where a refused report's problem belongs on the form."""
    if isinstance(problem, ValidationError):
        return gap_errors(field_errors(problem), rows)
    row = problem.details.get("row") if isinstance(problem.details, dict) else None
    if problem.code in GAP_REFUSALS and isinstance(row, int) and row < len(rows):
        return {f"shortcoming_items.{rows[row]}.since": about_the_form(problem).fa}
    return refusal_errors(about_the_form(problem), PERIOD_FIELDS)


async def figures_or_errors(conn: AsyncConnection, principal: Principal, district: int,
                            form: dict) -> tuple[dict | None, dict]:
    """The period's figures, or the period's refusal placed at its field (refusals about the person propagate)."""
    try:
        return await usecases.figures_for(conn, principal, district, period_start=form["period_start"],
                                          period_end=form["period_end"]), {}
    except Refusal as refusal:
        return None, refusal_errors(about_the_form(refusal), PERIOD_FIELDS)


def routes(pages: Pages) -> APIRouter:
    """The district report's pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/district/reports/new")
    async def new_report(request: Request, principal: person, conn: Reading, district: District = None,
                         period_start: str = "", period_end: str = "") -> HTMLResponse:
        if (chosen := chosen_district(principal, district)) is None:
            return pages.render(request, "choose_district.html", path="/district/reports/new", title="گزارش منطقه")
        form = {"period_start": period_start, "period_end": period_end}
        if not (period_start and period_end):
            form = await usecases.suggested_period(conn, principal, chosen)
        figures, errors = await figures_or_errors(conn, principal, chosen, form)
        return pages.render(request, "report_new.html", district=chosen, figures=figures, errors=errors,
                            form={**dict.fromkeys(GAP_FIELDS, ""), **form}, text_limit=TEXT_LIMIT, gap_rows=GAP_ROWS)

    @router.get("/district/reports/figures")
    async def figures(request: Request, principal: person, conn: Reading, district: int = Query(ge=1, le=22),
                      period_start: str = "", period_end: str = "") -> HTMLResponse:
        form = {"period_start": period_start, "period_end": period_end}
        found, errors = await figures_or_errors(conn, principal, district, form)
        return pages.render(request, "_figures.html", figures=found, errors=errors)

    @router.post("/district/reports")
    async def file_report(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        await pages.require_csrf(request)
        form = await form_fields(request, "district", *FIELDS, *GAP_FIELDS)
        district = form_district(form["district"])
        rows = filled_rows(form)
        try:
            body = ReportIn(**filled(form, *FIELDS), shortcoming_items=[
                {part: form[f"shortcoming_items.{row}.{part}"] for part in GAP_PARTS} for row in rows])
            filed = await in_transaction(engine, lambda tx: usecases.file_district_report(
                tx, principal, district, **body.model_dump()))
        except (ValidationError, Refusal) as problem:
            errors = problem_errors(problem, rows)
            figures, period_errors = await figures_or_errors(conn, principal, district, form)
            return pages.render(request, "report_new.html", status=400 if isinstance(problem, ValidationError)
                                else STATUS[problem.kind], district=district, figures=figures, form=form,
                                errors={**period_errors, **errors}, text_limit=TEXT_LIMIT, gap_rows=GAP_ROWS)
        return RedirectResponse(pages.url("registry", f"/district/reports/{filed['id']}?filed=1"), status_code=303)

    @router.get("/district/reports/{report_id}")
    async def report(request: Request, report_id: uuid.UUID, principal: person, conn: Reading,
                     filed: bool = False) -> HTMLResponse:
        found = await usecases.report(conn, principal, report_id)
        return pages.render(request, "report.html", report=found, filed=filed)

    return router
