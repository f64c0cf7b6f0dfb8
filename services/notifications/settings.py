"""Notifications settings (HAMI_* environment variables)."""

import tempfile
from pathlib import Path
from typing import Literal, Self

from pydantic import SecretStr, model_validator

from shared.settings import ServiceSettings

DEFAULT_OUTPUT = Path(tempfile.gettempdir()) / "hami-notifications"


class NotificationsSettings(ServiceSettings):
    """Notifications: rules, templates, channels and the delivery ledger."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_notifications"
    http_port: int = 8004

    # Email: a real SMTP server, or files (one .eml per message) in development.
    email_adapter: Literal["smtp", "file"] = "file"
    email_from: str = "جشنواره حامی <no-reply@hami.tehran.ir>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout: float = 15.0

    # SMS: a provider's HTTP gateway, or a JSON-lines file in development.
    sms_adapter: Literal["http", "file"] = "file"
    sms_gateway_url: str = ""
    sms_api_key: SecretStr = SecretStr("")
    sms_sender: str = "3000"
    sms_timeout: float = 10.0
    output_dir: Path = DEFAULT_OUTPUT  # the file channels write here

    # SMS is held outside these hours, Tehran time ("21:00-08:00": nothing from 21:00 until 08:00).
    sms_quiet_hours: str = "21:00-08:00"
    quiet_release_spread_seconds: float = 900.0  # held messages leave over this long, not all at 08:00

    # The dispatcher: how often it looks, how much it takes, how it retries.
    dispatch_interval: float = 1.0
    dispatch_batch: int = 100
    dispatch_concurrency: int = 10
    lease_seconds: float = 120.0  # a claimed row another replica may take over after a crash
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 7200.0
    max_attempts: int = 10
    webhook_timeout: float = 10.0
    webhook_failing_after: int = 5  # consecutive failed attempts that mark a webhook endpoint failing
    # Webhooks reach public internet addresses only (checked after DNS, at registration and at each connection).
    # Development and the tests deliver to receivers on this machine, so they turn this on; production refuses it.
    webhook_allow_private_targets: bool = False
    # A draft template's preview or save renders in a child process within this time (and a memory cap), or is
    # refused as too costly.
    template_render_seconds: float = 1.0

    # Opt-out links in non-essential mail are signed with this secret (unset: one generated once, kept in the
    # database); public_url is where recipients reach this service's /opt-out page.
    link_secret: SecretStr | None = None
    public_url: str = "http://127.0.0.1:8004"

    @model_validator(mode="after")
    def _refuse_private_webhooks_in_production(self) -> Self:
        if self.env == "production" and self.webhook_allow_private_targets:
            raise ValueError("production mode refuses webhook_allow_private_targets: webhooks may not reach inside")
        return self

    def default_secrets(self) -> list[str]:
        """Development defaults that production refuses."""
        names = super().default_secrets()
        if self.sms_adapter == "http" and not self.sms_api_key.get_secret_value():
            names.append("sms_api_key")
        return names
