"""A committee that has not acknowledged a decision by its deadline is marked overdue once, as a district is.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decision_committees", sa.Column("overdue_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("decision_committees", "overdue_at")
