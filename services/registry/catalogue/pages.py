"""The public events' catalogue for other municipal systems' developers (Persian and English), and the AsyncAPI
document it is made from; no sign-in: the contract is public."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.registry.catalogue.usecases import asyncapi_json, catalogue
from shared.web.pages import Pages


def routes(pages: Pages) -> APIRouter:
    """The events page and the document."""
    router = pages.router()

    @router.get("/events")
    async def events(request: Request) -> HTMLResponse:
        return pages.render(request, "events.html", **catalogue())

    @router.get("/events/asyncapi.json")
    async def document() -> Response:
        return Response(asyncapi_json(), media_type="application/json")

    return router
