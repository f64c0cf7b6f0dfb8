"""The council's page of the jury's proposals (`GET /proposals/{edition}`): each category's proposed awards with
their scores and explanations, the way to the decision that approves them, and the award certificates once the
results are published. The desk card of a person's rounds (evaluated and managed) lives here too."""

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.evaluation.domain import EDITION_CODE
from services.evaluation.usecases import council, progress
from shared.persian import to_ascii_digits
from shared.principal import Principal
from shared.refusals import Refusal, not_found
from shared.web.connection import Reading
from shared.web.pages import Pages


def build_router(pages: Pages) -> APIRouter:
    """The council's proposals page and the desk card."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/council/proposals/{edition}")
    async def proposals(request: Request, edition: str, principal: person, conn: Reading) -> HTMLResponse:
        """The jury's proposed awards of an edition with their explanations, before the council approves them."""
        edition = to_ascii_digits(edition).strip()
        if not re.fullmatch(EDITION_CODE, edition):
            raise not_found("پیشنهادهای این دوره", "Proposals of this edition")
        rows = await council.proposals(conn, principal, edition=edition)
        return pages.render(request, "council_proposals.html", edition=edition, proposals=rows,
                            unpublished=any(p["published_at"] is None for p in rows))

    @router.get("/staff/desk-card")
    async def desk_card(request: Request, conn: Reading) -> HTMLResponse:
        """The desk's card: my rounds with my progress, and the rounds I manage (an htmx fragment)."""
        principal = request.state.principal = await pages.principal(request)
        if principal is None:
            return HTMLResponse('<p class="mb-0">برای دیدن دورهای داوری، وارد سامانه شوید.</p>')
        try:
            mine = await progress.evaluator_rounds(conn, principal)
        except Refusal:
            mine = []
        managed = await progress.managed_rounds(conn, principal)
        return pages.render(request, "desk_card.html", mine=[r for r in mine if r["state"] == "open"][:5],
                            managed=[r for r in managed if r["state"] == "open"][:5])

    return router
