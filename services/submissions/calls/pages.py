"""The festival's public page: its themes, the call and its Jalali dates, and how to take part (no sign-in)."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.submissions.calls.domain import call_accepts, last_day
from services.submissions.calls.usecases import current_call
from services.submissions.domain import CATEGORIES
from shared.web.connection import Reading
from shared.web.pages import Pages


def build_router(pages: Pages) -> APIRouter:
    """The public festival page."""
    router = pages.router()

    @router.get("/festival", response_class=HTMLResponse)
    async def festival(request: Request, conn: Reading) -> HTMLResponse:
        request.state.principal = await pages.principal(request)
        now = datetime.now(UTC)
        call = await current_call(conn, now=now)
        offices: dict[int, list[str]] = {}
        for office in call["offices"] if call else []:
            offices.setdefault(office["district"], []).append(office["name_fa"])
        return pages.render(request, "festival.html", call=call, accepting=call_accepts(call, now),
                            themes=call["categories"] if call else CATEGORIES, offices=sorted(offices.items()),
                            last_day=last_day(call["closes_at"]) if call and call["closes_at"] else None)

    return router
