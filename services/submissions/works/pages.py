"""Staff pages of one work: its page (details, status history, documents), its edit form and its withdrawal with
a confirmation step; each parses the form into the JSON route's model and calls the same use case."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.submissions.forms import (
    SHOWN_ON_FORM,
    form_of,
    invalid_fields,
    number,
    refusal_field,
    submitter_data,
)
from services.submissions.projections.usecases import neighbourhoods_of
from services.submissions.works import usecases
from services.submissions.works.overview import WorkOverview, work_overview
from services.submissions.works.schemas import WithdrawIn, WorkPatch
from shared.persian import to_persian_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading, engine_of
from shared.web.pages import Pages

EDITED = ("neighbourhood", "category", "title", "summary", "beneficiaries")
NOTICES = {"edited": "تغییرات اثر ذخیره شد.", "withdrawn": "اثر پس گرفته شد."}


def stored_form(overview: WorkOverview) -> dict[str, str]:
    """The edit form filled with the work as stored."""
    work = overview.work
    submitter = {"kind": work["submitter_kind"], "code": work["organisation_code"], "name": work["submitter_name"],
                 "national_id": work["submitter_national_id"], "mobile": work["submitter_mobile"]}
    if work["submitter_kind"] == "organisation":
        submitter["representative"] = dict(submitter)
    form = form_of({**{key: work[key] for key in EDITED}, "submitter": submitter})
    return form | {key: to_persian_digits(form[key]) for key in ("national_id", "mobile", "beneficiaries")}


def build_router(pages: Pages) -> APIRouter:
    """A work's page, edit and withdrawal."""
    router = pages.router()

    def work_page(work_id: uuid.UUID) -> str:
        return pages.url("submissions", f"/office/works/{work_id}")

    @router.get("/office/works/{work_id}", response_class=HTMLResponse)
    async def work(request: Request, work_id: uuid.UUID, conn: Reading,
                   person: Principal = Depends(pages.person)) -> HTMLResponse:
        overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work.html", o=overview, w=overview.work,
                            notice=NOTICES.get(request.query_params.get("done", "")))

    async def edit_page(request: Request, conn, person: Principal, work_id: uuid.UUID, *, form: dict | None = None,
                        errors: dict | None = None, status: int = 200) -> HTMLResponse:
        overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work_edit.html", status=status, o=overview, w=overview.work,
                            neighbourhoods=await neighbourhoods_of(conn, overview.work["district"]),
                            form=form or stored_form(overview), errors=errors or {})

    @router.get("/office/works/{work_id}/edit", response_class=HTMLResponse)
    async def edit_form(request: Request, work_id: uuid.UUID, conn: Reading,
                        person: Principal = Depends(pages.person)) -> HTMLResponse:
        return await edit_page(request, conn, person, work_id)

    @router.post("/office/works/{work_id}/edit", response_class=HTMLResponse)
    async def edit(request: Request, work_id: uuid.UUID, person: Principal = Depends(pages.person)) -> Response:
        await pages.require_csrf(request)
        fields = {key: str(value).strip() for key, value in (await request.form()).items()}
        data = {key: fields.get(key, "") for key in ("neighbourhood", "category", "title", "summary")}
        data |= {"beneficiaries": number(fields.get("beneficiaries")) or 0, "submitter": submitter_data(fields)}
        try:
            patch = WorkPatch.model_validate(data)
            async with engine_of(request).begin() as conn:
                await usecases.edit_work(conn, person, work_id, patch, now=datetime.now(UTC))
        except ValidationError as error:
            errors = invalid_fields(error)
        except Refusal as refusal:
            if refusal.kind not in SHOWN_ON_FORM:
                raise
            errors = {refusal_field(refusal): refusal.fa}
        else:
            return RedirectResponse(f"{work_page(work_id)}?done=edited", status_code=303)
        async with engine_of(request).connect() as conn:
            return await edit_page(request, conn, person, work_id, form=fields, errors=errors, status=422)

    @router.get("/office/works/{work_id}/withdraw", response_class=HTMLResponse)
    async def withdraw_form(request: Request, work_id: uuid.UUID, conn: Reading,
                            person: Principal = Depends(pages.person)) -> HTMLResponse:
        overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work_withdraw.html", o=overview, w=overview.work)

    @router.post("/office/works/{work_id}/withdraw", response_class=HTMLResponse)
    async def withdraw(request: Request, work_id: uuid.UUID, person: Principal = Depends(pages.person)) -> Response:
        await pages.require_csrf(request)
        reason = str((await request.form()).get("reason", "")).strip()
        try:
            body = WithdrawIn(reason=reason)
            async with engine_of(request).begin() as conn:
                await usecases.withdraw_work(conn, person, work_id, body.reason, now=datetime.now(UTC))
        except ValidationError as error:
            errors = invalid_fields(error)
        except Refusal as refusal:
            if refusal.kind not in SHOWN_ON_FORM:
                raise
            errors = {"form": refusal.fa}
        else:
            return RedirectResponse(f"{work_page(work_id)}?done=withdrawn", status_code=303)
        async with engine_of(request).connect() as conn:
            overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work_withdraw.html", status=422, o=overview, w=overview.work,
                            form={"reason": reason}, errors=errors)

    return router
