"""Staff views of many works: a filtered, paginated list and a CSV export, each limited to what the caller
may see (district staff: their districts; festival secretary and central secretariat: the city)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions import db, db_works, export
from services.submissions.db_works import WorkFilter
from services.submissions.domain import CATEGORIES, STATUSES, search_terms
from services.submissions.schemas import EDITION, WorkPage
from services.submissions.works import work_out
from shared.auth import require_district_staff, signed_in
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden

EXPORT_BATCH = 500


def visible_districts(principal: Principal, district: int | None) -> set[int] | None:
    """Districts the caller asks for and may see (None: the whole city); refuses anything else."""
    if principal.is_city_wide():
        return None if district is None else {district}
    own = principal.districts()
    if not own:
        raise forbidden()
    if district is None:
        return own
    require_district_staff(principal, district)
    return {district}


async def work_filter(
    principal: Principal = Depends(signed_in),
    edition: str | None = Query(None, pattern=EDITION),
    district: int | None = Query(None, ge=1, le=22),
    neighbourhood: str | None = Query(None, max_length=200),
    category: str | None = Query(None, max_length=40),
    status: str | None = Query(None, max_length=40),
    q: str | None = Query(None, max_length=200, description="text search; ignores Arabic/Persian letter variants"),
    possible_duplicate: bool | None = None,
) -> WorkFilter:
    """Dependency: the filter of a list or export, within what the caller may see."""
    if status is not None and status not in STATUSES:
        raise Refusal(Kind.INVALID, "unknown_status", "وضعیت معتبر نیست.", "Unknown status.", sorted(STATUSES))
    return WorkFilter(
        districts=visible_districts(principal, district), edition=edition, category=category, status=status,
        neighbourhood=normalize_text(neighbourhood) if neighbourhood else None,
        possible_duplicate=possible_duplicate, terms=tuple(search_terms(q or "")),
    )


def build_views_router(engine: AsyncEngine) -> APIRouter:
    """Routes of the staff list and export."""
    router = APIRouter(tags=["staff views"])

    @router.get("/works", response_model=WorkPage)
    async def list_works(where: WorkFilter = Depends(work_filter), page: int = Query(1, ge=1, le=10_000),
                         page_size: int = Query(50, ge=1, le=200)) -> WorkPage:
        """Works matching the filter, newest first, one page at a time."""
        async with engine.connect() as conn:
            rows, total = await db_works.list_works(conn, where=where, limit=page_size,
                                                    offset=(page - 1) * page_size)
        return WorkPage(items=[work_out(r) for r in rows], total=total, page=page, page_size=page_size)

    @router.get("/works/export.csv", response_class=StreamingResponse,
                responses={200: {"content": {"text/csv": {}}}})
    async def export_csv(where: WorkFilter = Depends(work_filter)) -> StreamingResponse:
        """Every work matching the filter as CSV (UTF-8 with BOM, Jalali dates), streamed."""
        async with engine.connect() as conn:
            names = await db.call_categories(conn)

        async def body() -> AsyncIterator[bytes]:
            yield (export.BOM + export.render([export.HEADER])).encode()
            async with engine.connect() as conn:
                batch = []
                async for work in db_works.stream_works(conn, where=where, batch=EXPORT_BATCH):
                    batch.append(export.work_row(work, names.get(work["edition"], CATEGORIES)))
                    if len(batch) == EXPORT_BATCH:
                        yield export.render(batch).encode()
                        batch = []
                if batch:
                    yield export.render(batch).encode()

        scope = "city" if where.districts is None else "-".join(f"d{d:02d}" for d in sorted(where.districts))
        filename = f"hami-works-{scope}-{datetime.now(UTC):%Y%m%d}.csv"
        return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    return router

