"""Webhook use cases: staff register, list, resume and disable endpoints; public events fan out to them; the
dispatcher reports each endpoint's successes and failures. Each runs in the one transaction it is given."""

import json
import secrets
import uuid
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.delivery import db as ledger
from services.notifications.delivery.domain import DEAD, PENDING, WEBHOOK
from services.notifications.permissions import PERMISSIONS, Capability
from services.notifications.webhooks import db as hooks
from services.notifications.webhooks.domain import (
    ACTIVE,
    DISABLED,
    FAILING,
    endpoint_failing,
    topic_matches,
    unknown_webhook,
)
from services.notifications.webhooks.targets import WebhookTargets
from shared.contracts.base import Event
from shared.contracts.notifications import WebhookFailing, WebhookResumed
from shared.db import once_per_transaction
from shared.messaging.outbox import add_events
from shared.principal import Principal


async def register_webhook(conn: AsyncConnection, principal: Principal, *, name: str, url: str,
                           patterns: list[str], secret: str | None, targets: WebhookTargets) -> dict:
    """Register an endpoint for public events; its row with the signing secret (generated when not given).
    Refused when its URL may not be reached (targets: public addresses only, after DNS; https in production)."""
    PERMISSIONS.require(principal, Capability.MANAGE_WEBHOOKS)
    await targets.check(url)
    secret = secret or secrets.token_urlsafe(32)
    row = await hooks.create_webhook(conn, name=name, url=url, secret=secret, patterns=patterns,
                                     by=principal.username or principal.subject)
    return {**row, "secret": secret}


async def list_webhooks(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """Every endpoint and its health, without secrets."""
    PERMISSIONS.require(principal, Capability.READ_WEBHOOKS)
    return await hooks.list_webhooks(conn)


async def webhook_health(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """Every endpoint with its health: its status and failure streak, and when a delivery to it last went through
    and last failed (None when never)."""
    PERMISSIONS.require(principal, Capability.READ_WEBHOOKS)
    moments = await hooks.delivery_moments(conn)
    return [{"last_success_at": None, "last_failure_at": None, **row,
             **{k: v for k, v in moments.get(row["id"], {}).items() if k != "webhook_id"}}
            for row in await hooks.list_webhooks(conn)]


async def get_webhook(conn: AsyncConnection, principal: Principal, webhook_id: uuid.UUID) -> dict:
    """One endpoint, with why it is failing if it is."""
    PERMISSIONS.require(principal, Capability.READ_WEBHOOKS)
    row = await hooks.get_webhook(conn, webhook_id=webhook_id)
    if row is None:
        raise unknown_webhook()
    return row


async def resume_webhook(conn: AsyncConnection, principal: Principal, webhook_id: uuid.UUID) -> dict:
    """Try a failing (or disabled) endpoint again, resend what it missed, and say so (WebhookResumed)."""
    PERMISSIONS.require(principal, Capability.MANAGE_WEBHOOKS)
    row = await hooks.set_webhook_status(conn, webhook_id=webhook_id, status=ACTIVE)  # endpoint, then its rows
    if row is None:
        raise unknown_webhook()
    requeued = await ledger.requeue(conn, webhook_id=webhook_id)
    await add_events(conn, db.outbox, [WebhookResumed(webhook_id=webhook_id, name=row["name"],
                                                      deliveries_requeued=requeued)])
    return row


async def disable_webhook(conn: AsyncConnection, principal: Principal, webhook_id: uuid.UUID) -> dict:
    """Stop sending to an endpoint and give up its waiting deliveries (its history stays in the ledger)."""
    PERMISSIONS.require(principal, Capability.MANAGE_WEBHOOKS)
    row = await hooks.set_webhook_status(conn, webhook_id=webhook_id, status=DISABLED)
    if row is None:
        raise unknown_webhook()
    await ledger.kill_webhook_backlog(conn, webhook_id=webhook_id, reason="endpoint disabled by staff")
    return row


async def fan_out(conn: AsyncConnection, event: Event, routing_key: str) -> int:
    """Queue a public event for every endpoint whose patterns match its routing key; returns how many rows."""
    hooks_ = await once_per_transaction(conn, "subscribed_webhooks", lambda: hooks.subscribed_webhooks(conn))
    matching = [hook for hook in hooks_ if any(topic_matches(pattern, routing_key) for pattern in hook["patterns"])]
    if not matching:
        return 0
    body = json.dumps({"type": event.event_type(), "routing_key": routing_key,
                       "event": event.model_dump(mode="json")}, ensure_ascii=False, separators=(",", ":"))
    written = 0
    for hook in matching:
        failing = hook["status"] == FAILING  # recorded dead: a resume sends it
        delivery_id = await ledger.record_delivery(conn, values={
            "event_id": event.event_id, "event_type": event.event_type(), "recipient": f"webhook:{hook['id']}",
            "channel": WEBHOOK, "webhook_id": hook["id"], "body": body, "essential": True,
            "status": DEAD if failing else PENDING,
            "last_error": "endpoint is marked failing; resume it to send" if failing else None})
        written += delivery_id is not None
    return written


async def delivery_succeeded(conn: AsyncConnection, *, webhook_id: uuid.UUID) -> None:
    """A delivery went through: the endpoint's failure streak ends."""
    await hooks.webhook_succeeded(conn, webhook_id=webhook_id)


async def delivery_failed(conn: AsyncConnection, *, webhook_id: uuid.UUID, error: str, permanent: bool,
                          threshold: int) -> WebhookFailing | None:
    """Count the endpoint's failure streak; past the threshold (or on a permanent error) mark it failing, give up
    its backlog and raise the alert (WebhookFailing), which is returned; None when no alert was raised."""
    streak = await hooks.webhook_failed(conn, webhook_id=webhook_id, error=error)
    if not (permanent or endpoint_failing(streak, threshold)):
        return None
    hook = await hooks.mark_failing(conn, webhook_id=webhook_id)
    if hook is None:
        return None  # another replica (or an earlier attempt) already raised the alert
    given_up = await ledger.kill_webhook_backlog(
        conn, webhook_id=hook["id"], reason=f"endpoint marked failing after {streak} failures: {error}")
    alert = WebhookFailing(webhook_id=hook["id"], name=hook["name"], host=urlsplit(hook["url"]).hostname or "",
                           consecutive_failures=streak, last_error=error[:300], deliveries_given_up=given_up)
    await add_events(conn, db.outbox, [alert])
    return alert
