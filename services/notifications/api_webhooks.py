"""Outgoing webhooks over HTTP: register with event patterns, list, resume a failing endpoint, disable."""

import secrets
import uuid
from datetime import datetime
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications import db, db_admin, db_ledger
from services.notifications.api import city_wide_staff
from services.notifications.domain_delivery import valid_pattern
from shared.contracts.notifications import WebhookResumed
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.principal import Principal
from shared.refusals import not_found


class WebhookIn(StrictModel):
    name: str = Field(min_length=2, max_length=200)
    url: str = Field(max_length=2000)
    patterns: list[str] = Field(min_length=1, max_length=20, description="topic patterns of public events, "
                                "e.g. 'evaluation.results.#' or 'submissions.work.received.d07'")
    secret: str | None = Field(default=None, min_length=32, max_length=200,
                               description="shared signing secret; generated (and shown once) when omitted")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) URL is required")
        return url

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if not valid_pattern(pattern):
                raise ValueError(f"not a topic pattern: {pattern!r}")
        return patterns


class WebhookOut(BaseModel):
    id: uuid.UUID
    name: str
    url: str
    patterns: list[str]
    status: str
    consecutive_failures: int
    last_error: str | None
    failing_since: datetime | None
    created_by: str
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="shown only now: sign checks use it")


def build_webhooks_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine (festival secretary and central secretariat only)."""
    router = APIRouter(tags=["webhooks"])

    @router.post("/webhooks", status_code=201, response_model=WebhookCreated)
    async def register(body: WebhookIn, principal: Principal = Depends(city_wide_staff)) -> WebhookCreated:
        """Register an endpoint for public events; each delivery is signed with HMAC-SHA256 (see X-Hami-Signature)."""
        secret = body.secret or secrets.token_urlsafe(32)
        async with engine.begin() as conn:
            row = await db_admin.create_webhook(conn, name=body.name, url=body.url, secret=secret,
                                                patterns=body.patterns, by=principal.username or principal.subject)
        return WebhookCreated(**row, secret=secret)

    @router.get("/webhooks", response_model=list[WebhookOut])
    async def list_webhooks(_: Principal = Depends(city_wide_staff)) -> list[WebhookOut]:
        """Registered endpoints and their health (secrets are never shown again)."""
        async with engine.connect() as conn:
            return [WebhookOut(**row) for row in await db_admin.list_webhooks(conn)]

    @router.get("/webhooks/{webhook_id}", response_model=WebhookOut)
    async def get_webhook(webhook_id: uuid.UUID, _: Principal = Depends(city_wide_staff)) -> WebhookOut:
        """One endpoint, with why it is failing if it is."""
        async with engine.connect() as conn:
            row = await db_admin.get_webhook(conn, webhook_id=webhook_id)
        if row is None:
            raise not_found("وب‌هوک", "Webhook")
        return WebhookOut(**row)

    @router.post("/webhooks/{webhook_id}/resume", response_model=WebhookOut)
    async def resume(webhook_id: uuid.UUID, _: Principal = Depends(city_wide_staff)) -> WebhookOut:
        """Try a failing (or disabled) endpoint again, and resend what it missed while it was failing."""
        async with engine.begin() as conn:
            row = await db_admin.set_webhook_status(conn, webhook_id=webhook_id, status=db_admin.ACTIVE)
            if row is None:
                raise not_found("وب‌هوک", "Webhook")
            requeued = await db_ledger.requeue(conn, webhook_id=webhook_id)
            await add_events(conn, db.outbox, [WebhookResumed(webhook_id=webhook_id, name=row["name"],
                                                              deliveries_requeued=requeued)])
        return WebhookOut(**row)

    @router.delete("/webhooks/{webhook_id}", response_model=WebhookOut)
    async def disable(webhook_id: uuid.UUID, _: Principal = Depends(city_wide_staff)) -> WebhookOut:
        """Stop sending to an endpoint (its history stays in the ledger)."""
        async with engine.begin() as conn:
            row = await db_admin.set_webhook_status(conn, webhook_id=webhook_id, status=db_admin.DISABLED)
            if row is None:
                raise not_found("وب‌هوک", "Webhook")
            await db_ledger.kill_webhook_backlog(conn, webhook_id=webhook_id, reason="endpoint disabled by staff")
        return WebhookOut(**row)

    return router
