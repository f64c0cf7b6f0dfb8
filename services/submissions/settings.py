"""Submissions settings (HAMI_* environment variables)."""

from shared.settings import ServiceSettings


class SubmissionsSettings(ServiceSettings):
    """Submissions: works intake and tracking codes."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_submissions"
    http_port: int = 8002
