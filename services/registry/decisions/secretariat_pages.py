"""The central secretariat relays the council's decisions to the districts in the browser: the decisions still to
relay, and a decision's relay form with a note per district (the relay use case of the JSON route)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import glance, usecases
from services.registry.decisions.api import RelayIn
from services.registry.page_kit import about_the_form, form_district, in_transaction
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.web import Engine
from shared.contracts.base import DISTRICTS
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors

NOTE_FIELDS = tuple(f"note.{d}" for d in DISTRICTS)
NONE_CHOSEN = "دست‌کم یک منطقه را انتخاب کنید."


def note_errors(error: ValidationError) -> dict[str, str]:
    """The relay model's problems at the form's fields: a district's note at its own box."""
    return {("note." + field.split(".")[1] if field.startswith("notes.") else "districts"): message
            for field, message in field_errors(error).items()}


def routes(pages: Pages) -> APIRouter:
    """The central secretariat's relay pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def relay_page(request: Request, conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID,
                         status: int = 200, **context: object) -> HTMLResponse:
        """The relay form of a decision: the districts still to relay to, each with a note."""
        found = await glance.decision_at_a_glance(conn, principal, decision_id)
        form = context.pop("form", None) or {"districts": [str(d) for d in found["to_relay"]],
                                              **dict.fromkeys(NOTE_FIELDS, "")}
        return pages.render(request, "secretariat_relay.html", status=status, decision=found, form=form,
                            relays=PERMISSIONS.may(principal, Capability.RELAY_DECISIONS), **context)

    @router.get("/secretariat/decisions")
    async def to_relay(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The decisions the central secretariat still has districts to relay to."""
        PERMISSIONS.require(principal, Capability.RELAY_DECISIONS)
        rows = await glance.decisions_at_a_glance(conn, principal)
        return pages.render(request, "secretariat_decisions.html", waiting=[r for r in rows if r["to_relay"]],
                            relayed=[r for r in rows if not r["to_relay"]])

    @router.get("/secretariat/decisions/{decision_id}")
    async def relay_form(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                         relayed: int = 0) -> HTMLResponse:
        """The relay form of one decision."""
        return await relay_page(request, conn, principal, decision_id, relayed=relayed)

    @router.post("/secretariat/decisions/{decision_id}/relay")
    async def relay(request: Request, decision_id: uuid.UUID, principal: person, conn: Reading,
                    engine: Engine) -> Response:
        """Relay the decision to the chosen districts, each with its own note."""
        await pages.require_csrf(request)
        posted = await request.form()
        # Only the city's districts have a note box: a made-up number (99) is dropped like an empty one.
        asked = (form_district(str(value)) for value in posted.getlist("districts")[:22])
        chosen = sorted({district for district in asked if district in DISTRICTS})
        form = {"districts": [str(d) for d in chosen], **{f: str(posted.get(f, "")) for f in NOTE_FIELDS}}
        if not chosen:
            return await relay_page(request, conn, principal, decision_id, status=400, form=form,
                                    errors={"districts": NONE_CHOSEN}, relayed=0)
        try:
            body = RelayIn(districts=chosen, notes={d: form[f"note.{d}"] for d in chosen if form[f"note.{d}"]})
            done = await in_transaction(engine, lambda tx: usecases.relay(
                tx, principal, decision_id, districts=body.districts, notes=body.notes))
        except ValidationError as error:
            return await relay_page(request, conn, principal, decision_id, status=400, form=form,
                                    errors=note_errors(error), relayed=0)
        except Refusal as refusal:
            return await relay_page(request, conn, principal, decision_id, status=STATUS[refusal.kind], form=form,
                                    errors={"form": about_the_form(refusal).fa}, relayed=0)
        return RedirectResponse(pages.url("registry", f"/secretariat/decisions/{decision_id}?relayed={len(done)}"),
                                status_code=303)

    return router
