"""Submissions tables, and the keyword-only queries of neighbourhoods, editions and calls
(works, their history and documents are queried in db_works.py)."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Projection of registry's neighbourhood events.
neighbourhoods = Table(
    "neighbourhoods", metadata,
    Column("code", Text, primary_key=True),
    Column("district", Integer, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    UniqueConstraint("district", "name_fa"),
)

# Projection of registry's organisation events: who may submit as a registered organisation.
organisations = Table(
    "organisations", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("legal_entity_id", Text, index=True),
    Column("district", Integer),
    Column("active", Boolean, nullable=False),
)

editions = Table(
    "editions", metadata,
    Column("code", Text, primary_key=True),  # a Jalali year, e.g. 1405
    Column("title_fa", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One call per edition: its categories, questions and dates (UTC), and its state.
calls = Table(
    "calls", metadata,
    Column("edition", Text, ForeignKey("editions.code"), primary_key=True),
    Column("categories", JSONB, nullable=False),
    Column("questions", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("opens_at", DateTime(timezone=True)),
    Column("closes_at", DateTime(timezone=True)),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("decision_id", UUID(as_uuid=True)),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Neighbourhoods where the edition has a festival office.
call_offices = Table(
    "call_offices", metadata,
    Column("edition", Text, ForeignKey("calls.edition"), nullable=False),
    Column("neighbourhood_code", Text, nullable=False),
    PrimaryKeyConstraint("edition", "neighbourhood_code"),
)

works = Table(
    "works", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tracking_code", Text, nullable=False, unique=True),
    Column("district", Integer, nullable=False, index=True),
    Column("neighbourhood_code", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("submitter_name", Text, nullable=False),
    Column("submitter_national_id", Text, nullable=False),
    Column("submitter_mobile", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("edition", Text, ForeignKey("editions.code")),
    Column("submitter_kind", Text, nullable=False, server_default="citizen"),
    Column("organisation_name", Text),
    Column("organisation_legal_id", Text),
    Column("organisation_code", Text),
    Column("office_code", Text),
    Column("team", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("beneficiaries", Integer, nullable=False, server_default=text("0")),
    Column("answers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("title_key", Text, nullable=False, server_default=""),
    Column("search_text", Text, nullable=False, server_default=""),
    Column("possible_duplicate", Boolean, nullable=False, server_default=text("false")),
    Column("duplicate_of", UUID(as_uuid=True)),
    Column("status_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", Text),
    Column("updated_at", DateTime(timezone=True)),
    Index("works_duplicates", "edition", "title_key"),
    Index("works_listing", "edition", "district", "category"),
)

status_history = Table(
    "status_history", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("work_id", UUID(as_uuid=True), ForeignKey("works.id"), nullable=False),
    Column("status", Text, nullable=False),
    Column("previous_status", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("status_history_work", "work_id", "id"),
)

# Attachments, stored with the work; removal hides a document but keeps it (the festival keeps every record).
documents = Table(
    "documents", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("work_id", UUID(as_uuid=True), ForeignKey("works.id"), nullable=False, index=True),
    Column("filename", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", Text, nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("removed_by", Text),
    Column("removed_at", DateTime(timezone=True)),
)


# --- neighbourhoods -----------------------------------------------------------------------------


async def upsert_neighbourhood(conn: AsyncConnection, *, code: str, district: int, name_fa: str, active: bool) -> None:
    """Store the neighbourhood as registry last described it."""
    values = {"code": code, "district": district, "name_fa": name_fa, "active": active}
    await conn.execute(insert(neighbourhoods).values(**values)
                       .on_conflict_do_update(index_elements=["code"], set_=values))


async def find_neighbourhood(conn: AsyncConnection, *, district: int, name_fa: str) -> dict | None:
    """An active neighbourhood of the district by its (normalised) name."""
    row = (await conn.execute(select(neighbourhoods).where(
        neighbourhoods.c.district == district, neighbourhoods.c.name_fa == name_fa, neighbourhoods.c.active,
    ))).mappings().first()
    return dict(row) if row else None


async def upsert_organisation(conn: AsyncConnection, *, values: dict) -> None:
    """Store the organisation as registry last described it."""
    await conn.execute(insert(organisations).values(**values)
                       .on_conflict_do_update(index_elements=["code"], set_=values))


async def find_organisation(conn: AsyncConnection, *, code: str | None, legal_entity_id: str | None) -> dict | None:
    """An active registered organisation by its registry code and/or legal-entity ID (both must match)."""
    conditions = [organisations.c.active]
    if code is not None:
        conditions.append(organisations.c.code == code)
    if legal_entity_id is not None:
        conditions.append(organisations.c.legal_entity_id == legal_entity_id)
    row = (await conn.execute(select(organisations).where(*conditions).limit(2))).mappings().all()
    return dict(row[0]) if len(row) == 1 else None


# --- editions and calls -------------------------------------------------------------------------


async def insert_edition(conn: AsyncConnection, *, code: str, title_fa: str, created_by: str) -> bool:
    """Add an edition; False when it already exists."""
    result = await conn.execute(insert(editions).values(code=code, title_fa=title_fa, created_by=created_by)
                                .on_conflict_do_nothing().returning(editions.c.code))
    return result.first() is not None


async def list_editions(conn: AsyncConnection) -> list[dict]:
    """Every edition with its call's state, newest first."""
    rows = await conn.execute(
        select(editions, calls.c.state, calls.c.opens_at, calls.c.closes_at)
        .select_from(editions.outerjoin(calls, calls.c.edition == editions.c.code))
        .order_by(editions.c.code.desc()))
    return [dict(r) for r in rows.mappings()]


