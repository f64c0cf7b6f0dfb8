"""The dispatcher: claims due ledger rows (safe with replicas), sends them, retries with backoff, gives up loudly."""

import asyncio
import time
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications.delivery import db as ledger
from services.notifications.delivery.channels import Outgoing, SendError
from services.notifications.delivery.channels.email import email_channel
from services.notifications.delivery.channels.sms import sms_channel
from services.notifications.delivery.channels.webhook import WebhookSender
from services.notifications.delivery.domain import (
    DEAD,
    EMAIL,
    SENT,
    SMS,
    SUPPRESSED,
    WEBHOOK,
    QuietHours,
    after_failure,
    retry_delay,
)
from services.notifications.metrics import NotificationMetrics
from services.notifications.optouts import db as optouts
from services.notifications.optouts.links import OptOutLinks
from services.notifications.settings import NotificationsSettings
from services.notifications.webhooks import db as hooks
from services.notifications.webhooks import usecases as webhooks
from services.notifications.webhooks.domain import ACTIVE
from services.notifications.webhooks.targets import WebhookTargets

log = structlog.get_logger("dispatcher")


class Dispatcher:
    """Sends what the ledger says is due; every decision is stored in the row, so a restart loses nothing."""

    def __init__(self, engine: AsyncEngine, settings: NotificationsSettings, links: OptOutLinks, *,
                 clock=None) -> None:
        self.engine, self.settings, self.links = engine, settings, links
        self.clock = clock or (lambda: datetime.now(UTC))
        self.quiet = QuietHours.parse(settings.sms_quiet_hours)
        self.email, self.sms = email_channel(settings), sms_channel(settings)
        self.webhooks = WebhookSender(timeout=settings.webhook_timeout, targets=WebhookTargets.from_settings(settings))
        self.metrics: NotificationMetrics | None = None
        self._gate = asyncio.Semaphore(settings.dispatch_concurrency)
        self._sent: list[tuple[dict, asyncio.Future]] = []  # sent rows waiting for their record (_finish_sent)
        self._recording = asyncio.Lock()

    async def dispatch(self) -> int:
        """Send every due row (batch after batch); returns how many attempts were made."""
        attempts = 0
        while True:
            quiet = self.quiet.contains(self.clock())
            async with self.engine.begin() as conn:
                rows = await ledger.claim_due(conn, limit=self.settings.dispatch_batch,
                                                 lease=timedelta(seconds=self.settings.lease_seconds),
                                                 skip_sms=quiet)
            if not rows:
                break
            await asyncio.gather(*(self._attempt(row) for row in rows))
            attempts += len(rows)
        if self.metrics is not None:
            await self.metrics.refresh(self.engine)
        return attempts

    async def _attempt(self, row: dict) -> None:
        async with self._gate:
            started = time.perf_counter()
            try:
                await self._send(row)
            except SendError as error:
                await self._failed(row, error, time.perf_counter() - started)
            except Exception as error:  # a bug or an unexpected library error: retried like a transient one
                log.exception("delivery.unexpected_error", delivery_id=str(row["id"]))
                await self._failed(row, SendError(f"{type(error).__name__}: {error}"[:300]),
                                   time.perf_counter() - started)
            else:
                await self._finish_sent(row)
                self._count(row["channel"], SENT, time.perf_counter() - started)

    async def _finish_sent(self, row: dict) -> None:
        """Record a sent row; the rows sent while another such record was being written go together in the next
        one (one transaction, not one each). Returns once the row's own record committed, raises if it failed."""
        recorded = asyncio.get_running_loop().create_future()
        self._sent.append((row, recorded))
        async with self._recording:
            if self._sent:
                waiting, self._sent = self._sent, []
                try:
                    async with self.engine.begin() as conn:  # endpoints before ledger rows: the API's lock order
                        for webhook_id in sorted({r["webhook_id"] for r, _ in waiting if r["webhook_id"]}):
                            await webhooks.delivery_succeeded(conn, webhook_id=webhook_id)
                        await ledger.finish_sent(conn, [r for r, _ in waiting])
                except Exception as error:
                    for _, future in waiting:
                        future.set_exception(error)
                else:
                    for _, future in waiting:
                        future.set_result(None)
        await recorded

    async def _send(self, row: dict) -> None:
        if row["channel"] == SMS and self.quiet.contains(self.clock()):
            async with self.engine.begin() as conn:
                await ledger.postpone(conn, row, until=self.quiet.next_allowed(self.clock()))
            raise _Postponed()
        if not row["essential"]:
            async with self.engine.connect() as conn:
                if await optouts.opted_out(conn, channel=row["channel"], address=row["recipient"]):
                    raise SendError("recipient opted out of non-essential messages", permanent=True)
        if row["channel"] == WEBHOOK:
            async with self.engine.connect() as conn:
                hook = await hooks.get_webhook(conn, webhook_id=row["webhook_id"], with_secret=True)
            if hook is None or hook["status"] != ACTIVE:
                raise SendError(f"endpoint is {hook['status'] if hook else 'gone'}", permanent=True)
            await self.webhooks.send(url=hook["url"], secret=hook["secret"], body=row["body"].encode(),
                                     event_id=str(row["event_id"]), event_type=row["event_type"],
                                     delivery_id=str(row["id"]))
            return
        outgoing = Outgoing(delivery_id=str(row["id"]), event_id=str(row["event_id"]), event_type=row["event_type"],
                            address=row["recipient"], subject=row["subject"] or "", text=row["body"],
                            html=row["html"] or "", unsubscribe_url=self._unsubscribe(row))
        await (self.email if row["channel"] == EMAIL else self.sms).send(outgoing)

    async def _failed(self, row: dict, error: SendError, seconds: float) -> None:
        if isinstance(error, _Postponed):
            return
        opted_out = error.reason.startswith("recipient opted out")
        status = SUPPRESSED if opted_out else after_failure(row["attempts"], permanent=error.permanent,
                                                            max_attempts=self.settings.max_attempts)
        delay = retry_delay(row["attempts"], base=self.settings.retry_base_seconds,
                            cap=self.settings.retry_max_seconds)
        async with self.engine.begin() as conn:  # endpoint before ledger row: the API's lock order
            if row["webhook_id"] is not None and not error.reason.startswith("endpoint is"):
                await self._endpoint_failed(conn, row, error)
            await ledger.finish(conn, row, status=status, error=error.reason,
                                retry_in=None if status in (DEAD, SUPPRESSED) else delay)
        self._count(row["channel"], status, seconds)
        event = "delivery.dead" if status == DEAD else "delivery.failed"
        (log.error if status == DEAD else log.warning)(
            event, delivery_id=str(row["id"]), channel=row["channel"], attempts=row["attempts"], error=error.reason,
            retry_in=None if status == DEAD else round(delay, 2))

    async def _endpoint_failed(self, conn, row: dict, error: SendError) -> None:
        """Tell the endpoint's use case; when it raised the alert (endpoint now failing), log and count it."""
        alert = await webhooks.delivery_failed(conn, webhook_id=row["webhook_id"], error=error.reason,
                                               permanent=error.permanent,
                                               threshold=self.settings.webhook_failing_after)
        if alert is None:
            return
        log.error("webhook.failing", webhook_id=str(alert.webhook_id), name=alert.name,
                  failures=alert.consecutive_failures, error=error.reason,
                  deliveries_given_up=alert.deliveries_given_up)
        if self.metrics is not None:
            self.metrics.alerts.labels(WEBHOOK).inc()

    def _unsubscribe(self, row: dict) -> str:
        return "" if row["essential"] else self.links.url(row["channel"], row["recipient"])

    def _count(self, channel: str, outcome: str, seconds: float) -> None:
        if self.metrics is None:
            return
        self.metrics.attempts.labels(channel, outcome).inc()
        self.metrics.send_seconds.labels(channel).observe(seconds)

    async def close(self) -> None:
        """Close the channels' HTTP clients."""
        await self.sms.close()
        await self.webhooks.close()


class _Postponed(SendError):
    """Quiet hours began after the row was claimed: it was handed back untried."""

    def __init__(self) -> None:
        super().__init__("quiet hours")
