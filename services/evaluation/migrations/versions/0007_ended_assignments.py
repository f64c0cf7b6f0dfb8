"""Evaluation: an assignment can end (reassigned by the round's manager, or handed on when the evaluator's
appointment ended) without being deleted, so the old evaluator's draft stays on record beside who took over.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assignments", sa.Column("ended_at", sa.DateTime(timezone=True)))
    op.add_column("assignments", sa.Column("ended_by", sa.Text()))
    op.add_column("assignments", sa.Column("ended_reason", sa.Text()))
    op.add_column("assignments", sa.Column("replaced_by", UUID(as_uuid=True)))


def downgrade() -> None:
    for column in ("replaced_by", "ended_reason", "ended_by", "ended_at"):
        op.drop_column("assignments", column)
