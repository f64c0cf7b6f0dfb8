"""Opt-outs over HTTP: the page a mail's opt-out link opens (no sign-in), and staff recording an opt-out a citizen
asked for by phone or in person."""

import html
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from services.notifications.optouts import usecases
from services.notifications.optouts.links import OptOutLinks
from services.notifications.permissions import Capability
from services.notifications.web import Offset, allowed
from shared.fields import Line
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["opt-out"])
Reader = Annotated[Principal, Depends(allowed(Capability.READ_OPT_OUTS))]
Manager = Annotated[Principal, Depends(allowed(Capability.MANAGE_OPT_OUTS))]
PAGE = ('<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>جشنواره حامی</title></head>'
        '<body dir="rtl" style="font-family:Vazirmatn,Tahoma,sans-serif;text-align:right">{}</body></html>')
NOT_GENUINE = PAGE.format("<p>این پیوند معتبر نیست.</p>")


def _links(request: Request) -> OptOutLinks:
    """The opt-out links the composition root built (main.py)."""
    return request.app.state.opt_out_links


Links = Annotated[OptOutLinks, Depends(_links)]
# An address as people have one (RFC 5321 caps a mail address at 254 characters); one line, no control characters.
Address = Annotated[Line, Path(min_length=1, max_length=254)]


class OptOutOut(JalaliModel):
    channel: str
    address: str
    source: str
    created_at: datetime


@router.get("/opt-out", response_class=HTMLResponse)
async def opt_out_page(token: str, links: Links) -> HTMLResponse:
    """The page an opt-out link opens: it asks to confirm (mail scanners follow links; GET changes nothing)."""
    if links.read(token) is None:
        return HTMLResponse(NOT_GENUINE, status_code=404)
    form = (f'<form method="post" action="/opt-out?token={html.escape(token, quote=True)}">'
            "<p>دیگر پیام‌های غیرضروری جشنواره حامی را دریافت نکنم.</p>"
            "<p>(کد رهگیری و نتایج همچنان فرستاده می‌شود.)</p><button>تأیید</button></form>")
    return HTMLResponse(PAGE.format(form))


@router.post("/opt-out", response_class=HTMLResponse)
async def opt_out(token: str, links: Links, conn: Transaction) -> HTMLResponse:
    """Opt out with a mail's link (also RFC 8058 one-click); essential messages still go."""
    if not await usecases.opt_out_with_link(conn, links, token):
        return HTMLResponse(NOT_GENUINE, status_code=404)
    return HTMLResponse(PAGE.format("<p>ثبت شد: دیگر پیام غیرضروری برای شما فرستاده نمی‌شود.</p>"))


@router.get("/opt-outs", response_model=list[OptOutOut])
async def list_opt_outs(principal: Reader, conn: Reading, limit: int = Query(100, ge=1, le=1000),
                        offset: Offset = 0) -> list[OptOutOut]:
    """Who opted out (city-wide staff)."""
    return [OptOutOut(**row) for row in await usecases.list_opt_outs(conn, principal, limit=limit, offset=offset)]


@router.put("/opt-outs/{channel}/{address}", status_code=204)
async def staff_opt_out(channel: Literal["email", "sms"], address: Address, principal: Manager,
                        conn: Transaction) -> None:
    """Record an opt-out a citizen asked for by phone or in person."""
    await usecases.record_opt_out(conn, principal, channel=channel, address=address)


@router.delete("/opt-outs/{channel}/{address}", status_code=204)
async def opt_back_in(channel: Literal["email", "sms"], address: Address, principal: Manager,
                      conn: Transaction) -> None:
    """Opt an address back in."""
    await usecases.opt_back_in(conn, principal, channel=channel, address=address)
