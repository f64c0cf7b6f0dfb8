"""Outgoing webhooks over HTTP (city-wide staff): register with event patterns, list, resume a failing endpoint,
disable."""

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends
from pydantic import Field, field_validator

from services.notifications.permissions import Capability
from services.notifications.web import Targets, allowed
from services.notifications.webhooks import usecases
from services.notifications.webhooks.domain import valid_pattern
from shared.fields import Line
from shared.models import StrictModel
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["webhooks"])
Reader = Annotated[Principal, Depends(allowed(Capability.READ_WEBHOOKS))]
Manager = Annotated[Principal, Depends(allowed(Capability.MANAGE_WEBHOOKS))]


class WebhookIn(StrictModel):
    name: Line = Field(min_length=2, max_length=200)
    url: Line = Field(max_length=2000, description="a public http(s) URL (https in production); checked after "
                      "DNS: no loopback, private, link-local, metadata or numeric-host addresses")
    patterns: list[str] = Field(min_length=1, max_length=20, description="topic patterns of public events, "
                                "e.g. 'evaluation.results.#' or 'submissions.work.received.d07'")
    secret: Line | None = Field(default=None, min_length=32, max_length=200,
                                description="shared signing secret; generated (and shown once) when omitted")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        try:
            parts = urlsplit(url)
            port = parts.port  # a port past 65535 raises here
        except ValueError:
            raise ValueError("an http(s) URL is required") from None
        if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
            raise ValueError("an http(s) URL is required")
        return url

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if not valid_pattern(pattern):
                raise ValueError(f"not a topic pattern: {pattern!r}")
        return patterns


class WebhookOut(JalaliModel):
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


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
async def register(body: WebhookIn, principal: Manager, conn: Transaction, targets: Targets) -> WebhookCreated:
    """Register an endpoint for public events; each delivery is signed with HMAC-SHA256 (see X-Hami-Signature).
    Refused when the URL's host is or resolves to anything but public addresses (webhook_target_not_allowed), does
    not resolve (webhook_target_unresolved), or is http in production (webhook_https_required)."""
    return WebhookCreated(**await usecases.register_webhook(conn, principal, name=body.name, url=body.url,
                                                            patterns=body.patterns, secret=body.secret,
                                                            targets=targets))


@router.get("/webhooks", response_model=list[WebhookOut])
async def list_webhooks(principal: Reader, conn: Reading) -> list[WebhookOut]:
    """Registered endpoints and their health (secrets are never shown again)."""
    return [WebhookOut(**row) for row in await usecases.list_webhooks(conn, principal)]


@router.get("/webhooks/{webhook_id}", response_model=WebhookOut)
async def get_webhook(webhook_id: uuid.UUID, principal: Reader, conn: Reading) -> WebhookOut:
    """One endpoint, with why it is failing if it is."""
    return WebhookOut(**await usecases.get_webhook(conn, principal, webhook_id))


@router.post("/webhooks/{webhook_id}/resume", response_model=WebhookOut)
async def resume(webhook_id: uuid.UUID, principal: Manager, conn: Transaction) -> WebhookOut:
    """Try a failing (or disabled) endpoint again, and resend what it missed while it was failing."""
    return WebhookOut(**await usecases.resume_webhook(conn, principal, webhook_id))


@router.delete("/webhooks/{webhook_id}", response_model=WebhookOut)
async def disable(webhook_id: uuid.UUID, principal: Manager, conn: Transaction) -> WebhookOut:
    """Stop sending to an endpoint (its history stays in the ledger)."""
    return WebhookOut(**await usecases.disable_webhook(conn, principal, webhook_id))
