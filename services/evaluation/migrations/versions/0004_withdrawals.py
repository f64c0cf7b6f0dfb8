"""Evaluation: the record of each withdrawal submissions announced and what it did to the work.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "withdrawals",
        sa.Column("work_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effect", sa.Text, nullable=False),
        sa.Column("round_id", UUID(as_uuid=True)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("withdrawals")
