"""The staff inbox (own items only) and opt-outs (by the recipient's link, or by staff on request)."""

import html
import uuid
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications import db_admin
from services.notifications.api import city_wide_staff
from services.notifications.domain import SMS, normalize_address
from services.notifications.links import OptOutLinks
from shared.auth import signed_in
from shared.persian import canonical_mobile
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_found

PAGE = ('<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>جشنواره حامی</title></head>'
        '<body dir="rtl" style="font-family:Vazirmatn,Tahoma,sans-serif;text-align:right">{}</body></html>')


class InboxItemOut(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class OptOutOut(BaseModel):
    channel: str
    address: str
    source: str
    created_at: datetime


def _person(principal: Principal) -> uuid.UUID:
    try:
        return uuid.UUID(principal.subject)
    except ValueError:
        raise not_found("صندوق پیام", "Inbox") from None


def _canonical(channel: str, address: str) -> str:
    if channel == SMS:
        try:
            return canonical_mobile(address)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                          "The mobile number is not valid.") \
                from None
    return normalize_address(channel, address)


def build_inbox_router(engine: AsyncEngine, *, links: OptOutLinks) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter()

    @router.get("/inbox", response_model=list[InboxItemOut], tags=["inbox"])
    async def my_inbox(principal: Principal = Depends(signed_in), unread: bool = False,
                       limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)) -> list[InboxItemOut]:
        """The signed-in person's inbox, newest first."""
        async with engine.connect() as conn:
            rows = await db_admin.inbox(conn, person_id=_person(principal), unread_only=unread, limit=limit,
                                        offset=offset)
        return [InboxItemOut(**row) for row in rows]

    @router.get("/inbox/unread-count", tags=["inbox"])
    async def unread(principal: Principal = Depends(signed_in)) -> dict[str, int]:
        """How many of the signed-in person's items are unread."""
        async with engine.connect() as conn:
            return {"unread": await db_admin.unread_count(conn, person_id=_person(principal))}

    @router.post("/inbox/{item_id}/read", tags=["inbox"])
    async def read(item_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> dict[str, int]:
        """Mark one of one's own items read (another person's item is 404, never 403)."""
        async with engine.begin() as conn:
            if not await db_admin.mark_read(conn, person_id=_person(principal), item_id=item_id):
                raise not_found("پیام", "Inbox item")
            return {"unread": await db_admin.unread_count(conn, person_id=_person(principal))}

    @router.post("/inbox/read-all", tags=["inbox"])
    async def read_all(principal: Principal = Depends(signed_in)) -> dict[str, int]:
        """Mark all of one's items read."""
        async with engine.begin() as conn:
            marked = await db_admin.mark_read(conn, person_id=_person(principal))
        return {"marked": marked, "unread": 0}

    @router.get("/opt-out", response_class=HTMLResponse, tags=["opt-out"])
    async def opt_out_page(token: str) -> HTMLResponse:
        """The page an opt-out link opens: it asks to confirm (mail scanners follow links; GET changes nothing)."""
        if links.read(token) is None:
            return HTMLResponse(PAGE.format("<p>این پیوند معتبر نیست.</p>"), status_code=404)
        form = (f'<form method="post" action="/opt-out?token={html.escape(token, quote=True)}">'
                "<p>دیگر پیام‌های غیرضروری جشنواره حامی را دریافت نکنم.</p>"
                "<p>(کد رهگیری و نتایج همچنان فرستاده می‌شود.)</p><button>تأیید</button></form>")
        return HTMLResponse(PAGE.format(form))

    @router.post("/opt-out", response_class=HTMLResponse, tags=["opt-out"])
    async def opt_out(token: str) -> HTMLResponse:
        """Opt out with a mail's link (also RFC 8058 one-click); essential messages still go."""
        found = links.read(token)
        if found is None:
            return HTMLResponse(PAGE.format("<p>این پیوند معتبر نیست.</p>"), status_code=404)
        channel, address = found
        async with engine.begin() as conn:
            await db_admin.add_opt_out(conn, channel=channel, address=address, source="link")
        return HTMLResponse(PAGE.format("<p>ثبت شد: دیگر پیام غیرضروری برای شما فرستاده نمی‌شود.</p>"))

    @router.get("/opt-outs", response_model=list[OptOutOut], tags=["opt-out"])
    async def list_opt_outs(_: Principal = Depends(city_wide_staff), limit: int = Query(100, ge=1, le=1000),
                            offset: int = Query(0, ge=0)) -> list[OptOutOut]:
        """Who opted out (city-wide staff)."""
        async with engine.connect() as conn:
            return [OptOutOut(**row) for row in await db_admin.list_opt_outs(conn, limit=limit, offset=offset)]

    @router.put("/opt-outs/{channel}/{address}", status_code=204, tags=["opt-out"])
    async def staff_opt_out(channel: Literal["email", "sms"], address: str,
                            _: Principal = Depends(city_wide_staff)) -> None:
        """Record an opt-out a citizen asked for by phone or in person."""
        async with engine.begin() as conn:
            await db_admin.add_opt_out(conn, channel=channel, address=_canonical(channel, address), source="staff")

    @router.delete("/opt-outs/{channel}/{address}", status_code=204, tags=["opt-out"])
    async def opt_back_in(channel: Literal["email", "sms"], address: str,
                          _: Principal = Depends(city_wide_staff)) -> None:
        """Opt an address back in."""
        async with engine.begin() as conn:
            if not await db_admin.remove_opt_out(conn, channel=channel, address=_canonical(channel, address)):
                raise not_found("انصراف", "Opt-out")

    return router
