"""Evaluation: a result's explanation kept as the JSON text a close wrote (json, not jsonb): read whole, its fields in
the order they were written.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE results ALTER COLUMN explanation TYPE json USING explanation::json")


def downgrade() -> None:
    op.execute("ALTER TABLE results ALTER COLUMN explanation TYPE jsonb USING explanation::jsonb")
