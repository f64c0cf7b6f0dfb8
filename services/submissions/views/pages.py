"""Staff pages of the works lists: the district's works with search, filters, counts, paging and the CSV export's
link, the works in figures (charts per district, category and edition), and the desk's card of works entered today
(the views' use cases decide what each person may see)."""

import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from services.submissions.calls.schemas import EDITION
from services.submissions.calls.usecases import current_call
from services.submissions.domain import CATEGORIES, STATUSES
from services.submissions.drafts.usecases import entry_districts
from services.submissions.forms import whole_number, without_controls
from services.submissions.permissions import Capability
from services.submissions.projections.usecases import neighbourhoods_of
from services.submissions.views import usecases
from services.submissions.views.usecases import WorkQuery, visible_districts
from shared.persian import format_jalali_date, tehran_day_start_utc, to_ascii_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.charts import bar_chart
from shared.web.connection import Reading
from shared.web.pages import Pages, persian_number

PAGE_SIZE = 20
FILTERS = ("q", "category", "status", "neighbourhood", "district")


def asked(request: Request) -> dict[str, str]:
    """The list's filters as typed in the address, without control characters (empty ones left out)."""
    return {key: value[:200] for key in FILTERS
            if (value := without_controls(request.query_params.get(key, "")).strip())}


def figure_charts(figures: usecases.Figures) -> dict[str, Markup]:
    """The figures page's two charts: the edition's works per district (stacked by category), and each category
    across editions."""
    names = list(figures.categories.values())
    charts = {}
    if figures.edition:
        charts["districts"] = bar_chart(
            f"آثار جشنوارهٔ {persian_number(figures.edition)} در هر منطقه",
            [f"منطقهٔ {persian_number(d)}" for d in figures.districts],
            {name: [figures.per_district[d][code] for d in figures.districts]
             for code, name in figures.categories.items()}, horizontal=True, stacked=True)
    if len(figures.editions) > 1:
        charts["editions"] = bar_chart(
            "آثار هر موضوع در دوره‌های جشنواره", names,
            {f"جشنوارهٔ {persian_number(e)}": list(figures.per_edition[e].values()) for e in reversed(figures.editions)})
    return charts


def build_router(pages: Pages) -> APIRouter:
    """The works list and the desk card."""
    router = pages.router()

    @router.get("/office/works", response_class=HTMLResponse)
    async def works_list(request: Request, conn: Reading,
                         person: Principal = Depends(pages.person)) -> HTMLResponse:
        filters = asked(request)
        district = whole_number(filters.get("district"))
        scope = visible_districts(person, Capability.LIST_WORKS, None)  # refused to those who may list none
        if district is None and scope is not None and len(scope) == 1:
            district = next(iter(scope))
        query = WorkQuery(district=district, neighbourhood=filters.get("neighbourhood"),
                          category=filters.get("category"), status=filters.get("status"), q=filters.get("q"))
        page = max(1, whole_number(request.query_params.get("page"), 1) or 1)
        rows, total = await usecases.list_works(conn, person, query, page=page, page_size=PAGE_SIZE)
        counts = await usecases.status_counts(conn, person, query)
        call = await current_call(conn, now=datetime.now(UTC))
        categories = {**CATEGORIES, **(call["categories"] if call else {})}
        hoods = await neighbourhoods_of(conn, district) if district is not None else []
        choices = range(1, 23) if scope is None else sorted(scope) if len(scope) > 1 else []
        return pages.render(
            request, "works_list.html", district=district, rows=rows, total=total, page=page,
            pages_count=max(1, -(-total // PAGE_SIZE)), counts=counts, filters=filters, categories=categories,
            statuses=STATUSES, neighbourhoods=hoods, district_choices=choices, may_enter=bool(entry_districts(person)),
            query_string=lambda **change: urlencode({**filters, **change}),
            export_query=urlencode(filters))

    @router.get("/office/figures", response_class=HTMLResponse)
    async def figures(request: Request, conn: Reading, person: Principal = Depends(pages.person)) -> HTMLResponse:
        """Works per district and category of an edition, and across editions, as charts and tables."""
        edition = to_ascii_digits(without_controls(request.query_params.get("edition", ""))).strip()
        found = await usecases.figures(conn, person, edition if re.fullmatch(EDITION, edition) else None)
        return pages.render(request, "figures.html", figures=found, charts=figure_charts(found))

    @router.get("/desk/card", response_class=HTMLResponse)
    async def desk_card(request: Request, conn: Reading) -> HTMLResponse:
        person = request.state.principal = await pages.principal(request)
        if person is None:
            return HTMLResponse("<p class=\"mb-0\">برای دیدن آثار امروز، وارد سامانه شوید.</p>")
        today = tehran_day_start_utc(format_jalali_date(datetime.now(UTC), persian_digits=False))
        try:
            rows, total = await usecases.entered_since(conn, person, today)
        except Refusal:
            return pages.render(request, "desk_card.html", allowed=False)
        return pages.render(request, "desk_card.html", allowed=True, rows=rows, total=total,
                            may_enter=bool(entry_districts(person)))

    return router
