"""Opt-out use cases: the recipient opts out with their mail's link; staff record or withdraw an opt-out a citizen
asked for by phone or in person. Essential messages go regardless (delivery/domain.py may_send)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.optouts import db
from services.notifications.optouts.domain import canonical, no_such_opt_out
from services.notifications.optouts.links import OptOutLinks
from services.notifications.permissions import PERMISSIONS, Capability
from shared.principal import Principal


async def opt_out_with_link(conn: AsyncConnection, links: OptOutLinks, token: str) -> bool:
    """Record the opt-out a genuine link proves (no sign-in: holding the mail is the proof); False when the link is
    not genuine."""
    found = links.read(token)
    if found is None:
        return False
    channel, address = found
    await db.add_opt_out(conn, channel=channel, address=address, source="link")
    return True


async def list_opt_outs(conn: AsyncConnection, principal: Principal, *, limit: int, offset: int) -> list[dict]:
    """Who opted out, newest first."""
    PERMISSIONS.require(principal, Capability.READ_OPT_OUTS)
    return await db.list_opt_outs(conn, limit=limit, offset=offset)


async def record_opt_out(conn: AsyncConnection, principal: Principal, *, channel: str, address: str) -> None:
    """Record an opt-out a citizen asked staff for."""
    PERMISSIONS.require(principal, Capability.MANAGE_OPT_OUTS)
    await db.add_opt_out(conn, channel=channel, address=canonical(channel, address), source="staff")


async def opt_back_in(conn: AsyncConnection, principal: Principal, *, channel: str, address: str) -> None:
    """Opt an address back in; refused (not found) when it had not opted out."""
    PERMISSIONS.require(principal, Capability.MANAGE_OPT_OUTS)
    if not await db.remove_opt_out(conn, channel=channel, address=canonical(channel, address)):
        raise no_such_opt_out()
