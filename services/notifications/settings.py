"""Notifications settings (HAMI_* environment variables)."""

from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    """Notifications: rules, templates, channels and the delivery ledger."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_notifications"
    http_port: int = 8004
