"""The staff inbox over HTTP: each signed-in person's own items only."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from services.notifications.inbox import usecases
from services.notifications.permissions import Capability
from services.notifications.web import Offset, allowed
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["inbox"])
Owner = Annotated[Principal, Depends(allowed(Capability.READ_OWN_INBOX))]


class InboxItemOut(JalaliModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(BaseModel):
    unread: int


class MarkedOut(BaseModel):
    marked: int
    unread: int


@router.get("/inbox", response_model=list[InboxItemOut])
async def my_inbox(principal: Owner, conn: Reading, unread: bool = False, limit: int = Query(50, ge=1, le=200),
                   offset: Offset = 0) -> list[InboxItemOut]:
    """The signed-in person's inbox, newest first."""
    rows = await usecases.my_inbox(conn, principal, unread_only=unread, limit=limit, offset=offset)
    return [InboxItemOut(**row) for row in rows]


@router.get("/inbox/unread-count", response_model=UnreadOut)
async def unread(principal: Owner, conn: Reading) -> UnreadOut:
    """How many of the signed-in person's items are unread."""
    return UnreadOut(unread=await usecases.unread_count(conn, principal))


@router.post("/inbox/{item_id}/read", response_model=UnreadOut)
async def read(item_id: uuid.UUID, principal: Owner, conn: Transaction) -> UnreadOut:
    """Mark one of one's own items read (another person's item is 404, never 403)."""
    return UnreadOut(unread=await usecases.mark_read(conn, principal, item_id))


@router.post("/inbox/read-all", response_model=MarkedOut)
async def read_all(principal: Owner, conn: Transaction) -> MarkedOut:
    """Mark all of one's items read."""
    return MarkedOut(marked=await usecases.mark_all_read(conn, principal), unread=0)
