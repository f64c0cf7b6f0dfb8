"""A round's manager's pages (a district's secretary for its tier-1 rounds, the central secretariat for the jury's):
the rounds I manage, a round's progress by evaluator, its ranking with each work's explanation, reassigning a work
and closing the round (with every sheet, or with a quorum at the deadline), through the same use cases as the JSON
routes `/rounds/{id}/ranking`, `/rounds/{id}/works/{work}/reassign` and `/rounds/{id}/close`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.evaluation.api.models import ReassignIn
from services.evaluation.pages.kit import Engine, about_the_form, an_id, form_fields, in_transaction
from services.evaluation.usecases import closing, progress, reassigning
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Refusal, not_found
from shared.web.charts import bar_chart
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors

# A refused reassignment's code -> the field it concerns (the rest go above the form).
REASSIGN_FIELDS = {"not_eligible": "to_person", "already_assigned": "to_person", "conflict_of_interest": "to_person"}
DONE = {"closed": "دور داوری بسته شد و نتیجهٔ آن ثبت شد.", "reassigned": "اثر به داور تازه سپرده شد."}


def progress_chart(evaluators: list[dict]) -> str:
    """The round's progress per evaluator as stacked bars: sheets submitted and remaining."""
    if not evaluators:
        return ""
    return bar_chart("پیشرفت داوری به تفکیک داور", [e["name"] for e in evaluators],
                     {"ثبت نهایی": [e["submitted"] for e in evaluators],
                      "مانده": [e["remaining"] for e in evaluators]},
                     horizontal=True, stacked=True, colours=["scored", "remaining"])


def build_router(pages: Pages) -> APIRouter:
    """The round managers' pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/rounds/manage")
    async def managed(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The rounds I manage, with their progress."""
        return pages.render(request, "manage_rounds.html", rounds=await progress.managed_rounds(conn, principal))

    async def round_page(request: Request, conn: Reading, principal: Principal, round_id: uuid.UUID,
                         status: int = 200, errors: dict | None = None, done: str = "") -> HTMLResponse:
        """A managed round's progress, ranking and closing."""
        found = await progress.round_progress(conn, principal, round_id=round_id)
        ranking = await closing.ranking_of(conn, principal, round_id=round_id)
        return pages.render(request, "manage_round.html", status=status, **found, ranking=ranking,
                            chart=progress_chart(found["evaluators"]), errors=errors or {},
                            done=DONE.get(done, ""), quorum=request.app.state.settings.round_quorum)

    @router.get("/rounds/manage/{round_id}")
    async def manage(request: Request, round_id: uuid.UUID, principal: person, conn: Reading,
                     done: str = "") -> HTMLResponse:
        """A round's progress by evaluator, its ranking with explanations, reassigning and closing."""
        return await round_page(request, conn, principal, round_id, done=done)

    @router.post("/rounds/manage/{round_id}/close")
    async def close(request: Request, round_id: uuid.UUID, principal: person, conn: Reading,
                    engine: Engine) -> Response:
        """Close the round: with every sheet, or (the quorum button) at its deadline with a quorum of sheets."""
        await pages.require_csrf(request)
        form = await form_fields(request, "quorum")
        quorum = request.app.state.settings.round_quorum if form["quorum"] == "yes" else None
        try:
            await in_transaction(engine, lambda tx: closing.close_round(tx, principal, round_id=round_id,
                                                                        quorum=quorum))
        except Refusal as refusal:
            about_the_form(refusal)
            return await round_page(request, conn, principal, round_id, status=STATUS[refusal.kind],
                                    errors={"form": refusal.fa})
        return RedirectResponse(pages.url("evaluation", f"/rounds/manage/{round_id}?done=closed"), status_code=303)

    async def reassign_page(request: Request, conn: Reading, principal: Principal, round_id: uuid.UUID,
                            form: dict, status: int = 200, errors: dict | None = None) -> HTMLResponse:
        """The form to give a work to another evaluator, with a reason."""
        found = await progress.round_progress(conn, principal, round_id=round_id)
        work = next((w for w in found["works"] if w["work_id"] == an_id(form.get("work"))), None)
        holder = next((e for e in (work or {}).get("evaluators", []) if e["person_id"] == an_id(form.get("from"))),
                      None)
        if work is None or holder is None:
            raise not_found("داور این اثر در این دور", "Evaluator of this work in this round")
        holding = {e["person_id"] for e in work["evaluators"]}
        choices = [(str(p["person_id"]), p["name"]) for p in found["eligible"] if p["person_id"] not in holding]
        return pages.render(request, "manage_reassign.html", status=status, round=found["round"], work=work,
                            holder=holder, choices=choices, form=form, errors=errors or {})

    @router.get("/rounds/manage/{round_id}/reassign")
    async def reassign_form(request: Request, round_id: uuid.UUID, principal: person, conn: Reading,
                            work: str = "", holder: Annotated[str, Query(alias="from")] = "") -> HTMLResponse:
        """Choose who takes a work over from one of its evaluators, and why."""
        return await reassign_page(request, conn, principal, round_id, {"work": work[:64], "from": holder[:64]})

    @router.post("/rounds/manage/{round_id}/reassign")
    async def reassign(request: Request, round_id: uuid.UUID, principal: person, conn: Reading,
                       engine: Engine) -> Response:
        """Give the work to the chosen evaluator (the reason is recorded with the old evaluator's draft)."""
        await pages.require_csrf(request)
        form = await form_fields(request, "work", "from", "to_person", "reason")
        work_id, from_person = an_id(form["work"]), an_id(form["from"])
        if work_id is None or from_person is None:
            raise not_found("داور این اثر در این دور", "Evaluator of this work in this round")
        try:
            body = ReassignIn(from_person=from_person, to_person=form["to_person"], reason=form["reason"])
            await in_transaction(engine, lambda tx: reassigning.reassign(
                tx, principal, round_id=round_id, work_id=work_id, from_person=body.from_person,
                to_person=body.to_person, reason=body.reason))
        except ValidationError as error:
            errors = field_errors(error)
            if "to_person" in errors:
                errors["to_person"] = "داور تازه را از فهرست انتخاب کنید."
            return await reassign_page(request, conn, principal, round_id, form, status=400, errors=errors)
        except Refusal as refusal:
            about_the_form(refusal)
            return await reassign_page(request, conn, principal, round_id, form, status=STATUS[refusal.kind],
                                       errors={REASSIGN_FIELDS.get(refusal.code, "form"): refusal.fa})
        return RedirectResponse(pages.url("evaluation", f"/rounds/manage/{round_id}?done=reassigned"),
                                status_code=303)

    return router
