"""Local institutions and partner organisations."""

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, Table, Text, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.db import metadata
from services.registry.domain_organisations import Organisation

STRUCTURE, STAFF = "structure", "staff"

organisations = Table(
    "organisations", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("legal_entity_id", Text, unique=True),
    Column("district", Integer),
    Column("neighbourhood_code", Text, ForeignKey("neighbourhoods.code")),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("managed_by", Text, nullable=False, server_default=STRUCTURE),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
FIELDS = ("code", "kind", "name_fa", "legal_entity_id", "district", "neighbourhood_code", "active")


async def load(conn: AsyncConnection, *, managed_by: str | None = None) -> dict[str, Organisation]:
    """Stored organisations by code (only those the structure file or staff manage, when asked)."""
    statement = select(organisations)
    if managed_by:
        statement = statement.where(organisations.c.managed_by == managed_by)
    return {r["code"]: Organisation(**{k: r[k] for k in FIELDS}) for r in (await conn.execute(statement)).mappings()}


async def upsert(conn: AsyncConnection, *, organisation: Organisation, managed_by: str) -> None:
    """Store the organisation as described."""
    values = {**organisation.__dict__, "managed_by": managed_by}
    await conn.execute(insert(organisations).values(**values).on_conflict_do_update(
        index_elements=["code"], set_={**values, "updated_at": func.now()}))


async def legal_id_owner(conn: AsyncConnection, *, legal_entity_id: str) -> str | None:
    """Code of the organisation already registered with this legal-entity ID."""
    return (await conn.execute(select(organisations.c.code)
                               .where(organisations.c.legal_entity_id == legal_entity_id))).scalar()


async def listing(conn: AsyncConnection, *, district: int | None, kind: str | None) -> list[dict]:
    """Active organisations, optionally of a district and a kind."""
    statement = select(organisations).where(organisations.c.active).order_by(organisations.c.code)
    if district is not None:
        statement = statement.where(organisations.c.district == district)
    if kind:
        statement = statement.where(organisations.c.kind == kind)
    return [dict(r) for r in (await conn.execute(statement)).mappings()]
