"""The staff inbox as pages: the inbox itself (newest first, paged, mark read one by one or all), the unread
count the shared navigation loads, and the card on registry's "my desk". Every read and change goes through the
inbox use cases, which keep each person to their own items."""

import uuid
from collections.abc import Awaitable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.inbox import usecases
from shared.persian import to_ascii_digits
from shared.principal import Principal
from shared.refusals import Refusal, not_found
from shared.web.connection import Reading, Transaction
from shared.web.pages import Pages

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 20
DESK_ITEMS = 3
# What happened, in a few words, by the event an item is about.
KINDS = {
    "registry.decision.relayed": "مصوبهٔ ابلاغ‌شده",
    "registry.decision.overdue": "یادآوری مهلت مصوبه",
    "registry.decision.issued": "مصوبهٔ تازه",
    "registry.decision.committee_overdue": "یادآوری مهلت مصوبه",
    "registry.report.filed": "گزارش عملکرد",
    "evaluation.awards.proposed": "پیشنهاد جوایز",
    "registry.member.appointed": "انتصاب",
    "evaluation.round.opened": "آغاز دور ارزیابی",
    "evaluation.assignment.made": "اثر برای ارزیابی",
}
# The page an item concerns, by its event: (service, path, link text), for items that carry no link of their own
# (a relayed decision waits to be acknowledged among the district's decisions).
LINKS = {
    "registry.decision.relayed": ("registry", "/district/decisions", "دیدن مصوبه‌های منطقه"),
    "registry.decision.overdue": ("registry", "/district/decisions", "دیدن مصوبه‌های منطقه"),
    "registry.member.appointed": ("registry", "/desk", "رفتن به میز کار"),
}

# The words of the link an item carries itself (inbox/links.py, kept since revision 0005), by its event.
OWN_LINK_TEXTS = {
    "registry.decision.issued": "دیدن مصوبه",
    "registry.decision.committee_overdue": "دیدن مصوبه و اعلام وصول",
    "registry.decision.overdue": "دیدن وضعیت مصوبه",
    "evaluation.awards.proposed": "دیدن پیشنهادهای هیئت داوران",
}


MAX_PAGE_DIGITS = 9  # a page past the last one shows the last; more digits than this is no page anyone asks for


def page_number(raw: str | None) -> int:
    """The page asked for (Persian or ASCII digits); the first page for anything else (a number of thousands of
    digits too: int() would refuse to read it)."""
    text = to_ascii_digits((raw or "")[:100]).strip()
    return max(int(text), 1) if text.isascii() and text.isdigit() and len(text) <= MAX_PAGE_DIGITS else 1


def view(item: dict) -> dict:
    """An inbox item as the page shows it: what happened, its paragraphs and the page it concerns."""
    service, path, text = LINKS.get(item["event_type"], (None, None, None))
    if item.get("link_service") and item.get("link_path"):
        service, path = item["link_service"], item["link_path"]
        text = OWN_LINK_TEXTS.get(item["event_type"], "دیدن صفحهٔ مربوط")
    paragraphs = [p.strip() for p in item["body"].split("\n\n") if p.strip()]
    return {**item, "kind": KINDS.get(item["event_type"], "پیام"), "paragraphs": paragraphs,
            "link": (service, path, text) if service else None}


def build_router(pages: Pages) -> APIRouter:
    """The inbox pages, rendered with this service's Pages (built in main.py from the settings)."""
    router = pages.router()
    Person = Annotated[Principal, Depends(pages.person)]

    async def listing(conn: AsyncConnection, principal: Principal, page: int) -> dict:
        total = await usecases.inbox_size(conn, principal)
        last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        page = min(page, last)
        items = await usecases.my_inbox(conn, principal, unread_only=False, limit=PAGE_SIZE,
                                        offset=(page - 1) * PAGE_SIZE)
        return {"items": [view(i) for i in items], "total": total, "page": page, "last": last,
                "unread": await usecases.unread_count(conn, principal)}

    def back_to(page: int, anchor: str = "") -> RedirectResponse:
        query = f"?page={page}" if page > 1 else ""
        return RedirectResponse(pages.url("notifications", f"/staff/inbox{query}{anchor}"), status_code=303)

    @router.get("/staff/inbox")
    async def inbox(request: Request, principal: Person, conn: Reading, page: str | None = None) -> Response:
        """The signed-in person's inbox, newest first."""
        return pages.render(request, "inbox.html", **await listing(conn, principal, page_number(page)))

    @router.post("/staff/inbox/{item_id}/read")
    async def read(request: Request, item_id: str, principal: Person, conn: Transaction) -> Response:
        """Mark one of one's own items read: the list again for htmx (with the navigation's count), else back."""
        await pages.require_csrf(request)
        item = _item(item_id)
        await usecases.mark_read(conn, principal, item)
        page = page_number(str((await request.form()).get("page", "")))
        if request.headers.get("hx-request") != "true":
            return back_to(page, f"#item-{item}")
        listed = await listing(conn, principal, page)
        return pages.render(request, "inbox_update.html", notice="پیام خوانده‌شده علامت خورد.", **listed)

    @router.post("/staff/inbox/read-all")
    async def read_all(request: Request, principal: Person, conn: Transaction) -> Response:
        """Mark all of one's items read, then the inbox again."""
        await pages.require_csrf(request)
        await usecases.mark_all_read(conn, principal)
        return back_to(1)

    @router.get("/staff/inbox/count")
    async def count(request: Request, conn: Reading) -> Response:
        """The navigation's unread badge: a fragment, empty when nothing is unread or nobody is signed in."""
        principal = await pages.principal(request)
        unread = await _quietly(usecases.unread_count(conn, principal)) if principal else 0
        return _fragment(pages.env.get_template("count.html").render(unread=unread or 0))

    @router.get("/desk/card")
    async def desk_card(request: Request, conn: Reading) -> Response:
        """The card on registry's "my desk": how many are unread and the newest unread ones."""
        principal = await pages.principal(request)
        unread, items = 0, []
        if principal is not None:
            unread = await _quietly(usecases.unread_count(conn, principal)) or 0
            if unread:
                items = await usecases.my_inbox(conn, principal, unread_only=True, limit=DESK_ITEMS, offset=0)
        return _fragment(pages.env.get_template("desk_card.html").render(
            signed_in=principal is not None, unread=unread, items=items, url=pages.url))

    return router


def _item(text: str) -> uuid.UUID:
    """An item's id from the address; anything else is an item that does not exist (a Persian page, not JSON)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise not_found("پیام", "Inbox item") from None


async def _quietly(awaitable: Awaitable[int]) -> int | None:
    """A count for a fragment; an account that has no inbox (refused) simply has nothing to show."""
    try:
        return await awaitable
    except Refusal:
        return None


def _fragment(html: str) -> HTMLResponse:
    """A piece of a page another page loads; never cached (it changes as items are read)."""
    return HTMLResponse(html, headers={"Cache-Control": "no-store", "Vary": "Cookie"})
