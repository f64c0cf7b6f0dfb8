"""The central secretariat's evaluation pages: confirming the receipt of the districts' selections of a category
(`POST /receipts`) and opening the jury's rounds (`POST /rounds` at tier 2), on the same use cases."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.evaluation.api.models import ReceiptIn, RoundIn
from services.evaluation.domain import DEFAULT_K
from services.evaluation.pages.kit import CATEGORIES, Engine, about_the_form, form_fields, in_transaction
from services.evaluation.usecases import council, opening, progress
from shared.errors import STATUS
from shared.persian import tehran_day_end_utc, to_ascii_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors

# A refused opening's code -> the field it concerns (the rest go above the form).
OPENING_FIELDS = {"round_exists": "category", "no_works": "category"}
ROUND_LABELS = {"edition": "دورهٔ جشنواره", "category": "موضوع", "deadline": "مهلت", "k": "داور هر اثر"}


def build_router(pages: Pages) -> APIRouter:
    """The central secretariat's receipts and jury rounds."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def receipts_page(request: Request, conn: Reading, principal: Principal, status: int = 200,
                            errors: dict | None = None, done: str = "") -> HTMLResponse:
        """Each edition and category's selections from the districts, with the receipt."""
        rows = await progress.receipts_overview(conn, principal)
        return pages.render(request, "secretariat_receipts.html", status=status, rows=rows, errors=errors or {},
                            done=done)

    @router.get("/secretariat/receipts")
    async def receipts(request: Request, principal: person, conn: Reading, done: str = "") -> HTMLResponse:
        """Each category's district selections: still being chosen, ready to receive, or received."""
        return await receipts_page(request, conn, principal, done=done if done.isdigit() and len(done) < 6 else "")

    @router.post("/secretariat/receipts")
    async def confirm(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        """Confirm the receipt of a category's selections: they go to the jury."""
        await pages.require_csrf(request)
        form = await form_fields(request, "edition", "category")
        try:
            body = ReceiptIn(edition=to_ascii_digits(form["edition"]), category=form["category"])
            works = await in_transaction(engine, lambda tx: council.confirm_receipt(
                tx, principal, edition=body.edition, category=body.category))
        except ValidationError:
            return await receipts_page(request, conn, principal, status=400,
                                       errors={"form": "این موضوع یا دوره شناخته نشد."})
        except Refusal as refusal:
            about_the_form(refusal)
            return await receipts_page(request, conn, principal, status=STATUS[refusal.kind],
                                       errors={"form": refusal.fa})
        return RedirectResponse(pages.url("evaluation", f"/secretariat/receipts?done={works}"), status_code=303)

    async def jury_page(request: Request, conn: Reading, principal: Principal, status: int = 200,
                        form: dict | None = None, errors: dict | None = None, done: str = "") -> HTMLResponse:
        """The jury's rounds and the form to open one."""
        rounds = await progress.jury_rounds(conn, principal)
        return pages.render(request, "secretariat_jury_rounds.html", status=status, rounds=rounds,
                            form=form or {"k": str(DEFAULT_K)}, errors=errors or {}, done=done,
                            categories=list(CATEGORIES.items()), labels=ROUND_LABELS)

    @router.get("/secretariat/jury-rounds")
    async def jury_rounds(request: Request, principal: person, conn: Reading, done: str = "") -> HTMLResponse:
        """The jury's rounds with their progress, and the form that opens one."""
        return await jury_page(request, conn, principal, done="opened" if done == "opened" else "")

    @router.post("/secretariat/jury-rounds")
    async def open_jury_round(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        """Open the jury's round of a category (after the receipt of its selections)."""
        await pages.require_csrf(request)
        form = await form_fields(request, "edition", "category", "deadline", "k")
        try:
            body = RoundIn(edition=to_ascii_digits(form["edition"]).strip(), tier=2, category=form["category"],
                           deadline=to_ascii_digits(form["deadline"]).strip() or None,
                           k=to_ascii_digits(form["k"]).strip() or DEFAULT_K)
            await in_transaction(engine, lambda tx: opening.open_round(
                tx, principal, edition=body.edition, tier=2, district=None, category=body.category,
                deadline=tehran_day_end_utc(body.deadline) if body.deadline else None, k=body.k))
        except ValidationError as error:
            return await jury_page(request, conn, principal, status=400, form=form, errors=field_errors(error))
        except Refusal as refusal:
            about_the_form(refusal)
            return await jury_page(request, conn, principal, status=STATUS[refusal.kind], form=form,
                                   errors={OPENING_FIELDS.get(refusal.code, "form"): refusal.fa})
        return RedirectResponse(pages.url("evaluation", "/secretariat/jury-rounds?done=opened"), status_code=303)

    return router
