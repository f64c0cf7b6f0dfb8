"""Staff views use cases: the list and the CSV export of works matching a query, each limited to the districts
the caller may see (district staff: their districts; the festival secretary and central secretariat: the city)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db as calls_db
from services.submissions.domain import CATEGORIES, STATUSES, unknown_status
from services.submissions.permissions import PERMISSIONS, Capability, not_district_staff
from services.submissions.views import db, export
from services.submissions.views.db import WorkFilter
from services.submissions.works.search import search_terms
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import forbidden

EXPORT_BATCH = 500


@dataclass(frozen=True)
class WorkQuery:
    """What a staff list or export asks for, as typed (district None: every district the caller may see)."""

    district: int | None = None
    edition: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    status: str | None = None
    q: str | None = None
    possible_duplicate: bool | None = None


@dataclass(frozen=True)
class Figures:
    """An edition's works in figures: per district and category, and per edition and category for comparison."""

    edition: str | None
    editions: list[str]
    categories: dict[str, str]
    districts: list[int]
    per_district: dict[int, dict[str, int]]
    per_edition: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Export:
    """A CSV export: its file name and its bytes, produced while they are sent."""

    filename: str
    chunks: AsyncIterator[bytes]


async def list_works(conn: AsyncConnection, principal: Principal, query: WorkQuery, *, page: int,
                     page_size: int) -> tuple[list[dict], int]:
    """One page of the works matching the query, newest first, and how many match in all."""
    where = work_filter(principal, Capability.LIST_WORKS, query)
    return await db.list_works(conn, where=where, limit=page_size, offset=(page - 1) * page_size)


async def status_counts(conn: AsyncConnection, principal: Principal, query: WorkQuery) -> dict[str, int]:
    """How many of the works matching the query (its status aside) are in each status: a list's facets."""
    return await db.status_counts(conn, where=work_filter(principal, Capability.LIST_WORKS, query))


async def entered_since(conn: AsyncConnection, principal: Principal, since: datetime, *,
                        limit: int = 5) -> tuple[list[dict], int]:
    """The latest works received since a moment (today, on the desk) in the districts the person may list,
    and how many there are."""
    where = replace(work_filter(principal, Capability.LIST_WORKS, WorkQuery()), since=since)
    return await db.list_works(conn, where=where, limit=limit, offset=0)


async def figures(conn: AsyncConnection, principal: Principal, edition: str | None,
                  district: int | None = None) -> Figures:
    """Works in figures for the districts the caller may list (withdrawn left out): the chosen edition (else the
    newest with works) per district and category, and every edition per category."""
    where = work_filter(principal, Capability.LIST_WORKS, WorkQuery(district=district))
    by_edition = await db.counts_by(conn, where=where, by="edition")
    editions = sorted({e for e, _ in by_edition}, reverse=True)
    edition = edition or (editions[0] if editions else None)
    by_district = await db.counts_by(conn, where=replace(where, edition=edition), by="district") if edition else {}
    names = (await calls_db.call_categories(conn)).get(edition or "", CATEGORIES)
    categories = {**names, **{c: c for _, c in (*by_district, *by_edition) if c not in names}}
    districts = sorted(where.districts) if where.districts is not None else list(range(1, 23))
    return Figures(edition=edition, editions=editions, categories=categories, districts=districts,
                   per_district={d: {c: by_district.get((d, c), 0) for c in categories} for d in districts},
                   per_edition={e: {c: by_edition.get((e, c), 0) for c in categories} for e in editions})


async def export_works(conn: AsyncConnection, principal: Principal, query: WorkQuery, *, now: datetime) -> Export:
    """Every work matching the query as CSV (UTF-8 with BOM, Jalali dates), refused before anything is sent;
    `conn` must stay open while the chunks are read."""
    where = work_filter(principal, Capability.EXPORT_WORKS, query)
    names = await calls_db.call_categories(conn)
    scope = "city" if where.districts is None else "-".join(f"d{d:02d}" for d in sorted(where.districts))
    return Export(f"hami-works-{scope}-{now:%Y%m%d}.csv", _csv(conn, where, names))


def work_filter(principal: Principal, capability: Capability, query: WorkQuery) -> WorkFilter:
    """The query as a filter within what the caller may see; refuses an unknown status and other districts."""
    if query.status is not None and query.status not in STATUSES:
        raise unknown_status()
    return WorkFilter(
        districts=visible_districts(principal, capability, query.district), edition=query.edition,
        category=query.category, status=query.status,
        neighbourhood=normalize_text(query.neighbourhood) if query.neighbourhood else None,
        possible_duplicate=query.possible_duplicate, terms=tuple(search_terms(query.q or "")))


def visible_districts(principal: Principal, capability: Capability, district: int | None) -> set[int] | None:
    """Districts the caller asks for and may see (None: the whole city); refuses anything else."""
    if PERMISSIONS.may(principal, capability):  # held city-wide, not for one district
        return None if district is None else {district}
    own = {d for d in principal.districts() if PERMISSIONS.may(principal, capability, district=d)}
    if not own:
        raise forbidden()
    if district is None:
        return own
    if district not in own:
        raise not_district_staff()
    return {district}


async def _csv(conn: AsyncConnection, where: WorkFilter, names: dict[str, dict[str, str]]) -> AsyncIterator[bytes]:
    yield (export.BOM + export.render([export.HEADER])).encode()
    batch = []
    async for work in db.stream_works(conn, where=where, batch=EXPORT_BATCH):
        batch.append(export.work_row(work, names.get(work["edition"], CATEGORIES)))
        if len(batch) == EXPORT_BATCH:
            yield export.render(batch).encode()
            batch = []
    if batch:
        yield export.render(batch).encode()
