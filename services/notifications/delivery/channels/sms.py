"""SMS: a pluggable adapter; an HTTP gateway (API key in a header, never logged) or a file in development."""

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from services.notifications.delivery.channels import Outgoing, SendError
from services.notifications.delivery.domain import redact
from services.notifications.settings import NotificationsSettings
from shared.persian import mobile_e164


class SmsGateway(Protocol):
    """What every SMS adapter offers; raise SendError on failure."""

    async def send(self, outgoing: Outgoing) -> None:
        """Hand one text to the provider."""


class HttpSmsGateway:
    """A JSON-over-HTTPS provider: POST {sender, to, text, reference} with `Authorization: Bearer <key>`.

    The reference is the ledger row's id, so a provider that deduplicates on it never sends a retry twice.
    4xx answers (except 401/403/408/429) are permanent; the key is redacted from every error kept or logged.
    """

    def __init__(self, settings: NotificationsSettings, client: httpx.AsyncClient | None = None) -> None:
        self._url, self._sender = settings.sms_gateway_url, settings.sms_sender
        self._key = settings.sms_api_key.get_secret_value()
        self._client = client or httpx.AsyncClient(timeout=settings.sms_timeout)

    async def send(self, outgoing: Outgoing) -> None:
        """POST the text to the gateway."""
        body = {"sender": self._sender, "to": mobile_e164(outgoing.address), "text": outgoing.text,
                "reference": outgoing.delivery_id}
        try:
            response = await self._client.post(self._url, json=body, headers={"Authorization": f"Bearer {self._key}"})
        except httpx.HTTPError as error:
            raise SendError(self._clean(f"SMS gateway unreachable: {type(error).__name__}: {error}")) from None
        if response.is_success:
            return
        permanent = 400 <= response.status_code < 500 and response.status_code not in (401, 403, 408, 429)
        raise SendError(self._clean(f"SMS gateway HTTP {response.status_code}: {response.text[:200]}"),
                        permanent=permanent)

    def _clean(self, text: str) -> str:
        return redact(text, [self._key])

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


class FileSmsGateway:
    """Development: each text is a JSON line in sms.jsonl."""

    def __init__(self, settings: NotificationsSettings) -> None:
        self._path = Path(settings.output_dir) / "sms.jsonl"

    async def send(self, outgoing: Outgoing) -> None:
        """Append the text to the file."""
        line = json.dumps({"to": outgoing.address, "text": outgoing.text, "reference": outgoing.delivery_id,
                           "at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")

    async def close(self) -> None:
        """Nothing to close."""


def sms_channel(settings: NotificationsSettings) -> HttpSmsGateway | FileSmsGateway:
    """The SMS adapter the settings ask for."""
    return HttpSmsGateway(settings) if settings.sms_adapter == "http" else FileSmsGateway(settings)
