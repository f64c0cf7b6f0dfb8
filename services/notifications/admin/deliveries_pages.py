"""The delivery ledger as pages: filters (channel, status, event type, Jalali dates, recipient), counts per status,
paging, one message's page, and sending a failed or dead message again, through the same use cases as the JSON
routes. A filter that cannot be read is shown at its field and left out, never a server error."""

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.notifications.admin.kit import page_number
from services.notifications.admin.names import EVENTS
from services.notifications.delivery import usecases
from services.notifications.delivery.domain import CHANNELS, RETRYABLE, STATUSES
from shared.fields import has_unstorable
from shared.persian import tehran_day_end_utc, tehran_day_start_utc
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_found
from shared.web.connection import Reading, engine_of
from shared.web.pages import Pages

PAGE_SIZE = 25
MAX_FILTER = 200
FILTERS = ("channel", "status", "event_type", "since", "until", "recipient")
DATE_PROBLEM = "تاریخ را به شکل ۱۴۰۵/۰۸/۰۶ بنویسید."


def read_filters(params: dict[str, str]) -> tuple[dict[str, str], dict[str, object], dict[str, str]]:
    """What was typed, the filters the use case takes, and a Persian message at each field that cannot be read."""
    typed = {name: str(params.get(name) or "")[:MAX_FILTER].strip() for name in FILTERS}
    errors: dict[str, str] = {}
    for name, value in typed.items():
        if has_unstorable(value, line_breaks=False):
            errors[name], typed[name] = "این بخش نویسه‌های نامعتبر دارد.", ""
    for name, allowed in (("channel", CHANNELS), ("status", STATUSES), ("event_type", tuple(EVENTS))):
        if typed[name] and typed[name] not in allowed:
            errors[name], typed[name] = "یکی از گزینه‌ها را انتخاب کنید.", ""
    filters: dict[str, object] = {name: typed[name] or None for name in ("channel", "event_type", "recipient")}
    for name, moment in (("since", tehran_day_start_utc), ("until", tehran_day_end_utc)):
        filters[name] = _day(typed[name], moment, errors, name)
    return typed, filters, errors


def _day(text: str, moment, errors: dict[str, str], name: str) -> datetime | None:
    if not text:
        return None
    try:
        return moment(text)
    except (ValueError, OverflowError):
        errors[name] = DATE_PROBLEM
        return None


def delivery_id_of(text: str) -> uuid.UUID:
    """A message's id from the address; anything else is a message that does not exist (a Persian page)."""
    try:
        return uuid.UUID(text[:100])
    except ValueError:
        raise not_found("پیام", "Delivery") from None


def routes(pages: Pages) -> APIRouter:
    """The ledger pages."""
    router = pages.router()
    Person = Annotated[Principal, Depends(pages.person)]

    @router.get("/admin/deliveries")
    async def deliveries(request: Request, principal: Person, conn: Reading) -> Response:
        """The ledger, newest first, filtered, with counts per status and pages of PAGE_SIZE."""
        typed, filters, errors = read_filters(dict(request.query_params))
        counts = await usecases.delivery_counts(conn, principal, **filters)
        status = typed["status"] or None
        total = counts[status] if status else sum(counts.values())
        last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        page = min(page_number(request.query_params.get("page")), last)
        rows = await usecases.list_deliveries(conn, principal, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                              status=status, **filters)
        query = {k: v for k, v in typed.items() if v}
        return pages.render(request, "deliveries.html", status=400 if errors else 200, rows=rows, counts=counts,
                            total=total, page=page, last=last, form=typed, errors=errors,
                            query=lambda **changes: urlencode({k: v for k, v in {**query, **changes}.items() if v}),
                            retryable=RETRYABLE, statuses=STATUSES, channels=CHANNELS)

    async def delivery_page(request: Request, conn, principal: Principal, delivery_id: uuid.UUID, *,
                            notice: str = "", problem: str = "", status: int = 200) -> HTMLResponse:
        """One message of the ledger, with a notice or the reason it cannot be sent again."""
        row = await usecases.get_delivery(conn, principal, delivery_id)
        return pages.render(request, "delivery.html", status=status, row=row, retryable=RETRYABLE, notice=notice,
                            problem=problem)

    @router.get("/admin/deliveries/{delivery_id}")
    async def delivery(request: Request, delivery_id: str, principal: Person, conn: Reading,
                       done: str = "") -> Response:
        """One message: its text, recipient, attempts and why it failed; retry when it failed."""
        notice = "پیام دوباره در صف ارسال گذاشته شد؛ نتیجهٔ تلاش تازه را همین‌جا می‌بینید." if done == "retried" else ""
        return await delivery_page(request, conn, principal, delivery_id_of(delivery_id), notice=notice)

    @router.post("/admin/deliveries/{delivery_id}/retry")
    async def retry(request: Request, delivery_id: str, principal: Person, conn: Reading) -> Response:
        """Send a failed or dead message again; its page shows what came of it (or why it cannot be sent again)."""
        await pages.require_csrf(request)
        found = delivery_id_of(delivery_id)
        try:
            async with engine_of(request).begin() as tx:
                await usecases.retry_delivery(tx, principal, found)
        except Refusal as refusal:
            if refusal.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.NOT_AUTHENTICATED):
                raise
            return await delivery_page(request, conn, principal, found, problem=refusal.fa, status=409)
        return RedirectResponse(pages.url("notifications", f"/admin/deliveries/{found}?done=retried"),
                                status_code=303)

    return router
