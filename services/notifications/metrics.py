"""Per-channel Prometheus figures of the notifications service, on the service's own registry."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications.delivery import db as ledger
from services.notifications.delivery.domain import CHANNELS, FAILED, SENT
from services.notifications.webhooks import db as hooks


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
        for channel in CHANNELS:
            self.waiting.labels(channel).set(0)
            self.oldest_waiting.labels(channel).set(0)
            for outcome in (SENT, FAILED):
                self.attempts.labels(channel, outcome)

    async def refresh(self, engine: AsyncEngine) -> None:
        """Read the waiting rows (through the partial index) and the failing endpoints."""
        async with engine.connect() as conn:
            waiting = await ledger.waiting_by_channel(conn)
            failing = await hooks.count_failing(conn)
        for channel in CHANNELS:
            count, age = waiting.get(channel, (0, 0.0))
            self.waiting.labels(channel).set(count)
            self.oldest_waiting.labels(channel).set(age)
        self.failing_endpoints.set(failing)