async def get_edition(conn: AsyncConnection, *, code: str) -> dict | None:
    """One edition."""
    row = (await conn.execute(select(editions).where(editions.c.code == code))).mappings().first()
    return dict(row) if row else None


async def get_call(conn: AsyncConnection, *, edition: str, for_update: bool = False) -> dict | None:
    """The call of an edition (locked for the transaction when for_update)."""
    query = select(calls).where(calls.c.edition == edition)
    if for_update:
        query = query.with_for_update()
    row = (await conn.execute(query)).mappings().first()
    return dict(row) if row else None


async def calls_past_deadline(conn: AsyncConnection, *, now: datetime) -> list[str]:
    """Editions whose call is still open after its closing instant, locked (other replicas skip them)."""
    rows = await conn.execute(select(calls.c.edition).where(calls.c.state == "open", calls.c.closes_at <= now)
                              .order_by(calls.c.edition).with_for_update(skip_locked=True))
    return [row[0] for row in rows]


async def save_call(conn: AsyncConnection, *, edition: str, values: dict) -> dict:
    """Create or update the call of an edition; returns the row."""
    row = (await conn.execute(
        insert(calls).values(edition=edition, **values)
        .on_conflict_do_update(index_elements=["edition"], set_={**values, "updated_at": func.now()})
        .returning(*calls.c))).mappings().one()
    return dict(row)


async def update_call(conn: AsyncConnection, *, edition: str, values: dict) -> dict:
    """Change an existing call; returns the row."""
    row = (await conn.execute(
        calls.update().where(calls.c.edition == edition).values(**values, updated_at=func.now())
        .returning(*calls.c))).mappings().one()
    return dict(row)


async def call_offices_of(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """The festival offices of an edition, with their neighbourhoods' names and districts."""
    rows = await conn.execute(
        select(neighbourhoods.c.code, neighbourhoods.c.district, neighbourhoods.c.name_fa)
        .join(call_offices, call_offices.c.neighbourhood_code == neighbourhoods.c.code)
        .where(call_offices.c.edition == edition)
        .order_by(neighbourhoods.c.district, neighbourhoods.c.name_fa))
    return [dict(r) for r in rows.mappings()]


async def replace_call_offices(conn: AsyncConnection, *, edition: str, codes: list[str]) -> None:
    """Set the festival offices of an edition to exactly these neighbourhoods."""
    await conn.execute(call_offices.delete().where(call_offices.c.edition == edition))
    if codes:
        await conn.execute(call_offices.insert(), [{"edition": edition, "neighbourhood_code": c} for c in codes])


async def is_office(conn: AsyncConnection, *, edition: str, neighbourhood_code: str) -> bool:
    """True when the neighbourhood has a festival office in the edition."""
    return (await conn.execute(select(func.count()).select_from(call_offices).where(
        call_offices.c.edition == edition, call_offices.c.neighbourhood_code == neighbourhood_code,
    ))).scalar_one() > 0


async def call_categories(conn: AsyncConnection) -> dict[str, dict[str, str]]:
    """Each edition's category names, for labels."""
    return {row[0]: row[1] for row in await conn.execute(select(calls.c.edition, calls.c.categories))}


async def categories_in_use(conn: AsyncConnection, *, edition: str) -> set[str]:
    """Categories that works of the edition already use."""
    rows = await conn.execute(select(works.c.category).where(works.c.edition == edition).distinct())
    return {r[0] for r in rows}
