"""Staff views over HTTP: a filtered, paginated list and a CSV export of works (the use cases limit them to
what the caller may see)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls.schemas import EDITION
from services.submissions.fields import LINE_PATTERN
from services.submissions.views import usecases
from services.submissions.views.usecases import WorkQuery
from services.submissions.works.api import work_out
from services.submissions.works.schemas import FiguresOut, WorkPage
from shared.auth import SignedIn
from shared.web.connection import Reading, engine_of

router = APIRouter(tags=["staff views"])


async def _while_sending(request: Request) -> AsyncIterator[AsyncConnection]:
    async with engine_of(request).connect() as conn:
        yield conn


# A connection held until the response is sent (request scope), unlike Reading: the export streams its rows
# after the route has returned.
ReadingWhileSending = Annotated[AsyncConnection, Depends(_while_sending, scope="request")]


def work_query(
    edition: str | None = Query(None, pattern=EDITION),
    district: int | None = Query(None, ge=1, le=22),
    neighbourhood: str | None = Query(None, max_length=200, pattern=LINE_PATTERN),
    category: str | None = Query(None, max_length=40, pattern=LINE_PATTERN),
    status: str | None = Query(None, max_length=40, pattern=LINE_PATTERN),
    q: str | None = Query(None, max_length=200, pattern=LINE_PATTERN,
                          description="text search; ignores Arabic/Persian letter variants"),
    possible_duplicate: bool | None = None,
) -> WorkQuery:
    """Dependency: the filter of a list or export, as asked."""
    return WorkQuery(district=district, edition=edition, neighbourhood=neighbourhood, category=category,
                     status=status, q=q, possible_duplicate=possible_duplicate)


Asked = Annotated[WorkQuery, Depends(work_query)]


@router.get("/works", response_model=WorkPage)
async def list_works(principal: SignedIn, query: Asked, conn: Reading, page: int = Query(1, ge=1, le=10_000),
                     page_size: int = Query(50, ge=1, le=200)) -> WorkPage:
    """Works matching the filter, newest first, one page at a time."""
    rows, total = await usecases.list_works(conn, principal, query, page=page, page_size=page_size)
    return WorkPage(items=[work_out(r) for r in rows], total=total, page=page, page_size=page_size)


@router.get("/works/figures", response_model=FiguresOut)
async def works_figures(principal: SignedIn, conn: Reading, edition: str | None = Query(None, pattern=EDITION),
                        district: int | None = Query(None, ge=1, le=22)) -> FiguresOut:
    """Works per district and category of an edition (the newest by default) and per edition, as the caller may
    list them."""
    found = await usecases.figures(conn, principal, edition, district)
    return FiguresOut(edition=found.edition, editions=found.editions, categories=found.categories,
                      per_district=found.per_district, per_edition=found.per_edition)


@router.get("/works/export.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
async def export_csv(principal: SignedIn, query: Asked, conn: ReadingWhileSending) -> StreamingResponse:
    """Every work matching the filter as CSV (UTF-8 with BOM, Jalali dates), streamed."""
    export = await usecases.export_works(conn, principal, query, now=datetime.now(UTC))
    return StreamingResponse(export.chunks, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{export.filename}"'})
