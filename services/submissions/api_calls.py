"""Editions and calls over HTTP: anyone may read them; the festival secretary and the central secretariat
set them up, open and close them."""

from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions import calls, db
from services.submissions.domain import call_dates, check_categories
from services.submissions.schemas import CallIn, CallOut, EditionIn, EditionOut
from shared.auth import signed_in
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found


async def city_wide_staff(principal: Principal = Depends(signed_in)) -> Principal:
    """Dependency: the festival secretary or central secretariat staff."""
    if not principal.is_city_wide():
        raise forbidden()
    return principal


def build_calls_router(engine: AsyncEngine) -> APIRouter:
    """Routes of editions and their calls."""
    router = APIRouter(tags=["editions and calls"])

    @router.get("/editions", response_model=list[EditionOut])
    async def list_editions() -> list[EditionOut]:
        """Every edition, newest first (public: calls are announced to everyone)."""
        async with engine.connect() as conn:
            return [EditionOut(code=row["code"], title_fa=row["title_fa"]) for row in await db.list_editions(conn)]

    @router.post("/editions", status_code=201, response_model=EditionOut)
    async def create_edition(body: EditionIn, principal: Principal = Depends(city_wide_staff)) -> EditionOut:
        """Add a festival edition (festival secretary, central secretariat)."""
        title = normalize_text(body.title_fa or "") or calls.default_title(body.code)
        async with engine.begin() as conn:
            if not await db.insert_edition(conn, code=body.code, title_fa=title, created_by=principal.subject):
                raise Refusal(Kind.CONFLICT, "edition_exists", "این دوره پیش‌تر تعریف شده است.",
                              "This edition already exists.")
        return EditionOut(code=body.code, title_fa=title)

    @router.get("/editions/{edition}", response_model=EditionOut)
    async def get_edition(edition: str) -> EditionOut:
        """An edition with its call: categories, dates (Jalali), offices, questions, whether it takes works."""
        async with engine.connect() as conn:
            row = await db.get_edition(conn, code=edition)
            if row is None:
                raise not_found("دوره‌ی جشنواره", "Edition")
            call = await db.get_call(conn, edition=edition)
            out = await calls.call_out(conn, call, now=datetime.now(UTC)) if call else None
        return EditionOut(code=row["code"], title_fa=row["title_fa"], call=out)

    @router.put("/editions/{edition}/call", response_model=CallOut)
    async def set_call(edition: str, body: CallIn, principal: Principal = Depends(city_wide_staff)) -> CallOut:
        """Set up or change the edition's call; an open call that changes publishes CallChanged."""
        opens_at, closes_at = call_dates(body.opens_on, body.closes_on)
        categories = check_categories(body.categories) if body.categories is not None else None
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            if await db.get_edition(conn, code=edition) is None:
                raise not_found("دوره‌ی جشنواره", "Edition")
            codes = await _office_codes(conn, body)
            call = await calls.save_call(
                conn, edition=edition, categories=categories, opens_at=opens_at, closes_at=closes_at,
                actor=principal.subject,
                questions=[{**q.model_dump(), "text_fa": normalize_text(q.text_fa)} for q in body.questions])
            await db.replace_call_offices(conn, edition=edition, codes=codes)
            return await calls.call_out(conn, call, now=now)

    @router.post("/editions/{edition}/call/open", response_model=CallOut)
    async def open_call(edition: str, principal: Principal = Depends(city_wide_staff)) -> CallOut:
        """Open the call: works are taken within its dates; publishes CallOpened."""
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            call = await calls.open_call(conn, edition=edition, actor=principal.subject, now=now)
            return await calls.call_out(conn, call, now=now)

    @router.post("/editions/{edition}/call/close", response_model=CallOut)
    async def close_call(edition: str, principal: Principal = Depends(city_wide_staff)) -> CallOut:
        """Close the call: intake and edits stop; publishes CallClosed."""
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            call = await calls.close_call(conn, edition=edition, actor=principal.subject, now=now)
            return await calls.call_out(conn, call, now=now)

    return router


async def _office_codes(conn, body: CallIn) -> list[str]:
    """Neighbourhood codes of the offices named in the body; refuses unknown ones, naming them."""
    codes, unknown = [], []
    for office in body.offices:
        hood = await db.find_neighbourhood(conn, district=office.district, name_fa=normalize_text(office.neighbourhood))
        if hood is None:
            unknown.append(f"{office.district}:{office.neighbourhood}")
        elif hood["code"] not in codes:
            codes.append(hood["code"])
    if unknown:
        raise Refusal(Kind.INVALID, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                       "This neighbourhood is not in the district.", unknown)
    return codes
