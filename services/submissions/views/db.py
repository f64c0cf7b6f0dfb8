"""Keyword-only queries of the staff views: the works matching a filter, a page at a time or streamed."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import documents, neighbourhoods, works
from services.submissions.works.db import work_query


@dataclass(frozen=True)
class WorkFilter:
    """What a staff list or export asks for; `districts` None means every district."""

    districts: set[int] | None
    edition: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    status: str | None = None
    possible_duplicate: bool | None = None
    terms: tuple[str, ...] = ()
    since: datetime | None = None  # received at or after

    def where(self) -> list:
        """SQL conditions of the filter (search terms match the compact search text)."""
        conditions = []
        if self.districts is not None:
            conditions.append(works.c.district.in_(sorted(self.districts)))
        for column, value in ((works.c.edition, self.edition), (works.c.category, self.category),
                              (works.c.status, self.status), (neighbourhoods.c.name_fa, self.neighbourhood),
                              (works.c.possible_duplicate, self.possible_duplicate)):
            if value is not None:
                conditions.append(column == value)
        conditions.extend(works.c.search_text.contains(term, autoescape=True) for term in self.terms)
        if self.since is not None:
            conditions.append(works.c.created_at >= self.since)
        return conditions


async def list_works(conn: AsyncConnection, *, where: WorkFilter, limit: int, offset: int) -> tuple[list[dict], int]:
    """One page of works matching the filter, newest first, and how many match in all."""
    conditions = where.where()
    joined = works.join(neighbourhoods, neighbourhoods.c.code == works.c.neighbourhood_code)
    total = (await conn.execute(select(func.count()).select_from(joined).where(and_(True, *conditions)))).scalar_one()
    rows = await conn.execute(work_query().where(*conditions)
                              .order_by(works.c.created_at.desc(), works.c.id).limit(limit).offset(offset))
    return [dict(r) for r in rows.mappings()], total


async def status_counts(conn: AsyncConnection, *, where: WorkFilter) -> dict[str, int]:
    """How many works match the filter in each status, whatever status the filter asks for."""
    conditions = replace(where, status=None).where()
    joined = works.join(neighbourhoods, neighbourhoods.c.code == works.c.neighbourhood_code)
    rows = await conn.execute(select(works.c.status, func.count()).select_from(joined)
                              .where(and_(True, *conditions)).group_by(works.c.status))
    return {status: count for status, count in rows}


async def counts_by(conn: AsyncConnection, *, where: WorkFilter, by: str) -> dict[tuple[str | int, str], int]:
    """How many works match the filter per (district or edition, category), withdrawn works left out."""
    group = {"district": works.c.district, "edition": works.c.edition}[by]
    rows = await conn.execute(select(group, works.c.category, func.count()).select_from(works)
                              .where(*where.where(), works.c.status != "withdrawn")
                              .group_by(group, works.c.category))
    return {(key, category): count for key, category, count in rows}


async def stream_works(conn: AsyncConnection, *, where: WorkFilter, batch: int = 500) -> AsyncIterator[dict]:
    """Every work matching the filter, oldest first, read with a server-side cursor."""
    query = (work_query().add_columns(_document_count().label("documents")).where(*where.where())
             .order_by(works.c.created_at, works.c.id).execution_options(yield_per=batch))
    result = await conn.stream(query)
    async for row in result.mappings():
        yield dict(row)


def _document_count():
    return (select(func.count()).where(documents.c.work_id == works.c.id, documents.c.removed_at.is_(None))
            .correlate(works).scalar_subquery())
