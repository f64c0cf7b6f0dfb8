"""Queries of opt-outs (who wants no non-essential messages), and the link secret kept in the database."""

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import opt_outs, service_secrets


async def add_opt_out(conn: AsyncConnection, *, channel: str, address: str, source: str) -> None:
    """Record that an address wants no non-essential messages on a channel."""
    await conn.execute(insert(opt_outs).values(channel=channel, address=address, source=source)
                       .on_conflict_do_nothing())


async def remove_opt_out(conn: AsyncConnection, *, channel: str, address: str) -> bool:
    """Opt back in; False when the address had not opted out."""
    result = await conn.execute(delete(opt_outs).where(opt_outs.c.channel == channel, opt_outs.c.address == address))
    return result.rowcount > 0


async def list_opt_outs(conn: AsyncConnection, *, limit: int, offset: int) -> list[dict]:
    """Opt-outs, newest first."""
    query = select(opt_outs).order_by(opt_outs.c.created_at.desc()).limit(limit).offset(offset)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def opted_out_among(conn: AsyncConnection, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (channel, address) pairs asked for no non-essential messages."""
    if not pairs:
        return set()
    query = select(opt_outs.c.channel, opt_outs.c.address).where(
        tuple_(opt_outs.c.channel, opt_outs.c.address).in_(pairs))
    return {tuple(row) for row in await conn.execute(query)}


async def opted_out(conn: AsyncConnection, *, channel: str, address: str) -> bool:
    """True when the address asked for no non-essential messages on the channel."""
    found = await conn.execute(select(opt_outs.c.address).where(
        opt_outs.c.channel == channel, opt_outs.c.address == address))
    return found.first() is not None


async def secret(conn: AsyncConnection, *, name: str, candidate: str) -> str:
    """The named secret; `candidate` becomes it when none is kept yet (whichever replica asks first wins)."""
    await conn.execute(insert(service_secrets).values(name=name, value=candidate).on_conflict_do_nothing())
    return (await conn.execute(select(service_secrets.c.value).where(service_secrets.c.name == name))).scalar_one()
