"""A district's festival offices in the browser: its neighbourhoods, local institutions and organisations, and its
staff accounts with their roles (read-only); and reloading the structure file (the festival secretary), showing
what changed."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from services.registry.page_kit import chosen_district, in_transaction
from services.registry.structure import usecases
from services.registry.web import Engine, Settings
from shared.contracts.base import Event
from shared.principal import Principal
from shared.web.connection import Reading
from shared.web.pages import Pages

# What a reload changed, as people say it.
ENTITIES = {"body": "نهاد", "neighbourhood": "محله", "organisation": "نهاد محلی یا سازمان"}
ACTIONS = {"created": "افزوده شد", "registered": "افزوده شد", "changed": "تغییر کرد", "deactivated": "غیرفعال شد",
           "reactivated": "دوباره فعال شد"}


def change_of(event: Event) -> dict:
    """One change of a reload: what (kind and name), where, and what happened to it."""
    action = "deactivated" if event.action == "changed" and not getattr(event, "active", True) else event.action
    return {"entity": ENTITIES.get(event.entity, event.entity), "action": ACTIONS.get(action, action),
            "name": getattr(event, "name_fa", ""), "district": getattr(event, "district", None)}


def routes(pages: Pages) -> APIRouter:
    """The district offices page."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/district/offices")
    async def offices(request: Request, principal: person, conn: Reading,
                      district: Annotated[int | None, Query(ge=1, le=22)] = None) -> HTMLResponse:
        if (chosen := chosen_district(principal, district)) is None:
            return pages.render(request, "choose_district.html", path="/district/offices", title="دفترهای منطقه")
        found = await usecases.district_offices(conn, principal, chosen)
        return pages.render(request, "offices.html", district=chosen, **found)

    @router.get("/organisation/structure")
    async def structure(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The structure file's bodies and the reload button."""
        summary = await usecases.structure_summary(conn, principal)
        return pages.render(request, "structure_reload.html", summary=summary, changes=None)

    @router.post("/organisation/structure")
    async def reload(request: Request, principal: person, conn: Reading, engine: Engine,
                     settings: Settings) -> HTMLResponse:
        """Reload the structure file and list what changed."""
        await pages.require_csrf(request)
        events = await in_transaction(engine, lambda tx: usecases.reload_structure_changes(
            tx, principal, settings.structure_file))
        summary = await usecases.structure_summary(conn, principal)
        return pages.render(request, "structure_reload.html", summary=summary,
                            changes=[change_of(e) for e in events])

    return router
