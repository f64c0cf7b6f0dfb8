"""A district's decisions in the browser: the list with each one's state, a decision's page, and the district's
two steps (acknowledge, implemented) through the same use case as the JSON routes."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.registry.decisions import usecases
from services.registry.decisions.api import StepIn
from services.registry.page_kit import about_the_form, chosen_district, form_district, form_fields, in_transaction
from services.registry.web import Engine
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors, refusal_errors

District = Annotated[int | None, Query(ge=1, le=22)]
# The form's step -> the use case's step.
STEPS = {"acknowledge": "acknowledge", "implemented": "implement"}


def routes(pages: Pages) -> APIRouter:
    """The district's decision pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def decision_page(request: Request, conn: Reading, principal: Principal, decision_id: uuid.UUID,
                            district: int, **context: object) -> HTMLResponse:
        found = await usecases.district_decision(conn, principal, decision_id, district)
        return pages.render(request, "district_decision.html", decision=found, district=district, **context)

    @router.get("/district/decisions")
    async def district_decisions(request: Request, principal: person, conn: Reading,
                                 district: District = None) -> HTMLResponse:
        if (chosen := chosen_district(principal, district)) is None:
            return pages.render(request, "choose_district.html", path="/district/decisions",
                                title="مصوبه‌های منطقه")
        rows = await usecases.district_decisions(conn, principal, chosen)
        return pages.render(request, "district_decisions.html", district=chosen, decisions=rows)

    @router.get("/district/decisions/{decision_id}")
    async def district_decision(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                                district: District = None, done: str = "") -> HTMLResponse:
        if (chosen := chosen_district(principal, district)) is None:
            return pages.render(request, "choose_district.html", path=f"/district/decisions/{decision_id}",
                                title="مصوبه")
        return await decision_page(request, conn, principal, decision_id, chosen, done=done)

    @router.post("/district/decisions/{decision_id}/{step}")
    async def take_step(request: Request, decision_id: uuid.UUID, step: str, principal: person, conn: Reading,
                        engine: Engine) -> Response:
        await pages.require_csrf(request)
        form = await form_fields(request, "district", "note")
        if step not in STEPS or not (district := form_district(form["district"])):
            return RedirectResponse(pages.url("registry", "/district/decisions"), status_code=303)
        try:
            note = StepIn(note=form["note"]).note
            await in_transaction(engine, lambda tx: usecases.answer(
                tx, principal, decision_id, district=district, step=STEPS[step], note=note))
        except ValidationError as error:
            return await decision_page(request, conn, principal, decision_id, district, status=400, form=form,
                                       errors=field_errors(error), done="")
        except Refusal as refusal:
            return await decision_page(request, conn, principal, decision_id, district, form=form, done="",
                                       errors=refusal_errors(about_the_form(refusal), {}),
                                       status=STATUS[refusal.kind])
        return RedirectResponse(pages.url("registry", f"/district/decisions/{decision_id}?district={district}"
                                                      f"&done={step}"), status_code=303)

    return router
