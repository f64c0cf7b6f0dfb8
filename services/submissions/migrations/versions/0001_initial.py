"""Submissions: neighbourhoods projection, works, outbox and inbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from shared.migrate import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "neighbourhoods",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("name_fa", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint("district", "name_fa"),
    )
    op.create_table(
        "works",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tracking_code", sa.Text, nullable=False, unique=True),
        sa.Column("district", sa.Integer, nullable=False, index=True),
        sa.Column("neighbourhood_code", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("submitter_name", sa.Text, nullable=False),
        sa.Column("submitter_national_id", sa.Text, nullable=False),
        sa.Column("submitter_mobile", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    create_messaging_tables(op.get_bind())


def downgrade() -> None:
    for table in ("inbox", "outbox", "works", "neighbourhoods"):
        op.drop_table(table)
