"""Writing an event's messages into the ledger: render, respect opt-outs and quiet hours, record each once.

The rules' use cases (rules/usecases.py) call it inside the consumer's transaction."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from jinja2 import TemplateError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery import db as ledger
from services.notifications.delivery.domain import (
    INBOX,
    PENDING,
    SENT,
    SMS,
    SUPPRESSED,
    QuietHours,
    may_send,
    normalize_address,
    sms_send_time,
)
from services.notifications.inbox import db as inbox_db
from services.notifications.inbox.links import item_link
from services.notifications.metrics import NotificationMetrics
from services.notifications.optouts import db as optouts
from services.notifications.optouts.links import OptOutLinks
from services.notifications.rules.domain import Contact, Rule, plan
from services.notifications.settings import NotificationsSettings
from services.notifications.templates import db as templates
from services.notifications.templates.defaults import DEFAULTS
from services.notifications.templates.domain import Rendered, TemplateRefused, effective, render
from shared.contracts.base import Event
from shared.db import once_per_transaction

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
        overrides = await once_per_transaction(conn, "template_overrides", lambda: templates.template_overrides(conn))
        addresses = [(item.channel, normalize_address(item.channel, item.address)) for item in planned]
        opted_out = await optouts.opted_out_among(conn, [a for a, item in zip(addresses, planned, strict=True)
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
                "html": rendered.html or None, "status": PENDING, "last_error": None, "next_attempt_at": None,
            }
            if not may_send(essential=item.rule.essential, opted_out=(channel, address) in opted_out):
                row |= {"status": SUPPRESSED, "last_error": "recipient opted out of non-essential messages"}
            elif channel == INBOX:
                row["status"] = SENT
                link = item_link(event, item.rule.name, dict(item.contact.extra)) or (None, None)
                inbox[address] = (item.contact.person_id, rendered, link)
            elif channel == SMS and self.quiet.contains(now):
                row["next_attempt_at"] = sms_send_time(
                    now, self.quiet, spread_seconds=self.settings.quiet_release_spread_seconds)
            rows.append(row)
        written = await ledger.record_deliveries(conn, rows=rows)
        items = []
        for delivery_id, channel, address, status in written:
            if self.metrics is not None:
                self.metrics.recorded.labels(channel, status).inc()
            if channel == INBOX and status == SENT:
                person_id, rendered, (link_service, link_path) = inbox[address]
                items.append({"delivery_id": delivery_id, "person_id": person_id, "event_id": event.event_id,
                              "event_type": event.event_type(), "title": rendered.subject, "body": rendered.text,
                              "link_service": link_service, "link_path": link_path})
        await inbox_db.add_inbox_items(conn, items=items)
        log.info("notification.recorded", rows=len(written), planned=len(planned))
        return len(written)


def _render(rule: str, channel: str, overrides: dict, values: dict) -> Rendered:
    """Staff's template; if it fails on a real event (it passed the sample), or grows past the output limit, the
    default, so the message still goes."""
    parts = effective(rule, channel, overrides)
    try:
        return render(parts, channel, values)
    except (TemplateError, TemplateRefused, ArithmeticError, RecursionError, TypeError, ValueError) as error:
        log.error("template.failed_on_event", rule=rule, channel=channel, error=str(error)[:300])
        return render(DEFAULTS[(rule, channel)], channel, values)
