"""Submissions settings (HAMI_* environment variables)."""

from pydantic import Field

from shared.settings import DocumentKeyed


class SubmissionsSettings(DocumentKeyed):
    """Submissions: editions and calls, works intake, documents and tracking codes."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_submissions"
    http_port: int = 8002
    max_document_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_documents_per_work: int = Field(default=10, ge=1, le=100)
    # The public tracking lookup, per client IP and per replica: a burst, then so many a minute.
    track_per_minute: float = Field(default=10.0, gt=0)
    track_burst: int = Field(default=5, ge=1)
    # How often open calls past their closing date are closed (CallClosed published).
    call_check_seconds: float = Field(default=10.0, gt=0)
