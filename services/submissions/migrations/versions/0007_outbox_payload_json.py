"""Submissions: the outbox keeps each event's payload as the JSON text it was written in (json, not jsonb), the
bytes the relay publishes (shared/db.py says why).

Revision ID: 0007
Revises: 0006
"""

from shared.migrate import outbox_payload_as

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    outbox_payload_as("json")


def downgrade() -> None:
    outbox_payload_as("jsonb")
