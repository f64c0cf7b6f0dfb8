"""Opt-out links: signed with a secret from settings, or one generated once and kept in the database."""

import secrets

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications.delivery.domain import EMAIL
from services.notifications.optouts import db
from services.notifications.optouts.domain import opt_out_token, read_opt_out_token
from services.notifications.settings import NotificationsSettings

SECRET_NAME = "opt_out_links"


class OptOutLinks:
    """Makes and reads opt-out links; every replica signs with the same secret."""

    def __init__(self, settings: NotificationsSettings) -> None:
        configured = settings.link_secret.get_secret_value() if settings.link_secret else ""
        self._secret: str | None = configured or None
        self._public_url = settings.public_url.rstrip("/")

    async def load(self, engine: AsyncEngine) -> None:
        """Without a configured secret, use the database's (created by whichever replica starts first)."""
        if self._secret is not None:
            return
        async with engine.begin() as conn:
            self._secret = await db.secret(conn, name=SECRET_NAME, candidate=secrets.token_urlsafe(32))

    def url(self, channel: str, address: str) -> str:
        """The opt-out link for mail to an address ('' for other channels)."""
        if channel != EMAIL:
            return ""
        return f"{self._public_url}/opt-out?token={opt_out_token(self._require(), channel, address)}"

    def read(self, token: str) -> tuple[str, str] | None:
        """(channel, address) of a genuine token, else None."""
        return read_opt_out_token(self._require(), token)

    def _require(self) -> str:
        if self._secret is None:
            raise RuntimeError("opt-out links used before the secret was loaded")
        return self._secret
