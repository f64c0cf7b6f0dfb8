"""Decisions that inform without asking for an acknowledgement (operational ones: no pending rows, no overdue
alarms), and district reports' typed shortcomings (what, since when, what is needed).

Decisions issued before this revision all asked for an acknowledgement, and reports carried shortcomings as free
text only: the defaults say so.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decisions", sa.Column("requires_acknowledgement", sa.Boolean, nullable=False,
                                         server_default=sa.true()))
    op.add_column("reports", sa.Column("shortcoming_items", JSONB, nullable=False,
                                       server_default=sa.text("'[]'::jsonb")))


def downgrade() -> None:
    op.drop_column("reports", "shortcoming_items")
    op.drop_column("decisions", "requires_acknowledgement")
