"""Per-channel Prometheus figures of the notifications service, on the service's own registry."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications.db import deliveries, webhooks
from services.notifications.domain import FAILED, PENDING, SENT


class NotificationMetrics:
    """Counters updated as rows are recorded and attempted; gauges refreshed by the dispatcher."""

    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.recorded = Counter("hami_notification_recorded_total", "Ledger rows written, by channel and first status",
                                ["channel", "status"], registry=r)
        self.attempts = Counter("hami_notification_attempts_total", "Delivery attempts by channel and outcome "
                                "(sent, failed, dead, suppressed)", ["channel", "outcome"], registry=r)
        self.send_seconds = Histogram("hami_notification_send_seconds", "Time to hand a message to the channel",
                                      ["channel"], registry=r)
        self.waiting = Gauge("hami_notification_waiting", "Rows pending or failed (to be retried)", ["channel"],
                             registry=r)
        self.oldest_waiting = Gauge("hami_notification_oldest_waiting_seconds",
                                    "Age of the oldest row still waiting to be sent", ["channel"], registry=r)
        self.failing_endpoints = Gauge("hami_notification_failing_endpoints", "Webhook endpoints marked failing",
                                       registry=r)
        self.alerts = Counter("hami_notification_alerts_total", "Endpoints marked failing (alerts raised)",
                              ["channel"], registry=r)
        for channel in ("email", "sms", "webhook", "inbox"):
            self.waiting.labels(channel).set(0)
            self.oldest_waiting.labels(channel).set(0)
            for outcome in (SENT, FAILED):
                self.attempts.labels(channel, outcome)

    async def refresh(self, engine: AsyncEngine) -> None:
        """Read the waiting rows (through the partial index) and the failing endpoints."""
        async with engine.connect() as conn:
            rows = (await conn.execute(
                select(deliveries.c.channel, func.count(), func.extract("epoch", func.now() - func.min(
                    deliveries.c.created_at)))
                .where(deliveries.c.status.in_((PENDING, FAILED))).group_by(deliveries.c.channel))).all()
            failing = (await conn.execute(select(func.count()).where(webhooks.c.status == "failing"))).scalar_one()
        seen = {channel: (count, age) for channel, count, age in rows}
        for channel in ("email", "sms", "webhook", "inbox"):
            count, age = seen.get(channel, (0, 0))
            self.waiting.labels(channel).set(count)
            self.oldest_waiting.labels(channel).set(float(age or 0))
        self.failing_endpoints.set(failing)
