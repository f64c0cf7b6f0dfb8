"""Events the notifications service publishes: alerts about delivery endpoints."""

from typing import ClassVar
from uuid import UUID

from shared.contracts.base import Event


class _Webhook(Event):
    service: ClassVar[str] = "notifications"
    entity: ClassVar[str] = "webhook"

    webhook_id: UUID
    name: str


class WebhookFailing(_Webhook):
    """Internal alert: an outgoing webhook endpoint kept failing; it is no longer tried until staff resume it."""

    action: ClassVar[str] = "failing"

    host: str
    consecutive_failures: int
    last_error: str
    deliveries_given_up: int


class WebhookResumed(_Webhook):
    """Internal: staff resumed a failing endpoint; its given-up deliveries are sent again."""

    action: ClassVar[str] = "resumed"

    deliveries_requeued: int


EVENTS: tuple[type[Event], ...] = (WebhookFailing, WebhookResumed)
