"""Where webhooks may go, checked after DNS: at registration (a refusal staff see) and again at every connection
(delivery/channels/webhook.py connects only to the addresses checked here, so a name that later resolves inside,
DNS rebinding, is refused at delivery too)."""

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from services.notifications.settings import NotificationsSettings
from services.notifications.webhooks.domain import (
    address_allowed,
    check_scheme,
    literal_address,
    target_not_allowed,
    target_unresolved,
    vetted,
)

Resolver = Callable[[str, int], Awaitable[list[str]]]
RESOLVE_SECONDS = 5.0


async def resolve(host: str, port: int) -> list[str]:
    """The addresses a name resolves to, with the event loop's getaddrinfo (off the loop, in its executor)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class WebhookTargets:
    """The policy for endpoint addresses: public ones only unless `allow_private` (development and tests, never
    production), https only when `require_https` (production)."""

    allow_private: bool = False
    require_https: bool = False
    resolver: Resolver = resolve
    timeout: float = RESOLVE_SECONDS

    @classmethod
    def from_settings(cls, settings: NotificationsSettings) -> "WebhookTargets":
        """The policy the settings ask for."""
        return cls(allow_private=settings.webhook_allow_private_targets, require_https=settings.env == "production")

    async def check(self, url: str) -> None:
        """Refuse (webhook_target_not_allowed, webhook_https_required, webhook_target_unresolved) a URL an endpoint
        may not have; parsed as the sender's HTTP client parses it, so both read the same host."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise target_not_allowed("not a URL") from None
        check_scheme(parsed.scheme, require_https=self.require_https)
        if not parsed.raw_host:
            raise target_not_allowed("the URL names no host")
        await self.addresses(parsed.raw_host.decode("ascii"), parsed.port or (443 if parsed.scheme == "https" else 80))

    async def addresses(self, host: str, port: int) -> list[str]:
        """What to connect to for a host: its addresses, each public (refused otherwise). With `allow_private` the
        host itself, unchecked but for numeric disguises."""
        literal = literal_address(host)
        if self.allow_private:
            return [host]
        if literal is not None:
            if not address_allowed(literal):
                raise target_not_allowed("the address is not public")
            return [str(literal)]
        try:
            found = await asyncio.wait_for(self.resolver(host, port), self.timeout)
        except (OSError, UnicodeError, TimeoutError):
            raise target_unresolved() from None
        return vetted(found)
