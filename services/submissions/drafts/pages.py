"""The district office's entry of a work, in the GOV.UK pattern: the form (with its documents), "check your
answers" with links back to change anything, then the confirmation with the tracking code in a panel and a
printable receipt for the citizen. The form becomes the JSON route's WorkIn; the draft keeps it between the
steps; submitting calls submit_work and attach_document."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.submissions.documents.usecases import DocumentLimits
from services.submissions.drafts.usecases import DraftProblems, entry_choices, own_draft, save_draft, submit_draft
from services.submissions.forms import (
    DOCUMENTS,
    SHOWN_ON_FORM,
    chosen_files,
    form_of,
    invalid_fields,
    read_form,
    refusal_field,
    text_fields,
    whole_number,
    work_data,
)
from services.submissions.works.overview import work_overview
from services.submissions.works.schemas import WorkIn
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading, engine_of
from shared.web.pages import Pages


def an_id(text: object) -> uuid.UUID | None:
    """A UUID from a form or the address, None when it is not one."""
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def problems_by_field(problems: list[tuple[str | None, Refusal]]) -> dict[str, str]:
    """A draft's problems at their fields; a document's problem names the file."""
    errors: dict[str, str] = {}
    for filename, refusal in problems:
        if filename is None:
            errors.setdefault(refusal_field(refusal), refusal.fa)
        else:
            text = f"«{filename}»: {refusal.fa}" if filename else refusal.fa
            errors[DOCUMENTS] = f"{errors[DOCUMENTS]} {text}" if DOCUMENTS in errors else text
    return errors


def build_router(pages: Pages, limits: DocumentLimits) -> APIRouter:
    """The entry of a work, from the form to the receipt."""
    router = pages.router()

    def here(path: str) -> str:
        return pages.url("submissions", path)

    async def form_page(request: Request, conn, person: Principal, *, district: int | None, form: dict,
                        errors: dict | None = None, draft: dict | None = None, files_lost: bool = False,
                        status: int = 200) -> HTMLResponse:
        choices = await entry_choices(conn, person, district, now=datetime.now(UTC))
        return pages.render(request, "work_form.html", status=status, choices=choices, form=form,
                            errors=errors or {}, draft=draft, files_lost=files_lost, limits=limits)

    @router.get("/office/works/new", response_class=HTMLResponse)
    async def new_work(request: Request, conn: Reading, person: Principal = Depends(pages.person)) -> HTMLResponse:
        draft_id = an_id(request.query_params.get("draft"))
        draft = await own_draft(conn, person, draft_id) if draft_id else None
        form = form_of(draft["body"]) if draft else {}
        district = whole_number(request.query_params.get("district") or form.get("district"))
        return await form_page(request, conn, person, district=district, form=form, draft=draft)

    @router.post("/office/works/new", response_class=HTMLResponse)
    async def keep_draft(request: Request, person: Principal = Depends(pages.person)) -> Response:
        form = await read_form(request, limits)
        await pages.require_csrf(request)
        fields, files = text_fields(form), await chosen_files(form, limits)
        await form.close()  # the spooled uploads are read: their temporary files go now
        draft_id = an_id(fields.get("draft"))
        keep = frozenset(filter(None, map(an_id, form.getlist("keep"))))
        district = whole_number(fields.get("district"))
        now = datetime.now(UTC)
        async with engine_of(request).connect() as conn:
            choices = await entry_choices(conn, person, district, now=now)
        try:
            body = WorkIn.model_validate(work_data(fields, edition=choices.call["edition"] if choices.call else None,
                                                   questions=choices.questions))
            async with engine_of(request).begin() as conn:
                draft_id = await save_draft(conn, person, body, files, limits=limits, now=now, draft_id=draft_id,
                                            keep=keep)
        except ValidationError as error:
            errors = invalid_fields(error)
        except DraftProblems as refused:
            errors = problems_by_field(refused.problems)
        else:
            return RedirectResponse(here(f"/office/works/new/check?draft={draft_id}"), status_code=303)
        async with engine_of(request).connect() as conn:
            draft = await own_draft(conn, person, draft_id) if draft_id else None
            return await form_page(request, conn, person, district=district, form=fields, errors=errors, draft=draft,
                                   files_lost=bool(files), status=422)

    @router.get("/office/works/new/check", response_class=HTMLResponse)
    async def check_answers(request: Request, conn: Reading, person: Principal = Depends(pages.person)) -> Response:
        draft_id = an_id(request.query_params.get("draft"))
        if draft_id is None:
            return RedirectResponse(here("/office/works/new"), status_code=303)
        draft = await own_draft(conn, person, draft_id)
        choices = await entry_choices(conn, person, draft["body"]["district"], now=datetime.now(UTC))
        organisations = {o["code"]: o["name_fa"] for o in choices.organisations}
        return pages.render(request, "work_check.html", draft=draft, body=draft["body"], choices=choices,
                            organisation=organisations.get(draft["body"]["submitter"].get("code") or ""))

    @router.post("/office/works/new/submit", response_class=HTMLResponse)
    async def submit(request: Request, person: Principal = Depends(pages.person)) -> Response:
        await pages.require_csrf(request)
        draft_id = an_id((await request.form()).get("draft"))
        if draft_id is None:
            return RedirectResponse(here("/office/works/new"), status_code=303)
        try:
            async with engine_of(request).begin() as conn:
                work = await submit_draft(conn, person, draft_id, limits=limits, now=datetime.now(UTC))
        except Refusal as refusal:
            if refusal.kind not in SHOWN_ON_FORM:
                raise
            async with engine_of(request).connect() as conn:
                draft = await own_draft(conn, person, draft_id)
                return await form_page(request, conn, person, district=draft["body"]["district"],
                                       form=form_of(draft["body"]), errors={refusal_field(refusal): refusal.fa},
                                       draft=draft, status=422)
        return RedirectResponse(here(f"/office/works/{work['id']}/received"), status_code=303)

    @router.get("/office/works/{work_id}/received", response_class=HTMLResponse)
    async def received(request: Request, work_id: uuid.UUID, conn: Reading,
                       person: Principal = Depends(pages.person)) -> HTMLResponse:
        overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work_received.html", o=overview, w=overview.work)

    @router.get("/office/works/{work_id}/receipt", response_class=HTMLResponse)
    async def receipt(request: Request, work_id: uuid.UUID, conn: Reading,
                      person: Principal = Depends(pages.person)) -> HTMLResponse:
        overview = await work_overview(conn, person, work_id, now=datetime.now(UTC))
        return pages.render(request, "work_receipt.html", o=overview, w=overview.work)

    return router
