"""The public events' catalogue for other municipal systems' developers (Persian and English), and the AsyncAPI
document it is made from; no sign-in: the contract is public."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from services.registry.catalogue.usecases import asyncapi_json, catalogue, event_schema
from shared.refusals import not_found
from shared.web.pages import Pages


def routes(pages: Pages) -> APIRouter:
    """The events page, the document, and each public event's schema."""
    router = pages.router()

    @router.get("/events")
    async def events(request: Request) -> HTMLResponse:
        return pages.render(request, "events.html", **catalogue())

    @router.get("/events/asyncapi.json")
    async def document() -> Response:
        return Response(asyncapi_json(), media_type="application/json")

    @router.get("/events/schemas/{event_type}/v{version}.json")
    async def schema(event_type: str, version: int) -> JSONResponse:
        # What a public event's CloudEvents `dataschema` names (shared/contracts/cloudevents.py).
        if (found := event_schema(event_type, version)) is None:
            return JSONResponse(not_found("قالب رویداد", "Event schema").body(), status_code=404)
        return JSONResponse(found, media_type="application/schema+json")

    return router
