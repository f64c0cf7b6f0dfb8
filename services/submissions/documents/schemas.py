"""Response model of a work's documents (uploads are multipart, read by documents/api.py)."""

import uuid
from datetime import datetime

from shared.web.jalali import JalaliModel


class DocumentOut(JalaliModel):
    """A document's metadata (its bytes are downloaded on their own)."""

    id: uuid.UUID
    filename: str
    kind: str
    media_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime
