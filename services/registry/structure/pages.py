"""A district's festival offices in the browser: its neighbourhoods, local institutions and organisations, and its
staff accounts with their roles (read-only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from services.registry.page_kit import chosen_district
from services.registry.structure import usecases
from shared.principal import Principal
from shared.web.connection import Reading
from shared.web.pages import Pages


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

    return router
