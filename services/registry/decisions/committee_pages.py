"""Committee members in the browser: the decisions addressed to their committee and acknowledging one for the
committee (the same use case as the JSON route)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import glance, usecases
from services.registry.decisions.api import StepIn
from services.registry.fields import CODE_PATTERN
from services.registry.page_kit import about_the_form, form_fields, in_transaction
from services.registry.structure.db import load_body
from services.registry.web import Engine
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors, refusal_errors

Committee = Annotated[str | None, Query(pattern=CODE_PATTERN, max_length=63)]


def own_committees(principal: Principal) -> list[str]:
    """The bodies the person sits on that are not a secretariat or the council: the committees they answer for."""
    return list(dict.fromkeys(m.body for m in principal.memberships if m.kind.endswith("committee")))


async def committee_name(conn: AsyncConnection, code: str) -> str:
    """A committee's Persian name (its code when unknown)."""
    body = await load_body(conn, code=code)
    return body.name_fa if body else code


def routes(pages: Pages) -> APIRouter:
    """The committee members' decision pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def chosen(request: Request, conn: AsyncConnection, principal: Principal, committee: str | None,
                     path: str) -> str | HTMLResponse:
        """The committee a page is about: the one asked for, else the person's only committee, else a choice."""
        if committee:
            return committee
        own = own_committees(principal)
        if len(own) == 1:
            return own[0]
        choices = [(code, await committee_name(conn, code)) for code in own]
        return pages.render(request, "committee_choose.html", choices=choices, path=path)

    async def decision_page(request: Request, conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID,
                            committee: str, status: int = 200, **context: object) -> HTMLResponse:
        """A decision as the committee sees it, with whatever the last step left to say."""
        found = await glance.committee_decision(conn, principal, decision_id, committee)
        return pages.render(request, "committee_decision.html", status=status, decision=found, committee=committee,
                            committee_fa=await committee_name(conn, committee), **context)

    @router.get("/committee/decisions")
    async def committee_decisions(request: Request, principal: person, conn: Reading,
                                  committee: Committee = None) -> HTMLResponse:
        """The decisions addressed to a committee of the person (asked which when they sit on several)."""
        code = await chosen(request, conn, principal, committee, "/committee/decisions")
        if isinstance(code, HTMLResponse):
            return code
        rows = await glance.committee_decisions(conn, principal, code)
        return pages.render(request, "committee_decisions.html", decisions=rows, committee=code,
                            committee_fa=await committee_name(conn, code))

    @router.get("/committee/decisions/{decision_id}")
    async def committee_decision(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                                 committee: Committee = None, done: bool = False) -> HTMLResponse:
        """One decision as an addressed committee sees it, with the acknowledgement when it is due."""
        code = await chosen(request, conn, principal, committee, f"/committee/decisions/{decision_id}")
        if isinstance(code, HTMLResponse):
            return code
        return await decision_page(request, conn, principal, decision_id, code, done=done)

    @router.post("/committee/decisions/{decision_id}/acknowledge")
    async def acknowledge(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                          engine: Engine) -> Response:
        """Acknowledge the decision for the committee (once, by any member)."""
        await pages.require_csrf(request)
        form = await form_fields(request, "committee", "note")
        code = form["committee"] if len(form["committee"]) <= 63 else ""
        try:
            note = StepIn(note=form["note"]).note
            await in_transaction(engine, lambda tx: usecases.acknowledge_for_committee(
                tx, principal, decision_id, committee=code, note=note))
        except ValidationError as error:
            return await decision_page(request, conn, principal, decision_id, code, status=400, form=form,
                                       errors=field_errors(error), done=False)
        except Refusal as refusal:
            return await decision_page(request, conn, principal, decision_id, code, status=STATUS[refusal.kind],
                                       form=form, errors=refusal_errors(about_the_form(refusal), {}), done=False)
        return RedirectResponse(pages.url("registry", f"/committee/decisions/{decision_id}?committee={code}&done=1"),
                                status_code=303)

    return router
