"""Registry: the outbox keeps each event's payload as the JSON text it was written in (json, not jsonb), the
bytes the relay publishes (shared/db.py says why).

Revision ID: 0010
Revises: 0009
"""

from shared.migrate import outbox_payload_as

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    outbox_payload_as("json")


def downgrade() -> None:
    outbox_payload_as("jsonb")
