"""Outgoing webhooks: the public event's JSON, signed with HMAC-SHA256 over timestamp and body, sent only to the
addresses the endpoint policy checked at connection time (webhooks/targets.py); redirects are never followed. Each
request is a CloudEvent in the HTTP binding's binary mode (ce-* headers; the body unchanged)."""

import json
import time
import typing
from datetime import datetime
from http import HTTPStatus

import httpcore
import httpx

from services.notifications.delivery.channels import SendError
from services.notifications.webhooks.domain import sign_webhook
from services.notifications.webhooks.targets import WebhookTargets
from shared.contracts.cloudevents import envelope, http_headers
from shared.refusals import Refusal

USER_AGENT = "hami-notifications/1"


class _CheckedConnections(httpcore.AsyncNetworkBackend):
    """Opens each TCP connection to an address the policy checked just now, never to a name resolved again later
    (TLS still verifies the certificate against the URL's host name)."""

    def __init__(self, targets: WebhookTargets) -> None:
        self._targets, self._network = targets, httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: typing.Iterable | None = None) -> httpcore.AsyncNetworkStream:
        """Connect to the first checked address that answers; a Refusal when the policy refuses the host."""
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in await self._targets.addresses(host, port):
            try:
                return await self._network.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                       socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable | None = None) -> httpcore.AsyncNetworkStream:
        """Never: an endpoint is a URL on the internet."""
        raise httpcore.ConnectError("unix sockets are not webhook endpoints")

    async def sleep(self, seconds: float) -> None:
        """As the network backend sleeps."""
        await self._network.sleep(seconds)


class _CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with connections opened by _CheckedConnections; no proxies from the environment (the check
    would then see the proxy, not the endpoint)."""

    def __init__(self, targets: WebhookTargets) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                                  max_connections=100, max_keepalive_connections=20,
                                                  keepalive_expiry=5.0, network_backend=_CheckedConnections(targets))


def checked_client(targets: WebhookTargets, *, timeout: float) -> httpx.AsyncClient:
    """An HTTP client that reaches only addresses the policy allows and never follows a redirect."""
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False,
                             transport=_CheckedTransport(targets))


class WebhookSender:
    """POSTs signed bodies; 2xx is delivered, 410 Gone is permanent, a refused address is permanent, anything else
    (a redirect included: it is not followed) is retried. Failures are recorded by status, never by what the
    endpoint answered: its body stays out of the ledger, the logs and the alert."""

    def __init__(self, *, timeout: float, targets: WebhookTargets | None = None,
                 client: httpx.AsyncClient | None = None) -> None:
        self.targets = targets or WebhookTargets()
        self._client = client or checked_client(self.targets, timeout=timeout)

    async def send(self, *, url: str, secret: str, body: bytes, event_id: str, event_type: str,
                   delivery_id: str) -> None:
        """Deliver one event to one endpoint."""
        if self.targets.require_https and not url.lower().startswith("https://"):
            raise SendError("endpoint refused: https is required in production", permanent=True)
        timestamp = int(time.time())
        headers = {
            **cloudevent_headers(body, event_id=event_id, event_type=event_type), "User-Agent": USER_AGENT,
            "X-Hami-Event-Id": event_id, "X-Hami-Event-Type": event_type, "X-Hami-Delivery": delivery_id,
            "X-Hami-Timestamp": str(timestamp), "X-Hami-Signature": sign_webhook(secret, timestamp, body),
        }
        try:
            response = await self._client.post(url, content=body, headers=headers, follow_redirects=False)
        except Refusal as refusal:  # the address policy, at connection time
            raise SendError(f"endpoint refused: {refusal.code}",
                            permanent=refusal.code != "webhook_target_unresolved") from None
        except httpx.HTTPError as error:  # its text may quote what the endpoint sent: the class says enough
            raise SendError(f"endpoint unreachable: {type(error).__name__}") from None
        if not response.is_success:
            raise SendError(_status_reason(response.status_code), permanent=response.status_code == 410)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def cloudevent_headers(body: bytes, *, event_id: str, event_type: str) -> dict[str, str]:
    """The ce-* headers and Content-Type of a delivery; time and schema version come from the event in the body
    (fan_out's {"type", "routing_key", "event"})."""
    event = json.loads(body)["event"]
    return http_headers(envelope(event_id=event_id, event_type=event_type,
                                 occurred_at=datetime.fromisoformat(event["occurred_at"]),
                                 schema_version=event.get("schema_version", 1)))


def _status_reason(status: int) -> str:
    """A failed answer in a few words: its status and the standard phrase (not the endpoint's own)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "non-standard status"
    redirect = " (redirects are not followed)" if 300 <= status < 400 else ""
    return f"endpoint answered HTTP {status} {phrase}{redirect}"
