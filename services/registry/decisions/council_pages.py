"""The policy council's decision pages: choosing what kind of decision to issue, the form for it (an actionable
decision's parameters as proper fields), and every decision's 22-district status at a glance. The same use cases
as the JSON routes."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import glance, usecases
from services.registry.decisions.api import DecisionIn
from services.registry.decisions.decision_form import (
    ACTION_HINTS,
    ACTIONS,
    CRITERIA_ROWS,
    blank_form,
    decision_body,
    described_parameters,
    model_errors,
    read_form,
    refusal_field,
)
from services.registry.page_kit import about_the_form, in_transaction
from services.registry.web import Engine
from shared.contracts.base import DISTRICTS
from shared.errors import STATUS
from shared.persian import to_persian_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.charts import bar_chart
from shared.web.connection import Reading
from shared.web.pages import Pages

Short = Annotated[str, Query(max_length=40)]
# Each state of a district's (or committee's) copy: its word, its badge and its chart colour.
GLANCE_NAMES = {"not_relayed": "ابلاغ‌نشده", "pending": "منتظر تأیید دریافت", "overdue": "مهلت گذشته",
                "informed": "ابلاغ‌شده برای اطلاع", "acknowledged": "دریافت تأییدشده", "implemented": "اجراشده"}
GLANCE_BADGES = {"not_relayed": "text-bg-secondary", "pending": "text-bg-warning", "overdue": "text-bg-danger",
                 "informed": "text-bg-light border", "acknowledged": "text-bg-success", "implemented": "text-bg-info"}
GLANCE_COLOURS = {"not_relayed": "remaining", "pending": "pending", "overdue": "overdue", "informed": "#56B4E9",
                  "acknowledged": "acknowledged", "implemented": "implemented"}
PLAIN_KINDS = ("directive", "notice")
TITLE_IN_CHART = 40


def states_chart(title: str, labels: list[str], counts: list[dict[str, int]]) -> object:
    """Stacked bars of states (only those any bar has), one bar per label."""
    shown = [state for state in GLANCE_NAMES if any(c[state] for c in counts)]
    return bar_chart(title, labels, {GLANCE_NAMES[s]: [c[s] for c in counts] for s in shown}, horizontal=True,
                     stacked=True, colours=[GLANCE_COLOURS[s] for s in shown])


def short(title: str) -> str:
    """A decision's title short enough for a chart's label."""
    return title if len(title) <= TITLE_IN_CHART else title[:TITLE_IN_CHART - 1] + "…"


def routes(pages: Pages) -> APIRouter:
    """The council's decision pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]
    pages.env.globals.update(GLANCE_NAMES=GLANCE_NAMES, GLANCE_BADGES=GLANCE_BADGES, DECISION_ACTIONS=ACTIONS)

    async def form_page(request: Request, conn: AsyncConnection, principal: Principal, form: dict,
                        errors: dict, status: int = 200) -> HTMLResponse:
        """The form for a decision of a kind or action, filled with what was typed and refused at its fields."""
        bodies = await usecases.issuing_bodies(conn, principal)
        if not form["issuing_body"]:
            form["issuing_body"] = bodies[0]["code"] if bodies else ""
        return pages.render(request, "council_decision_new.html", status=status, form=form, errors=errors,
                            bodies=bodies, committees=await usecases.addressable_committees(conn),
                            districts=DISTRICTS, criteria_rows=CRITERIA_ROWS, action_hints=ACTION_HINTS)

    @router.get("/council/decisions")
    async def council_decisions(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """Every decision's districts and committees at a glance, with a chart."""
        rows = await glance.decisions_at_a_glance(conn, principal)
        chart = states_chart("وضعیت مصوبه‌ها در ۲۲ منطقه", [short(r["title"]) for r in rows],
                             [r["states"] for r in rows]) if rows else None
        return pages.render(request, "council_decisions.html", decisions=rows, chart=chart)

    @router.get("/council/decisions/new")
    async def new_decision(request: Request, principal: person, conn: Reading, kind: Short = "",
                           action: Short = "", edition: Short = "", category: Short = "") -> HTMLResponse:
        """Choose what to issue, then the form for that kind or action (prefilled from the address)."""
        await usecases.issuing_bodies(conn, principal)  # refuses those who issue for no body
        if action in ACTIONS:
            kind = "actionable"
        elif kind not in PLAIN_KINDS:
            return pages.render(request, "council_decision_choose.html", action_hints=ACTION_HINTS)
        prefilled = {"p.edition": edition, "p.category": category}
        if action == "approve_results" and edition:
            prefilled["title"] = f"تأیید نتایج داوری جشنوارهٔ {to_persian_digits(edition)}"
        form = blank_form(kind, action if kind == "actionable" else "", **prefilled)
        return await form_page(request, conn, principal, form, {})

    @router.post("/council/decisions")
    async def issue(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        """Issue the decision through the same use case as POST /decisions; refusals at their fields."""
        await pages.require_csrf(request)
        form = await read_form(request)
        body, errors = decision_body(form)
        try:
            DecisionIn(**body)
        except ValidationError as error:
            errors = {**model_errors(error, form), **errors}
        if errors:
            return await form_page(request, conn, principal, form, errors, status=400)
        checked = DecisionIn(**body)
        try:
            issued = await in_transaction(engine, lambda tx: usecases.issue(
                tx, principal, title=checked.title, text=checked.text, issuing_body=checked.issuing_body,
                kind=checked.kind, all_districts=checked.all_districts, districts=checked.districts,
                committees=checked.committees, ack_deadline_date=checked.ack_deadline, ack_deadline_at=None,
                parameters=checked.parameters, acknowledgement=checked.requires_acknowledgement))
        except Refusal as refusal:
            if (field := refusal_field(refusal, form)) is None:
                about_the_form(refusal)  # a refusal about the person is re-raised: the refusal page
                field = "form"
            return await form_page(request, conn, principal, form, {field: refusal.fa}, status=STATUS[refusal.kind])
        return RedirectResponse(pages.url("registry", f"/council/decisions/{issued['id']}?issued=1"), status_code=303)

    @router.get("/council/decisions/{decision_id}")
    async def council_decision(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                               issued: bool = False) -> HTMLResponse:
        """One decision's 22 districts and committees, each in one word of where it stands."""
        found = await glance.decision_at_a_glance(conn, principal, decision_id)
        chart = states_chart("وضعیت این مصوبه در مناطق", ["مناطق"], [found["states"]])
        names = {c["code"]: c["name"] for c in await usecases.addressable_committees(conn)}
        return pages.render(request, "council_decision.html", decision=found, chart=chart, issued=issued,
                            parameters=described_parameters(found["parameters"]), committee_names=names)

    return router
