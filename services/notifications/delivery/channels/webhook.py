"""Outgoing webhooks: the public event's JSON, signed with HMAC-SHA256 over timestamp and body."""

import time

import httpx

from services.notifications.delivery.channels import SendError
from services.notifications.webhooks.domain import sign_webhook

USER_AGENT = "hami-notifications/1"


class WebhookSender:
    """POSTs signed bodies; 2xx is delivered, 410 Gone is permanent, anything else is retried."""

    def __init__(self, *, timeout: float, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def send(self, *, url: str, secret: str, body: bytes, event_id: str, event_type: str,
                   delivery_id: str) -> None:
        """Deliver one event to one endpoint."""
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json", "User-Agent": USER_AGENT,
            "X-Hami-Event-Id": event_id, "X-Hami-Event-Type": event_type, "X-Hami-Delivery": delivery_id,
            "X-Hami-Timestamp": str(timestamp), "X-Hami-Signature": sign_webhook(secret, timestamp, body),
        }
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise SendError(f"endpoint unreachable: {type(error).__name__}: {error}"[:300]) from None
        if not response.is_success:
            raise SendError(f"endpoint answered HTTP {response.status_code}: {response.text[:200]}",
                            permanent=response.status_code == 410)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
