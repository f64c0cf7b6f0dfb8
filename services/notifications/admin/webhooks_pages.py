"""Webhooks as pages: every endpoint with its health (state, failure streak, last success and failure, why it
fails), registering one (its secret shown once), resuming and disabling, through the same use cases as the JSON
routes. A URL the address policy refuses is refused at its field."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.notifications.admin.kit import form_fields
from services.notifications.web import Targets
from services.notifications.webhooks import usecases
from services.notifications.webhooks.api import WebhookIn
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_found
from shared.web.connection import Reading, Transaction, engine_of
from shared.web.pages import Pages, field_errors

FIELDS = ("name", "url", "patterns")
LABELS = {"name": "نام", "url": "نشانی", "patterns": "رویدادها"}
PATTERN_PROBLEM = "هر خط یک الگوی رویداد باشد، مانند نمونهٔ راهنما (حداکثر بیست خط)."
DONE = {"disabled": "ارسال به این وب‌هوک متوقف شد.",
        "resumed": "وب‌هوک دوباره فعال شد و پیام‌های جامانده دوباره فرستاده می‌شوند."}


def patterns_of(text: str) -> list[str]:
    """The patterns typed one per line (blank lines ignored)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def webhook_id_of(text: str) -> uuid.UUID:
    """An endpoint's id from the address; anything else is an endpoint that does not exist (a Persian page)."""
    try:
        return uuid.UUID(text[:100])
    except ValueError:
        raise not_found("وب‌هوک", "Webhook") from None


def routes(pages: Pages) -> APIRouter:
    """The webhook pages."""
    router = pages.router()
    Person = Annotated[Principal, Depends(pages.person)]

    async def listing(request: Request, conn, principal: Principal, *, form: dict | None = None,
                      errors: dict | None = None, created: dict | None = None, notice: str = "",
                      status: int = 200) -> HTMLResponse:
        """The webhooks with their health and the registration form."""
        hooks = await usecases.webhook_health(conn, principal)
        return pages.render(request, "webhooks.html", status=status, hooks=hooks, form=form or {},
                            errors=errors or {}, created=created, notice=notice, labels=LABELS)

    @router.get("/admin/webhooks")
    async def webhooks(request: Request, principal: Person, conn: Reading, done: str = "") -> Response:
        """Every endpoint with its health, and the form to register one."""
        return await listing(request, conn, principal, notice=DONE.get(done, ""))

    @router.post("/admin/webhooks")
    async def register(request: Request, principal: Person, conn: Reading, targets: Targets) -> Response:
        """Register an endpoint; the list again with its secret shown this once, or the form with the refusal."""
        await pages.require_csrf(request)
        form = await form_fields(request, *FIELDS)
        try:
            body = WebhookIn(name=form["name"].strip(), url=form["url"].strip(), patterns=patterns_of(form["patterns"]))
            async with engine_of(request).begin() as tx:
                created = await usecases.register_webhook(tx, principal, name=body.name, url=body.url,
                                                          patterns=body.patterns, secret=None, targets=targets)
        except ValidationError as error:
            errors = {name.split(".")[0]: message for name, message in field_errors(error).items()}
            if "patterns" in errors:
                errors["patterns"] = PATTERN_PROBLEM
            return await listing(request, conn, principal, form=form, errors=errors, status=400)
        except Refusal as refusal:
            if refusal.kind in (Kind.FORBIDDEN, Kind.NOT_AUTHENTICATED):
                raise
            return await listing(request, conn, principal, form=form, errors={"url": refusal.fa},
                                 status=422)
        return await listing(request, conn, principal, created=created, status=201)

    @router.post("/admin/webhooks/{webhook_id}/disable")
    async def disable(request: Request, webhook_id: str, principal: Person, conn: Transaction) -> Response:
        """Stop sending to an endpoint."""
        await pages.require_csrf(request)
        found = webhook_id_of(webhook_id)
        await usecases.disable_webhook(conn, principal, found)
        return RedirectResponse(pages.url("notifications", f"/admin/webhooks?done=disabled#webhook-{found}"),
                                status_code=303)

    @router.post("/admin/webhooks/{webhook_id}/resume")
    async def resume(request: Request, webhook_id: str, principal: Person, conn: Transaction) -> Response:
        """Try a failing or disabled endpoint again, and resend what it missed."""
        await pages.require_csrf(request)
        found = webhook_id_of(webhook_id)
        await usecases.resume_webhook(conn, principal, found)
        return RedirectResponse(pages.url("notifications", f"/admin/webhooks?done=resumed#webhook-{found}"),
                                status_code=303)

    return router
