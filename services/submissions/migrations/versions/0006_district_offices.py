"""Submissions: a district prepares its own neighbourhood festival offices, so an office can be closed (kept for
the record) and carries the staff its district named, and who changed it last.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("call_offices", sa.Column("open", sa.Boolean, nullable=False, server_default=sa.text("true")))
    op.add_column("call_offices", sa.Column("staff", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column("call_offices", sa.Column("updated_by", sa.Text))
    op.add_column("call_offices", sa.Column("updated_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.execute("DELETE FROM call_offices WHERE NOT open")
    for column in ("updated_at", "updated_by", "staff", "open"):
        op.drop_column("call_offices", column)
