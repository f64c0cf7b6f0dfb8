"""Evaluation: works' document counts (for the receipt) and when they were last edited, the works a round could
not staff, and one round per edition, tier, category and district.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A received work has no documents until submissions says otherwise (WorkChanged.documents).
    op.add_column("works", sa.Column("documents", sa.Integer, nullable=False, server_default="0"))
    op.add_column("works", sa.Column("documents_at", sa.DateTime(timezone=True)))
    op.add_column("works", sa.Column("edited_at", sa.DateTime(timezone=True)))
    op.add_column("rounds", sa.Column("short", JSONB, nullable=False, server_default="{}"))
    # Tier 1: one round per district and category; tier 2 (district NULL): one per category. It also keeps a
    # round opened by hand from being opened again when the call closes, even when both race.
    op.execute("CREATE UNIQUE INDEX rounds_one_per_scope ON rounds (edition, tier, category, coalesce(district, 0))")


def downgrade() -> None:
    op.execute("DROP INDEX rounds_one_per_scope")
    op.drop_column("rounds", "short")
    op.drop_column("works", "edited_at")
    op.drop_column("works", "documents_at")
    op.drop_column("works", "documents")
