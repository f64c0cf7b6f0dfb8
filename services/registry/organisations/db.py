"""Local institutions and partner organisations: keyword-only queries."""

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.organisations.domain import Organisation
from services.registry.tables import organisations

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
