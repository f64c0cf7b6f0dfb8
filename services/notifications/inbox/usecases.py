"""Inbox use cases: each signed-in person reads, counts and marks read their own items (never another's)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.inbox import db
from services.notifications.permissions import PERMISSIONS, Capability
from shared.principal import Principal
from shared.refusals import not_found


def _owner(principal: Principal) -> uuid.UUID:
    """The person whose inbox this is; an account that is no person (no UUID subject) has none."""
    PERMISSIONS.require(principal, Capability.READ_OWN_INBOX)
    try:
        return uuid.UUID(principal.subject)
    except ValueError:
        raise not_found("صندوق پیام", "Inbox") from None


async def my_inbox(conn: AsyncConnection, principal: Principal, *, unread_only: bool, limit: int,
                   offset: int) -> list[dict]:
    """The person's own inbox, newest first."""
    return await db.inbox(conn, person_id=_owner(principal), unread_only=unread_only, limit=limit, offset=offset)


async def unread_count(conn: AsyncConnection, principal: Principal) -> int:
    """How many of the person's items are unread."""
    return await db.unread_count(conn, person_id=_owner(principal))


async def inbox_size(conn: AsyncConnection, principal: Principal) -> int:
    """How many items the person's inbox holds, read or not (for paging)."""
    return await db.size(conn, person_id=_owner(principal))


async def mark_read(conn: AsyncConnection, principal: Principal, item_id: uuid.UUID) -> int:
    """Mark one of one's own items read (another person's item is not found, never forbidden); returns how many
    are still unread."""
    person = _owner(principal)
    if not await db.mark_read(conn, person_id=person, item_id=item_id):
        raise not_found("پیام", "Inbox item")
    return await db.unread_count(conn, person_id=person)


async def mark_all_read(conn: AsyncConnection, principal: Principal) -> int:
    """Mark all of one's items read; returns how many were unread."""
    return await db.mark_read(conn, person_id=_owner(principal))
