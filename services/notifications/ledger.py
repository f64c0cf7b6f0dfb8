"""Writing an event's messages into the ledger: render, respect opt-outs and quiet hours, record each once."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from jinja2 import TemplateError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db_admin, db_ledger
from services.notifications.domain import (
    DEAD,
    INBOX,
    PENDING,
    SENT,
    SMS,
    SUPPRESSED,
    WEBHOOK,
    Contact,
    Rule,
    may_send,
    normalize_address,
    plan,
)
from services.notifications.domain_delivery import QuietHours, sms_send_time, topic_matches
from services.notifications.links import OptOutLinks
from services.notifications.metrics import NotificationMetrics
from services.notifications.settings import NotificationsSettings
from services.notifications.templates import Rendered, effective, render
from services.notifications.templates_default import DEFAULTS
from shared.contracts.base import Event

log = structlog.get_logger("notifications")
Clock = Callable[[], datetime]


@dataclass
class Recorder:
    """Turns (rule, recipients) pairs into ledger rows inside the consumer's transaction."""

    settings: NotificationsSettings
    links: OptOutLinks
    clock: Clock = lambda: datetime.now(UTC)  # noqa: E731 - injectable for tests
    metrics: NotificationMetrics | None = None

    def __post_init__(self) -> None:
        self.quiet = QuietHours.parse(self.settings.sms_quiet_hours)

    async def record(self, conn: AsyncConnection, event: Event, pairs: list[tuple[Rule, list[Contact]]],
                     context: dict) -> int:
        """Write every planned message of an event (set-wise: results reach thousands); returns how many were new."""
        planned = plan(pairs)
        if not planned:
            return 0
        overrides = await db_admin.template_overrides(conn)
        addresses = [(item.channel, normalize_address(item.channel, item.address)) for item in planned]
        opted_out = await db_ledger.opted_out_among(conn, [a for a, item in zip(addresses, planned, strict=True)
                                                           if not item.rule.essential])
        now, rows, inbox = self.clock(), [], {}
        for item, (channel, address) in zip(planned, addresses, strict=True):
            unsubscribe = self.links.url(channel, address) if not item.rule.essential else ""
            values = {"name": item.contact.name, "occurred_at": event.occurred_at, "unsubscribe_url": unsubscribe,
                      **context, **dict(item.contact.extra)}
            rendered = _render(item.rule.name, channel, overrides, values)
            row = {
                "event_id": event.event_id, "event_type": event.event_type(), "recipient": address,
                "channel": channel, "rule": item.rule.name, "essential": item.rule.essential,
                "person_id": item.contact.person_id, "subject": rendered.subject or None, "body": rendered.text,
                "html": rendered.html or None, "status": PENDING, "last_error": None, "sent_at": None,
                "next_attempt_at": func.now(),
            }
            if not may_send(essential=item.rule.essential, opted_out=(channel, address) in opted_out):
                row |= {"status": SUPPRESSED, "last_error": "recipient opted out of non-essential messages"}
            elif channel == INBOX:
                row |= {"status": SENT, "sent_at": func.now()}
                inbox[address] = (item.contact.person_id, rendered)
            elif channel == SMS and self.quiet.contains(now):
                row["next_attempt_at"] = sms_send_time(
                    now, self.quiet, spread_seconds=self.settings.quiet_release_spread_seconds)
            rows.append(row)
        written = await db_ledger.record_deliveries(conn, rows=rows)
        for delivery_id, channel, address, status in written:
            if self.metrics is not None:
                self.metrics.recorded.labels(channel, status).inc()
            if channel == INBOX and status == SENT:
                person_id, rendered = inbox[address]
                await db_admin.add_inbox_item(conn, values={
                    "delivery_id": delivery_id, "person_id": person_id, "event_id": event.event_id,
                    "event_type": event.event_type(), "title": rendered.subject, "body": rendered.text})
        log.info("notification.recorded", rows=len(written), planned=len(planned))
        return len(written)

    async def fan_out(self, conn: AsyncConnection, event: Event, routing_key: str) -> int:
        """Queue a public event for every webhook endpoint whose patterns match its routing key."""
        body = json.dumps({"type": event.event_type(), "routing_key": routing_key,
                           "event": event.model_dump(mode="json")}, ensure_ascii=False, separators=(",", ":"))
        written = 0
        for hook in await db_admin.subscribed_webhooks(conn):
            if not any(topic_matches(pattern, routing_key) for pattern in hook["patterns"]):
                continue
            failing = hook["status"] == db_admin.FAILING
            delivery_id = await db_ledger.record_delivery(conn, values={
                "event_id": event.event_id, "event_type": event.event_type(), "recipient": f"webhook:{hook['id']}",
                "channel": WEBHOOK, "webhook_id": hook["id"], "body": body, "essential": True,
                "status": DEAD if failing else PENDING,
                "last_error": "endpoint is marked failing; resume it to send" if failing else None})
            written += delivery_id is not None
        return written


def _render(rule: str, channel: str, overrides: dict, values: dict) -> Rendered:
    """Staff's template; if it fails on a real event (it passed the sample), the default, so the message still goes."""
    parts = effective(rule, channel, overrides)
    try:
        return render(parts, channel, values)
    except TemplateError as error:
        log.error("template.failed_on_event", rule=rule, channel=channel, error=str(error)[:300])
        return render(DEFAULTS[(rule, channel)], channel, values)
