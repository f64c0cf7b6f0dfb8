"""The registry's pages for people: signing in, my desk, and the district secretariat's decisions, reports and
offices. Each sub-domain's pages call its use cases; this module puts them together."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.registry.catalogue import pages as catalogue_pages
from services.registry.decisions import committee_pages, council_pages
from services.registry.decisions import pages as decisions_pages
from services.registry.decisions import secretariat_pages as relay_pages
from services.registry.desk import desk
from services.registry.identity import account_pages
from services.registry.identity import pages as identity_pages
from services.registry.ledger import verify as ledger_verify
from services.registry.organisations import pages as organisation_pages
from services.registry.people import letters as people_letters
from services.registry.people import pages as people_pages
from services.registry.reports import exports as reports_exports
from services.registry.reports import pages as reports_pages
from services.registry.reports import secretariat_pages as report_secretariat_pages
from services.registry.structure import pages as structure_pages
from shared.principal import Principal
from shared.web.connection import Reading
from shared.web.pages import Pages


def desk_routes(pages: Pages) -> APIRouter:
    """My desk: what waits for the signed-in person, by role; other services' cards load into it."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/desk")
    async def my_desk(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        return pages.render(request, "desk.html", desk=await desk(conn, principal))

    return router


def routers(pages: Pages) -> list[APIRouter]:
    """Every registry page router."""
    return [identity_pages.routes(pages), desk_routes(pages), decisions_pages.routes(pages),
            reports_pages.routes(pages), structure_pages.routes(pages), catalogue_pages.routes(pages),
            organisation_pages.routes(pages), people_pages.routes(pages), account_pages.routes(pages),
            ledger_verify.routes(pages), people_letters.routes(pages), reports_exports.routes(pages),
            council_pages.routes(pages), relay_pages.routes(pages), committee_pages.routes(pages),
            report_secretariat_pages.routes(pages)]
