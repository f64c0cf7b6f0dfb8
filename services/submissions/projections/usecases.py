"""Mirroring registry: a neighbourhood or an organisation as registry last described it (works and calls name
them; an organisation must be registered and active to submit)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.projections import db


async def record_neighbourhood(conn: AsyncConnection, *, code: str, district: int, name_fa: str,
                               active: bool) -> None:
    """A neighbourhood was added, removed or restored: mirror its state."""
    await db.upsert_neighbourhood(conn, code=code, district=district, name_fa=name_fa, active=active)


async def record_organisation(conn: AsyncConnection, *, code: str, kind: str, name_fa: str,
                              legal_entity_id: str | None, district: int | None, active: bool) -> None:
    """An organisation was registered, changed or deactivated: mirror it (works name it by its code)."""
    await db.upsert_organisation(conn, values={
        "code": code, "kind": kind, "name_fa": name_fa, "legal_entity_id": legal_entity_id, "district": district,
        "active": active})


async def neighbourhoods_of(conn: AsyncConnection, district: int) -> list[dict]:
    """The district's active neighbourhoods as registry last described them (a work names one of them)."""
    return await db.neighbourhoods_of(conn, district=district)


async def organisations_of(conn: AsyncConnection, district: int) -> list[dict]:
    """The registered, active organisations that may submit in the district."""
    return await db.organisations_of(conn, district=district)
